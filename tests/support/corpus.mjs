// Scores checker findings against the corpus expectations in tests/fixtures/check/.
// Shared by the corpus test (thresholds) and bench/check-quality.mjs (the per-rule table).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS = new URL('../fixtures/check/', import.meta.url);

export const HOLDOUT = new URL('../fixtures/check-holdout/', import.meta.url);

export function corpusCases(corpus = CORPUS) {
  const dir = corpus.pathname;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.expect.json'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.expect\.json$/, '');
      return { name, file: path.join(dir, `${name}.md`), expect: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) };
    });
}

const norm = (s) => String(s).toLowerCase().replace(/\s+/g, ' ').trim();

/** An expectation matches a finding of the same rule whose subject contains the expected subject. */
function matches(expected, finding) {
  return expected.rule === finding.rule && norm(finding.subject).includes(norm(expected.subject));
}

/**
 * results: [{ name, expect, findings }]. Every finding matching a `must` is a true positive
 * (each `must` counts once); every other finding is a false positive; every unmatched
 * `must` is a false negative.
 */
export function scoreCorpus(results) {
  const perRule = new Map();
  const row = (rule) => perRule.get(rule) ?? perRule.set(rule, { tp: 0, fp: 0, fn: 0 }).get(rule);
  const details = [];
  for (const { name, expect, findings } of results) {
    const must = expect.must ?? [];
    const hit = new Set();
    for (const f of findings) {
      const i = must.findIndex((m, j) => !hit.has(j) && matches(m, f));
      const again = i < 0 && must.some((m) => matches(m, f));
      if (i >= 0) {
        hit.add(i);
        row(f.rule).tp++;
      } else if (!again) {
        row(f.rule).fp++;
        details.push({ case: name, kind: 'false positive', rule: f.rule, subject: f.subject, line: f.line });
      }
    }
    must.forEach((m, j) => {
      if (hit.has(j)) return;
      row(m.rule).fn++;
      details.push({ case: name, kind: 'missed', rule: m.rule, subject: m.subject });
    });
  }
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const r of perRule.values()) for (const k of ['tp', 'fp', 'fn']) total[k] += r[k];
  const ratio = (a, b) => (a + b === 0 ? 1 : a / (a + b));
  const rules = [...perRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rule, r]) => ({ rule, ...r, precision: ratio(r.tp, r.fp), recall: ratio(r.tp, r.fn) }));
  return { rules, total: { ...total, precision: ratio(total.tp, total.fp), recall: ratio(total.tp, total.fn) }, details };
}

export function formatScore(score) {
  const pct = (x) => x.toFixed(2);
  const lines = ['rule                       tp  fp  fn  precision  recall'];
  for (const r of score.rules) lines.push(`${r.rule.padEnd(26)} ${String(r.tp).padStart(3)} ${String(r.fp).padStart(3)} ${String(r.fn).padStart(3)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(6)}`);
  const t = score.total;
  lines.push(`${'all rules'.padEnd(26)} ${String(t.tp).padStart(3)} ${String(t.fp).padStart(3)} ${String(t.fn).padStart(3)}  ${pct(t.precision).padStart(9)}  ${pct(t.recall).padStart(6)}`);
  return lines.join('\n');
}
