// How long sdp's swap leaves a session's path absent, and what a reader polling it meanwhile
// sees. The swap is the one in src/io/safe-write.ts (SessionWriter.replace): take (renameSync
// the session into .sdp-backup/), verify (readFileSync what was taken), put (linkSync the new
// file in), all synchronous. A second process opens the path in a loop throughout and counts
// "no such file". Usage: node bench/safe-write.mjs [swaps]
import { spawn } from 'node:child_process';
import { linkSync, promises as fs, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const swaps = Number(process.argv[2] ?? 2000);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-swap-bench-'));
const work = path.join(dir, '.sdp-backup');
await fs.mkdir(work);
const file = path.join(dir, 'airbnb.md');
const base = readFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'));
writeFileSync(file, base);

// The reader: opens and reads the path as fast as it can, until told to stop.
const reader = spawn(
  process.execPath,
  [
    '-e',
    `const fs = require('fs'); let reads = 0, absent = 0, stop = false;
     process.stdin.on('data', () => { stop = true; });
     (function loop() {
       for (let i = 0; i < 200; i++) { reads++; try { fs.readFileSync(${JSON.stringify(file)}); } catch (e) { if (e.code === 'ENOENT') absent++; else throw e; } }
       if (stop) { process.stdout.write(JSON.stringify({ reads, absent })); process.exit(0); }
       setImmediate(loop);
     })();`,
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
let out = '';
reader.stdout.on('data', (d) => (out += d));
await new Promise((r) => setTimeout(r, 300));

const gaps = [];
let current = base;
for (let i = 0; i < swaps; i++) {
  const next = Buffer.concat([base, Buffer.from(`\n<!-- ${i} -->\n`)]);
  const temp = path.join(work, `.sdp-${process.pid}-${i}-airbnb.md.tmp`);
  const taken = path.join(work, `.sdp-${process.pid}-${i}-airbnb.md.taken`);
  writeFileSync(temp, next);
  const t0 = process.hrtime.bigint();
  renameSync(file, taken);
  const took = readFileSync(taken);
  if (!took.equals(current)) throw new Error('the bench raced itself');
  linkSync(temp, file);
  gaps.push(Number(process.hrtime.bigint() - t0) / 1000);
  rmSync(temp);
  rmSync(taken);
  current = next;
  if (i % 50 === 0) await new Promise((r) => setImmediate(r));
}
reader.stdin.write('stop');
await new Promise((r) => reader.on('close', r));
const { reads, absent } = JSON.parse(out);
gaps.sort((a, b) => a - b);
const q = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))].toFixed(0);
console.log(`swaps of a ${(base.length / 1024).toFixed(1)} KB session: ${swaps}`);
console.log(`path absent per swap (take -> put), microseconds: p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${gaps[gaps.length - 1].toFixed(0)}`);
// The reader spins: when the swapping process is descheduled between take and put (a loaded
// machine), it reads many times in that one gap, so this counts reads, not swaps.
console.log(`a reader spinning on the path meanwhile: ${reads} reads, ${absent} found no file`);
await fs.rm(dir, { recursive: true, force: true });
