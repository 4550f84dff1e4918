// Hand labels of depth (tests/fixtures/depth/*.labels.json, decided by reading each answer)
// and the precision/recall of the depth checker against them, per preset family and per key
// point. Shared by tests/depth.test.ts (in-process) and bench/depth-quality.mjs (the binary).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
export const LABELS = path.join(ROOT, 'tests/fixtures/depth');

/** Every labelled session: {name, file, question, covered: Set, notCovered: Set}. */
export function labelledSessions(dir = LABELS) {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.labels.json'))
    .sort()
    .map((n) => {
      const l = JSON.parse(readFileSync(path.join(dir, n), 'utf8'));
      return { name: n.replace(/\.labels\.json$/, ''), file: path.join(ROOT, l.session), question: l.question, covered: new Set(l.covered), notCovered: new Set(l.notCovered) };
    });
}

const ratio = (a, b) => (b === 0 ? 1 : a / b);

/**
 * `results`: [{name, question, covered: Set, notCovered: Set, found: Set of covered ids}].
 * Precision: of the points the checker says are covered, how many a person said are.
 * Recall: of the points a person said are covered, how many the checker found.
 */
export function scoreDepth(results) {
  const tally = () => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
  const byFamily = new Map();
  const byPoint = new Map();
  const total = tally();
  const details = [];
  for (const r of results) {
    for (const id of [...r.covered, ...r.notCovered]) {
      const truth = r.covered.has(id);
      const said = r.found.has(id);
      const kind = truth ? (said ? 'tp' : 'fn') : said ? 'fp' : 'tn';
      for (const t of [total, get(byFamily, r.question, tally), get(byPoint, `${r.question}/${id}`, tally)]) t[kind]++;
      if (kind === 'fp' || kind === 'fn') details.push(`${r.name}: ${kind === 'fp' ? 'false positive' : 'missed'} ${id}`);
    }
  }
  const stats = (t) => ({ ...t, precision: ratio(t.tp, t.tp + t.fp), recall: ratio(t.tp, t.tp + t.fn) });
  return {
    total: stats(total),
    families: Object.fromEntries([...byFamily].map(([k, t]) => [k, stats(t)])),
    points: Object.fromEntries([...byPoint].map(([k, t]) => [k, stats(t)])),
    details,
  };
}

function get(map, key, make) {
  if (!map.has(key)) map.set(key, make());
  return map.get(key);
}

export function formatDepthScore(score, { points = false } = {}) {
  const row = (name, s) => `${name.padEnd(44)} ${s.precision.toFixed(2).padStart(9)} ${s.recall.toFixed(2).padStart(6)}   tp ${s.tp} fp ${s.fp} fn ${s.fn} tn ${s.tn}`;
  const lines = [`${'preset family'.padEnd(44)} precision recall`];
  for (const [k, s] of Object.entries(score.families)) lines.push(row(k, s));
  lines.push(row('all', score.total));
  if (points) {
    lines.push('', `${'key point'.padEnd(44)} precision recall`);
    for (const [k, s] of Object.entries(score.points)) lines.push(row(k, s));
  }
  return lines.join('\n');
}
