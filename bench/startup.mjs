// How long a command takes to start, by the way it is launched: `node bin/sdp.js list`
// (the floor), `npx sdp list` in the checkout (what the README used to say), and `sdp list`
// from a global install of the checkout (`npm link` / `npm install -g .`, here into a
// throwaway prefix so nothing outside a temp folder changes). Runs are interleaved so that
// machine load falls on every variant alike; medians are printed.
// Usage: node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 9);
const prefix = mkdtempSync(path.join(os.tmpdir(), 'sdp-startup-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// `npm link` is `npm install -g .` of a folder: a symlink to the checkout in the prefix.
const link = spawnSync(npm, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts', root], { encoding: 'utf8' });
if (link.status !== 0) throw new Error(`npm install -g failed: ${link.stderr}`);
const linked = path.join(prefix, 'bin', 'sdp');

const variants = [
  { name: 'node bin/sdp.js list', cmd: process.execPath, args: [path.join(root, 'bin/sdp.js'), 'list'] },
  { name: 'sdp list (npm link)', cmd: linked, args: ['list'] },
  { name: 'npx sdp list', cmd: 'npx', args: ['sdp', 'list'] },
];
const times = new Map(variants.map((v) => [v.name, []]));
for (const v of variants) spawnSync(v.cmd, v.args, { cwd: root }); // warm the disk cache and npx's own cache
for (let i = 0; i < runs; i++) {
  for (const v of variants) {
    const t = process.hrtime.bigint();
    const r = spawnSync(v.cmd, v.args, { cwd: root, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0 || !r.stdout.includes('airbnb')) throw new Error(`${v.name} failed: ${r.stderr}`);
    times.get(v.name).push(ms);
  }
}
rmSync(prefix, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const floor = median(times.get(variants[0].name));
console.log(`${runs} interleaved runs each, node ${process.version}`);
console.log('command                       median    × node bin/sdp.js');
for (const v of variants) {
  const m = median(times.get(v.name));
  console.log(`${v.name.padEnd(28)} ${`${(m / 1000).toFixed(3)} s`.padStart(8)}    ${(m / floor).toFixed(2)}`);
}
