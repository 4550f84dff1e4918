// Writes the rule tables into README.md and tests/fixtures/check/README.md from the registry
// (src/core/check/docs.ts, bundled on the fly: the CLI bundle does not export the registry).
// Usage: npm run docs
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = await build({ entryPoints: [path.join(root, 'src/core/check/docs.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'warning' });
const docs = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);

let failed = false;
for (const [file, table] of [
  ['README.md', docs.readmeTable()],
  ['tests/fixtures/check/README.md', docs.corpusTable()],
]) {
  const full = path.join(root, file);
  const before = readFileSync(full, 'utf8');
  const after = docs.spliceTable(before, table);
  if (after === undefined) {
    console.error(`${file}:1:1: error rules-markers-missing: no ${docs.START} … ${docs.END} lines. Try: add them where the rule table belongs.`);
    failed = true;
  } else if (after !== before) {
    writeFileSync(full, after);
    console.log(`${file}: rule table updated`);
  } else console.log(`${file}: rule table up to date`);
}
process.exitCode = failed ? 1 : 0;
