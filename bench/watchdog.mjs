// What the browser's watchdog costs and how fast it cleans up. It is a `sh` blocked on a pipe
// from sdp (src/io/browser-process.ts); this measures, on this machine:
//   - setting up a browser folder with its watchdog (mkdtemp + spawn), median of 30;
//   - the watchdog's memory (VmRSS) and the CPU it uses while it waits 3 s;
//   - after a kill -9 of its parent, the time until the folder is gone, median of 10.
// Usage: node bench/watchdog.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync as readdir, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(path.join(os.tmpdir(), 'sdp-watchdog-bench-'));
const module = path.join(work, 'browser-process.mjs');
const bundled = await build({ entryPoints: [path.join(root, 'src/io/browser-process.ts')], bundle: true, platform: 'node', format: 'esm', write: false });
writeFileSync(module, bundled.outputFiles[0].text);
const { BrowserHome } = await import(module);
process.env.TMPDIR = work;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t) => `${t.toFixed(1)} ms`;
/** The watchdogs of this bench's folders, by their command line. */
const watchdogs = () =>
  readdir('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`sdp-watchdog\0${work}`);
      } catch {
        return false; // gone meanwhile
      }
    });

// 1. Set-up cost.
const setup = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  const home = new BrowserHome();
  setup.push(performance.now() - t);
  await home.release();
}

// 2. Memory and CPU while waiting.
const home = new BrowserHome();
await new Promise((r) => setTimeout(r, 3000));
const [pid] = watchdogs();
const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
const ticks = Number(stat[11]) + Number(stat[12]);
await home.release();

// 3. Clean-up after kill -9 of the parent.
const child = `const { BrowserHome } = await import(${JSON.stringify(module)}); const h = new BrowserHome(); h.started(undefined); console.log(h.dir); setInterval(() => {}, 1000);`;
const cleanup = [];
for (let i = 0; i < 10; i++) {
  const p = spawn(process.execPath, ['--input-type=module', '-e', child], { env: { ...process.env, TMPDIR: work }, stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = await new Promise((resolve) => p.stdout.once('data', (d) => resolve(String(d).trim())));
  const t = performance.now();
  p.kill('SIGKILL');
  while (existsSync(dir)) await new Promise((r) => setTimeout(r, 2));
  cleanup.push(performance.now() - t);
}

console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores`,
);
console.log('| what | figure |');
console.log('|---|---|');
console.log(`| folder + watchdog set-up (median of 30) | ${ms(median(setup))} |`);
console.log(`| watchdog memory (VmRSS) | ${rss} kB |`);
console.log(`| watchdog CPU while waiting 3 s | ${ticks} clock ticks |`);
console.log(`| kill -9 of sdp to folder removed (median of 10) | ${ms(median(cleanup))} |`);
rmSync(work, { recursive: true, force: true });
