// The rule tables of README.md and tests/fixtures/check/README.md, generated from the
// registry (`npm run docs`); a test fails when a checked-in table differs.
import { STEPS } from '../method.js';
import { RULES } from './index.js';
import type { Rule } from './rule.js';

export const START = '<!-- rules:start -->';
export const END = '<!-- rules:end -->';

function stepOf(rule: Rule): string {
  if (typeof rule.step !== 'string') return rule.step.varies;
  const def = STEPS.find((s) => s.id === rule.step)!;
  return `${def.number}. ${def.title}`;
}

/** The README's table: what each rule finds and which step's score it charges. */
export function readmeTable(rules: readonly Rule[] = RULES): string {
  return ['| rule | severity | step charged | finds |', '|---|---|---|---|', ...rules.map((r) => `| \`${r.id}\` | ${r.severity} | ${stepOf(r)} | ${r.summary} |`)].join('\n');
}

/** The corpus README's table: what each rule finds and what its subject holds (expectations match on it). */
export function corpusTable(rules: readonly Rule[] = RULES): string {
  return ['| rule | severity | finds | subject |', '|---|---|---|---|', ...rules.map((r) => `| ${r.id} | ${r.severity} | ${r.summary} | ${r.subject} |`)].join('\n');
}

/** The text with the table between the markers replaced; undefined when the markers are missing. */
export function spliceTable(text: string, table: string): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) return undefined;
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}
