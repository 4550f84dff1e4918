// What a browser leaves behind when sdp is stopped in each way: processes and folders, counted
// in the process table and in a TMPDIR of the scenario's own (a process counts when its command
// line or environment names one of that TMPDIR's sdp-chromium-* folders, or, for a build
// without them, when it is a chromium whose profile lies there). Also the exit code and time.
// Usage: node bench/leftovers.mjs [path/to/bin/sdp.js]   (default: this checkout's)
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.resolve(process.argv[2] ?? path.join(root, 'bin/sdp.js'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function count(tmp) {
  const processes = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8') + readFileSync(`/proc/${pid}/environ`, 'utf8');
        return text.includes(`${tmp}/sdp-chromium-`) || (text.includes(`TMPDIR=${tmp}\0`) && /chrom/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
      } catch {
        return false;
      }
    });
  const folders = readdirSync(tmp).filter((n) => n.startsWith('sdp-chromium-') || n.startsWith('org.chromium.'));
  return { processes: processes.length, folders: folders.length };
}

async function until(test, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await sleep(50);
  }
  return false;
}

function project(copies) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-leftovers-'));
  const tmp = path.join(cwd, 'tmp');
  mkdirSync(path.join(cwd, 'sessions'), { recursive: true });
  mkdirSync(tmp);
  for (let i = 0; i <= copies; i++) copyFileSync(path.join(root, 'tests/fixtures/airbnb-complete.md'), path.join(cwd, `sessions/s${i}.md`));
  return { cwd, tmp };
}

function start(cwd, tmp, args, env = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp, ...env } });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const started = performance.now();
  const closed = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, seconds: (performance.now() - started) / 1000 })));
  return { child, closed, log: () => log };
}

const renderers = (tmp) =>
  readdirSync('/proc').filter((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return args.includes('--type=renderer') && (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`TMPDIR=${tmp}`) || args.includes(`${tmp}/sdp-chromium-`));
    } catch {
      return false;
    }
  });

/** Stops the process however the scenario says, then gives the leftovers 5 s to go. */
async function scenario(name, { copies = 0, args, env, ready, act, limit = 120_000 }) {
  const { cwd, tmp } = project(copies);
  const r = start(cwd, tmp, args, env);
  if (ready) await until(() => ready(r, tmp), 60_000);
  const during = count(tmp);
  if (act) await act(r, tmp, cwd);
  const guard = setTimeout(() => r.child.kill('SIGKILL'), limit);
  const end = await r.closed;
  clearTimeout(guard);
  const atExit = count(tmp);
  await until(() => count(tmp).processes === 0 && count(tmp).folders === 0, 5_000);
  const after = count(tmp);
  // The edit of step 1 (watch scenarios) recorded in the frontmatter's timing block.
  const timing = /^ {4}requirements: \{ first_edit: "2/m.test(readFileSync(path.join(cwd, 'sessions/s0.md'), 'utf8')) ? 'yes' : 'no';
  console.log(
    `| ${name} | ${during.processes} / ${during.folders} | ${atExit.processes} / ${atExit.folders} | ${after.processes} / ${after.folders} | ${end.signal ?? end.code} | ${end.seconds.toFixed(1)} s | ${timing} |`,
  );
  // Whatever is left is this script's to remove.
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if ((readFileSync(`/proc/${pid}/environ`, 'utf8') + readFileSync(`/proc/${pid}/cmdline`, 'utf8')).includes(tmp)) process.kill(Number(pid), 'SIGKILL');
    } catch {}
  }
  rmSync(cwd, { recursive: true, force: true });
}

const drawing = (r, tmp) => renderers(tmp).length > 0;

console.log(`sdp: ${bin}`);
console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores`,
);
console.log('| scenario | processes / folders while running | at exit | 5 s later | exit | time | timing saved |');
console.log('|---|---|---|---|---|---|---|');
for (const signal of ['SIGINT', 'SIGTERM']) {
  await scenario(`watch, pictures drawn, step 1 edited, ${signal}`, {
    args: ['watch', 'sessions/s0.md'],
    ready: (r) => r.log().includes('pictures: 6 redrawn'),
    act: async (r, tmp, cwd) => {
      const file = path.join(cwd, 'sessions/s0.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('- Guests can book a stay and pay;', '- Guests can cancel a booking.\n- Guests can book a stay and pay;'));
      await until(() => r.log().includes('edited 1. Requirements'), 30_000);
      r.child.kill(signal);
    },
  });
}
await scenario('build --all (7 sessions), kill -9 mid-render', { copies: 6, args: ['build', '--all'], ready: drawing, act: (r) => r.child.kill('SIGKILL') });
await scenario('watch, kill -9 mid-render', { args: ['watch', 'sessions/s0.md'], ready: drawing, act: (r) => r.child.kill('SIGKILL') });
await scenario('build --all (7 sessions), SIGINT mid-render', { copies: 6, args: ['build', '--all'], ready: drawing, act: (r) => r.child.kill('SIGINT') });
await scenario('build --all (13 sessions) --render-timeout 10, renderers SIGSTOPped', {
  copies: 12,
  args: ['build', '--all', '--render-timeout', '10'],
  ready: (r) => r.log().includes('Wrote reports/s0.md with 6 pictures'),
  act: (r, tmp) => {
    for (const pid of renderers(tmp)) process.kill(Number(pid), 'SIGSTOP');
  },
  limit: 150_000,
});
const hang = mkdtempSync(path.join(os.tmpdir(), 'sdp-hang-'));
writeFileSync(path.join(hang, 'chromium'), '#!/bin/sh\nsleep 600\n', { mode: 0o755 });
await scenario('build --render-timeout 2 with a browser binary that hangs', { args: ['build', '--render-timeout', '2'], env: { PUPPETEER_EXECUTABLE_PATH: path.join(hang, 'chromium') } });
rmSync(hang, { recursive: true, force: true });
