// `sdp watch` as an editor sees it: the time from a save to the updated hint being on disk
// (p50, p95 over N saves, in-place and rename saves, each followed by a pause), how many times
// watch writes the file per 100 saves made the way people save (half followed by a pause to
// think, half by another save 0.4 s later), and the watch process's memory after 10 saves
// against after 1,000.
// Usage: node bench/watch.mjs [saves] [memorySaves] [renders] [patternSaves]
// SDP_BIN=path/to/bin/sdp.js measures another build (a baseline).
import { spawn } from 'node:child_process';
import { watch as fsWatch, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const saves = Number(process.argv[2] ?? 40);
const memorySaves = Number(process.argv[3] ?? 1000);
const patternSaves = Number(process.argv[5] ?? 100);
const bin = process.env.SDP_BIN ? path.resolve(process.env.SDP_BIN) : path.join(root, 'bin/sdp.js');

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-watch-bench-'));
await fs.mkdir(path.join(dir, 'sessions'));
const file = path.join(dir, 'sessions/airbnb.md');
const base = readFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'), 'utf8');
await fs.writeFile(file, base);

// Hints alone first: the pictures are measured on their own below.
const child = spawn(process.execPath, [bin, 'watch', 'sessions/airbnb.md', '--no-render'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
const until = async (test, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out; watch said:\n${output}`);
};
await until(() => output.includes('watching'));
// The first write (hints for the whole file) happens at start; let it land.
await until(async () => (await fs.readFile(file, 'utf8')).includes('From your answers so far'));

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

// Each of watch's writes is a temp file beside the session, renamed over it.
const temps = new Set();
const dirWatch = fsWatch(path.dirname(file), (_e, name) => {
  if (name && /\.sdp-\d+-\d+\.tmp$/.test(String(name))) temps.add(String(name));
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let missed = 0;
const seen = () => output.split('edited 1. Requirements').length - 1;

/** One save: a new functional requirement. `wait`: 'hint' until the API hint names it, 'seen' until watch has read it. */
async function save(i, style, wait = 'hint') {
  const current = await fs.readFile(file, 'utf8');
  const requirement = `- Hosts can frobnicate widget${i}`;
  const next = current.replace(/(### Functional\n\n<!-- sdp:hint[^\n]*\n[\s\S]*?<!-- \/sdp:hint[^\n]*\n\n)(- Hosts can frobnicate widget\d+\n)?/, `$1${requirement}\n`);
  const start = performance.now();
  const before = seen();
  if (style === 'rename') {
    const temp = `${file}.${i}.tmp`;
    await fs.writeFile(temp, next);
    await fs.rename(temp, file);
  } else {
    await fs.writeFile(file, next);
  }
  // A save that lands while watch writes can be merged into one round: count it, go on.
  if (wait === 'seen') return until(() => seen() > before, 3000).catch(() => void missed++);
  if (wait === 'none') return;
  await until(async () => {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    return text.includes(`no endpoint serves "Hosts can frobnicate widget${i}"`);
  });
  return performance.now() - start;
}

const latencies = { 'in-place': [], rename: [] };
for (let i = 0; i < saves; i++) {
  const style = i % 2 ? 'rename' : 'in-place';
  latencies[style].push(await save(i, style));
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
if (saves > 1) {
  console.log(`save → hint on disk, ${saves} saves (${saves / 2} of each kind):`);
  for (const [style, xs] of Object.entries(latencies))
    console.log(`  ${style.padEnd(9)} p50 ${pct(xs, 0.5).toFixed(0)} ms   p95 ${pct(xs, 0.95).toFixed(0)} ms   max ${Math.max(...xs).toFixed(0)} ms`);
  const all = [...latencies['in-place'], ...latencies.rename];
  console.log(`  all       p50 ${pct(all, 0.5).toFixed(0)} ms   p95 ${pct(all, 0.95).toFixed(0)} ms (watch waits 1.5 s after a save for a pause)`);
}

if (patternSaves > 0) {
  // The typing model of tests/e2e/editors.test.ts: half the saves followed by a 2.5 s pause, half by another save 0.4 s later.
  await sleep(3000);
  const writesBefore = temps.size;
  let seed = 13;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < patternSaves; i++) {
    await save(200_000 + i, i % 2 ? 'rename' : 'in-place', 'none');
    await sleep(rand() < 0.5 ? 2500 : 400);
  }
  await sleep(3000);
  console.log(
    `file writes by watch: ${(((temps.size - writesBefore) * 100) / patternSaves).toFixed(0)} per 100 saves (${patternSaves} saves, half followed by a 2.5 s pause, half by another save 0.4 s later)`,
  );
}

if (memorySaves > 0) {
  // Saves in quick succession, each read by watch before the next: what a long session costs in memory.
  for (let i = 0; i < 10; i++) await save(100_000 + i, 'in-place', 'seen');
  const after10 = rss();
  for (let i = 10; i < memorySaves; i++) await save(100_000 + i, i % 2 ? 'rename' : 'in-place', 'seen');
  const afterN = rss();
  console.log(
    `memory (RSS): ${after10.toFixed(1)} MB after 10 saves, ${afterN.toFixed(1)} MB after ${memorySaves}: growth ${(afterN - after10).toFixed(1)} MB (target <= 10 MB)${missed ? `; ${missed} saves not seen on their own` : ''}`,
  );
}

child.kill('SIGINT');
await new Promise((r) => child.on('close', r));
dirWatch.close();

// Pictures: a save that changes a workflow, until the architecture SVG on disk shows it.
const renders = Number(process.argv[4] ?? 30);
if (renders > 0) {
  await fs.writeFile(file, base);
  output = '';
  const pics = spawn(process.execPath, [bin, 'watch', 'sessions/airbnb.md'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  pics.stdout.on('data', (d) => (output += d));
  pics.stderr.on('data', (d) => (output += d));
  const svg = path.join(dir, 'reports/airbnb/architecture.svg');
  await until(() => output.includes('pictures:'), 60_000);
  const times = [];
  for (let i = 0; i < renders; i++) {
    const current = await fs.readFile(file, 'utf8');
    const next = current.replace(/- Host -> Photo Storage: upload photos[^\n]*/, `- Host -> Photo Storage: upload photos batch${i}`);
    const start = performance.now();
    await fs.writeFile(file, next);
    await until(async () => (await fs.readFile(svg, 'utf8').catch(() => '')).includes(`batch${i}`), 20_000);
    times.push(performance.now() - start);
  }
  console.log(`save → pictures redrawn on disk, ${renders} saves: p50 ${pct(times, 0.5).toFixed(0)} ms   p95 ${pct(times, 0.95).toFixed(0)} ms`);
  pics.kill('SIGINT');
  await new Promise((r) => pics.on('close', r));
}
await fs.rm(dir, { recursive: true, force: true });
