// Times `sdp check` on a 2,000-line session. The work after start-up is the median of
// `sdp check big.md` minus the median of `sdp --version` (the same bundle loaded, no work),
// all interleaved in one run. Usage: node bench/check-speed.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-check-bench-'));
const file = path.join(dir, 'big.md');

// The sample session grown the way long answers grow: more workflows (each its own short
// list), more components, choices spread over the sections of step 6, more failure entries.
let text = readFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'), 'utf8');
const before = (marker, add) => {
  const at = text.indexOf(marker);
  text = text.slice(0, at) + add + text.slice(at);
};
const n = Number(process.env.SDP_BENCH_N ?? 45);
const range = (k) => Array.from({ length: k }, (_, i) => i);
before(
  '### Components',
  range(n)
    .map(
      (i) =>
        `### Workflow: Flow ${i}\n\nThe guest opens item ${i}; the service reads it through its cache.\n\n1. Guest -> API Gateway: GET /items${i}\n2. API Gateway -> Item Service ${i % 15}: fetch item ${i}\n3. Item Service ${i % 15} -> Item Cache ${i % 15}: get item\n4. Item Service ${i % 15} -> Item DB ${i % 15}: read row on a miss\n\n`,
    )
    .join(''),
);
before(
  '## 5. Architecture',
  range(15)
    .map((i) => `- Item Service ${i}: serves items of shard ${i}\n- Item DB ${i} [database]: items of shard ${i}\n- Item Cache ${i} [cache]: hot items of shard ${i}\n`)
    .join('') + '\n',
);
for (const section of ['### Scalability', '### Efficiency', '### Resilience and single points of failure', '### User experience', '## 7. Edge cases and failures']) {
  before(
    section,
    range(n / 3)
      .map((i) => `- Choice: shard ${i} on item id\n  - Why: spread writes\n  - Alternatives: range partitioning\n  - Trade-off: cross-shard queries\n`)
      .join('') + '\n',
  );
}
text += range(n)
  .map((i) => `- Item DB ${i % 15} node down: promote its replica; alert after 30 s\n`)
  .join('');
writeFileSync(file, text);
const lines = text.split('\n').length;

// Three ways to meet the file: with no parse cache (the first check of a file), right after
// an edit to one section (the usual case: the other sections' markdown nodes come from the
// cache; each run edits a different line, so exactly one chunk is new), and unchanged.
const cacheDir = path.join(dir, 'cache');
const edited = path.join(dir, 'edited.md');
const editAt = text.indexOf('- Item DB 0 node down');
let edits = 0;
// A second baseline: the check command loaded and run on a ten-line session, no cache.
const tiny = path.join(dir, 'tiny.md');
writeFileSync(tiny, '---\nsdp: 1\nquestion: airbnb\n---\n\n# Design Airbnb\n\n## 1. Requirements\n\n- Guests book stays\n');
const commands = {
  'sdp --version': { args: [path.join(root, 'bin/sdp.js'), '--version'] },
  'check, tiny file': { args: [path.join(root, 'bin/sdp.js'), 'check', tiny, '--json'], env: { SDP_CACHE_DIR: 'off' } },
  'check, no cache': { args: [path.join(root, 'bin/sdp.js'), 'check', file, '--json'], env: { SDP_CACHE_DIR: 'off' } },
  'check, one edit': {
    args: [path.join(root, 'bin/sdp.js'), 'check', edited, '--json'],
    env: { SDP_CACHE_DIR: cacheDir },
    before: () => writeFileSync(edited, text.slice(0, editAt) + `- Edit ${++edits}: noted\n` + text.slice(editAt)),
  },
  'check, unchanged': { args: [path.join(root, 'bin/sdp.js'), 'check', file, '--json'], env: { SDP_CACHE_DIR: cacheDir } },
};
const time = ({ args, env, before }) => {
  before?.();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  if (r.status !== 0 && r.status !== 1) throw new Error(String(r.stderr));
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (const command of Object.values(commands)) time(command);
for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(time(command));
if (process.argv.includes('--keep')) console.log(`kept ${file}`);
else rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['sdp --version']);
console.log(`session: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB; runs: ${runs} each, interleaved`);
const loaded = median(samples['check, tiny file']);
for (const [name, xs] of Object.entries(samples)) {
  const work = name === 'sdp --version' ? '' : `  work after start-up ${(median(xs) - base).toFixed(1)} ms`;
  const more = name.startsWith('check, ') && name !== 'check, tiny file' ? `, after the tiny check ${(median(xs) - loaded).toFixed(1)} ms` : '';
  console.log(`${name.padEnd(18)} median ${median(xs).toFixed(1)} ms${work}${more}`);
}
console.log('target: < 100 ms of work after start-up (start-up: `sdp --version`; the tiny check also loads and runs the check code once)');
