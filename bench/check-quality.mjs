// Precision and recall of every `sdp check` rule on the corpus in tests/fixtures/check/,
// running the built binary as a user would. Usage: node bench/check-quality.mjs [--details]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS, HOLDOUT, corpusCases, formatScore, scoreCorpus } from '../tests/support/corpus.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// --holdout: the cases written after the rules were tuned on the main corpus, never tuned on.
const corpus = process.argv.includes('--holdout') ? HOLDOUT : CORPUS;
const results = corpusCases(corpus).map((c) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/sdp.js'), 'check', c.file, '--json'], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${c.name}: ${r.stderr}`);
  return { ...c, findings: JSON.parse(r.stdout).findings };
});
const score = scoreCorpus(results);
console.log(`${results.length} sessions`);
console.log(formatScore(score));
if (process.argv.includes('--details')) for (const d of score.details) console.log(`${d.case}: ${d.kind} ${d.rule} "${d.subject}"${d.line ? ` (line ${d.line})` : ''}`);
