// Times `sdp build` (no rendering) on the sample airbnb session against `node -e 0`,
// Node's own start-up and the floor for any CLI, interleaved in one run so machine load
// hits both alike. Prints medians and the ratio. Usage: node bench/build.mjs [runs]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv[2] ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-bench-'));
mkdirSync(path.join(dir, 'sessions'));
copyFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'), path.join(dir, 'sessions/airbnb.md'));

// sdp with no parse cache (a first build), and with the cache of the previous run (a rebuild,
// or a build after `sdp watch`).
const build = [path.join(root, 'bin/sdp.js'), 'build', '--no-render', 'sessions/airbnb.md'];
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'sdp build': [process.execPath, build, { SDP_CACHE_DIR: 'off' }],
  'sdp rebuild': [process.execPath, build, { SDP_CACHE_DIR: path.join(dir, 'cache') }],
};

function time([cmd, args, env = {}]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (const c of Object.values(commands)) time(c); // warm the file cache
for (let i = 0; i < runs; i++) for (const [name, c] of Object.entries(commands)) samples[name].push(time(c));
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
console.log(`runs: ${runs} each, interleaved`);
console.log('command        median ms   p90 ms');
for (const [name, xs] of Object.entries(samples)) console.log(`${name.padEnd(14)} ${median(xs).toFixed(1).padStart(9)} ${p90(xs).toFixed(1).padStart(8)}`);
for (const name of ['sdp build', 'sdp rebuild']) {
  const ratio = median(samples[name]) / median(samples['node -e 0']);
  console.log(`ratio ${name} / node start-up: ${ratio.toFixed(2)}x (target <= 3x)`);
}
