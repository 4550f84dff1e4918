// Rendering speed, side by side in one run: `sdp build` of the sample airbnb session with all
// its diagrams against one bare `mmdc` call that renders only its architecture diagram; and
// `sdp build --all` over N sessions (median of 3 runs) against N `mmdc` calls. Usage:
// node bench/render.mjs [N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const n = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-render-bench-'));
const sdp = path.join(root, 'bin/sdp.js');
const mmdc = path.join(root, 'node_modules/.bin/mmdc');
const chromium = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
writeFileSync(path.join(dir, 'puppeteer.json'), JSON.stringify({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] }));

// One session, and its architecture diagram as mmdc input (taken from sdp's own report).
mkdirSync(path.join(dir, 'one/sessions'), { recursive: true });
copyFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'), path.join(dir, 'one/sessions/airbnb.md'));
spawnSync(process.execPath, [sdp, 'build', '--no-render'], { cwd: path.join(dir, 'one'), env: { ...process.env, SDP_CACHE_DIR: 'off' } });
const report = readFileSync(path.join(dir, 'one/reports/airbnb.md'), 'utf8');
const arch = /```mermaid\n(flowchart [\s\S]*?)```/.exec(report)[1];
writeFileSync(path.join(dir, 'arch.mmd'), arch);

// N sessions: the shipped samples, as many as needed.
mkdirSync(path.join(dir, 'many/sessions'), { recursive: true });
const samples = [
  ...new Set(
    readFileSync(path.join(root, 'package.json'), 'utf8') &&
      spawnSync('ls', [path.join(root, 'templates/samples')], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n'),
  ),
];
for (let i = 0; i < n; i++) copyFileSync(path.join(root, 'templates/samples', samples[i % samples.length]), path.join(dir, `many/sessions/s${String(i).padStart(2, '0')}.md`));

const time = (label, cmd, args, cwd, env = {}) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  return s;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = 3;
const one = { sdp: [], mmdc: [] };
for (let i = 0; i < runs; i++) {
  one.sdp.push(time('sdp build', process.execPath, [sdp, 'build'], path.join(dir, 'one'), { SDP_CACHE_DIR: 'off' }));
  one.mmdc.push(time('mmdc', mmdc, ['-q', '-p', path.join(dir, 'puppeteer.json'), '-i', path.join(dir, 'arch.mmd'), '-o', path.join(dir, `arch-${i}.svg`)], dir));
}
const diagrams = (report.match(/```mermaid/g) ?? []).length;
console.log(
  `one session (${diagrams} diagrams): sdp build ${median(one.sdp).toFixed(2)} s, one bare mmdc (architecture only) ${median(one.mmdc).toFixed(2)} s: ratio ${(median(one.sdp) / median(one.mmdc)).toFixed(2)}x (target <= 1.2x)`,
);

// The machine is shared and its load changes by the second: each --all run (into a fresh
// reports folder) is followed by its share of the mmdc calls, so both sides see the same stretch.
// sdp runs with no parse cache (every session parsed afresh, as on a first build), and again
// with a warm one (as after `sdp watch` or an earlier build), primed outside the timing.
const cold = { SDP_CACHE_DIR: 'off' };
const warm = { SDP_CACHE_DIR: path.join(dir, 'cache') };
time('priming', process.execPath, [sdp, 'build', '--all', '--no-render'], path.join(dir, 'many'), warm);
const alls = [];
const warms = [];
let calls = 0;
for (let r = 0; r < runs; r++) {
  rmSync(path.join(dir, 'many/reports'), { recursive: true, force: true });
  alls.push(time('sdp build --all', process.execPath, [sdp, 'build', '--all'], path.join(dir, 'many'), cold));
  warms.push(time('sdp build --all', process.execPath, [sdp, 'build', '--all'], path.join(dir, 'many'), warm));
  for (let i = Math.floor((r * n) / runs); i < Math.floor(((r + 1) * n) / runs); i++)
    calls += time('mmdc', mmdc, ['-q', '-p', path.join(dir, 'puppeteer.json'), '-i', path.join(dir, 'arch.mmd'), '-o', path.join(dir, `many-${i}.svg`)], dir);
}
const all = median(alls);
const pictures = spawnSync('sh', ['-c', `ls ${path.join(dir, 'many/reports')}/*/*.svg | wc -l`], { encoding: 'utf8' }).stdout.trim();
console.log(
  `${n} sessions: sdp build --all ${all.toFixed(2)} s (no parse cache; median of ${alls.map((s) => s.toFixed(2)).join(', ')}; ${pictures} pictures), ${n} mmdc calls ${calls.toFixed(2)} s (${n} pictures): ${(calls / all).toFixed(1)}x faster (target >= 8x)`,
);
console.log(`  with a warm parse cache: sdp build --all ${median(warms).toFixed(2)} s (median of ${warms.map((s) => s.toFixed(2)).join(', ')}): ${(calls / median(warms)).toFixed(1)}x faster`);
rmSync(dir, { recursive: true, force: true });
