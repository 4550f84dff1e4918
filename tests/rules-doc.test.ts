// The rule tables are generated from the registry (`npm run docs`): a rule added, renamed
// or reworded without regenerating them fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusTable, readmeTable, spliceTable } from '../src/core/check/docs.js';
import { RULES } from '../src/core/check/index.js';

describe.each([
  ['README.md', readmeTable()],
  ['tests/fixtures/check/README.md', corpusTable()],
])('the rule table in %s', (file, table) => {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

  it('is what `npm run docs` writes from the registry', () => {
    expect(spliceTable(text, table), `run \`npm run docs\` to regenerate ${file}`).toBe(text);
  });

  it('names every rule', () => {
    for (const r of RULES) expect(text).toContain(r.id);
  });
});

it('tells when a table no longer matches the registry', () => {
  const text = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(spliceTable(text, readmeTable(RULES.slice(1)))).not.toBe(text);
});
