// Precision and recall of depth (rubric key points) against the hand labels in
// tests/fixtures/depth/, per preset family and per key point, running the built binary as a
// user would. Usage: node bench/depth-quality.mjs [--points] [--details]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, formatDepthScore, labelledSessions, scoreDepth } from '../tests/support/depth-labels.mjs';

const results = labelledSessions().map((l) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/sdp.js'), 'check', l.file, '--json', '--reveal'], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${l.name}: ${r.stderr}`);
  const depth = JSON.parse(r.stdout).depth;
  if (!depth) throw new Error(`${l.name}: no rubric for ${l.question}`);
  return { ...l, found: new Set(depth.keyPoints.filter((k) => k.covered).map((k) => k.id)) };
});
const score = scoreDepth(results);
console.log(`${results.length} labelled sessions, ${score.total.tp + score.total.fp + score.total.fn + score.total.tn} key point labels`);
console.log(formatDepthScore(score, { points: process.argv.includes('--points') }));
if (process.argv.includes('--details')) for (const d of score.details) console.log(d);
