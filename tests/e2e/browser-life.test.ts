// No browser outlives sdp, and sdp never waits on a browser past its timeout: checked against
// the process table and the temp folder, each test giving sdp a TMPDIR of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/io/browser.js';
import { BIN, browserLeftovers, cleanTemps, distExists, fixture, makeTemp, sdp, until } from './support/cli.js';

let haveBrowser = true;
try {
  findBrowser();
} catch (err) {
  haveBrowser = false;
  console.log(`skipping the browser lifecycle tests: ${(err as Error).message} (apt-get install -y chromium)`);
}

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cleanTemps();
});

/** A folder with `sessions/a.md` (six diagrams) and `n` copies, and a TMPDIR of its own. */
async function project(copies = 0): Promise<{ cwd: string; tmp: string; text: string }> {
  const cwd = await makeTemp('sdp-life-');
  const tmp = path.join(cwd, 'tmp');
  await fs.mkdir(path.join(cwd, 'sessions'), { recursive: true });
  await fs.mkdir(tmp);
  const text = await fixture('airbnb-complete.md');
  await fs.writeFile(path.join(cwd, 'sessions/a.md'), text);
  for (let i = 0; i < copies; i++) await fs.writeFile(path.join(cwd, `sessions/b${i}.md`), text);
  return { cwd, tmp, text };
}

interface Running {
  child: ChildProcess;
  log(): string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(cwd: string, tmp: string, args: string[], env: Record<string, string> = {}): Running {
  let log = '';
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', TMPDIR: tmp, ...env } });
  children.add(child);
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, log: () => log, closed };
}

/** Renderer processes of the browsers under `tmp`. */
async function renderers(tmp: string): Promise<number[]> {
  return (await browserLeftovers(tmp)).processes.filter((p) => p.includes('--type=renderer')).map((p) => Number(p.split(' ')[0]));
}

const NONE = { processes: [], profiles: [] };

describe('sdp watch with a browser open', () => {
  it.skipIf(!haveBrowser).each(['SIGINT', 'SIGTERM'] as const)(
    '%s: exit 0 with the timing saved, no browser process and no profile left',
    async (signal) => {
      const { cwd, tmp } = await project();
      const w = run(cwd, tmp, ['watch', 'sessions/a.md']);
      await until('the first pictures', () => w.log().includes('pictures: 6 redrawn'), 60_000);
      expect((await browserLeftovers(tmp)).processes.length).toBeGreaterThan(0);
      const file = path.join(cwd, 'sessions/a.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('- Guests can book a stay and pay;', '- Guests can cancel a booking.\n- Guests can book a stay and pay;'));
      await until('the edit seen', () => w.log().includes('edited 1. Requirements'), 30_000);
      w.child.kill(signal);
      const { code } = await w.closed;
      expect(code, w.log()).toBe(0);
      expect(w.log()).toContain('stopped; timing saved');
      const saved = await fs.readFile(file, 'utf8');
      expect(saved).toContain('- Guests can cancel a booking.');
      expect(saved).toMatch(/^timing:\n(.*\n)*? {4}requirements: \{ first_edit: "[^"]+", last_edit: "[^"]+", active_seconds: \d+ \}$/m);
      await until('no browser left', async () => (await browserLeftovers(tmp)).processes.length === 0, 10_000);
      expect(await browserLeftovers(tmp)).toEqual(NONE);
    },
    120_000,
  );
});

describe('kill -9 of sdp mid-render', () => {
  it.skipIf(!haveBrowser).each([
    ['build', ['build', '--all']],
    ['watch', ['watch', 'sessions/a.md']],
  ] as const)(
    '%s: the browser and its profile go too',
    async (_name, args) => {
      const { cwd, tmp } = await project(6);
      const r = run(cwd, tmp, [...args]);
      await until('a renderer drawing', async () => (await renderers(tmp)).length > 0, 60_000);
      const during = await browserLeftovers(tmp);
      expect(during.processes.length).toBeGreaterThan(2);
      expect(during.profiles.length).toBe(1);
      r.child.kill('SIGKILL');
      await r.closed;
      await until(
        'no browser and no profile left',
        async () => {
          const left = await browserLeftovers(tmp);
          return left.processes.length === 0 && left.profiles.length === 0;
        },
        20_000,
      );
      expect(await browserLeftovers(tmp)).toEqual(NONE);
    },
    120_000,
  );
});

describe('a renderer that stops answering mid-render', () => {
  it.skipIf(!haveBrowser)(
    'build gives up on it after --render-timeout, writes every report with its source and exits 1, leaving nothing',
    async () => {
      const { cwd, tmp } = await project(12);
      const r = run(cwd, tmp, ['build', '--all', '--render-timeout', '10']);
      await until('the first report, with its pictures', () => r.log().includes('Wrote reports/a.md with 6 pictures'), 60_000).catch((err) => Promise.reject(new Error(`${err.message}: ${r.log()}`)));
      for (const pid of await renderers(tmp)) process.kill(pid, 'SIGSTOP');
      // A hang, not a speed check: before, sdp never exited (>120 s) with the renderers leaked.
      const guard = setTimeout(() => r.child.kill('SIGKILL'), 90_000);
      const { code, signal } = await r.closed;
      clearTimeout(guard);
      expect(signal, r.log()).toBe(null);
      expect(code, r.log()).toBe(1);
      expect(r.log()).toMatch(
        /^sessions\/b\d+\.md: error: \S+ not drawn: (rendering a diagram took longer than 10 s; the browser was stopped|the browser was stopped after rendering a diagram took longer than 10 s)/m,
      );
      // Which diagrams were in flight when the renderers stopped depends on the queue: every later session has one not drawn.
      expect(r.log()).toMatch(
        /^sessions\/b11\.md: error: \S+ not drawn: (the browser was stopped after rendering a diagram took longer than 10 s|rendering a diagram took longer than 10 s; the browser was stopped)/m,
      );
      expect(r.log()).not.toMatch(/unexpected error/);
      for (const name of ['a', 'b0', 'b11']) expect(await fs.readFile(path.join(cwd, `reports/${name}.md`), 'utf8')).toContain('```mermaid\nflowchart TB');
      expect(await browserLeftovers(tmp)).toEqual(NONE);
    },
    120_000,
  );
});

describe('a browser binary that hangs on start', () => {
  it('costs the render timeout, not 30 s: every diagram is reported not drawn, exit 1, the hanging process killed', async () => {
    const { cwd, tmp } = await project();
    const fake = path.join(cwd, 'chromium-that-hangs');
    await fs.writeFile(fake, '#!/bin/sh\nsleep 600\n', { mode: 0o755 });
    const r = run(cwd, tmp, ['build', '--render-timeout', '2'], { PUPPETEER_EXECUTABLE_PATH: fake });
    const guard = setTimeout(() => r.child.kill('SIGKILL'), 25_000);
    const { code, signal } = await r.closed;
    clearTimeout(guard);
    expect(signal, r.log()).toBe(null);
    expect(code, r.log()).toBe(1);
    expect(r.log()).toMatch(/^sessions\/a\.md: error: architecture not drawn: starting the browser took longer than 2 s; the browser was stopped\. The report keeps its mermaid source\.$/m);
    expect(await fs.readFile(path.join(cwd, 'reports/a.md'), 'utf8')).toContain('```mermaid\nflowchart TB');
    await until('the hanging binary killed', async () => (await browserLeftovers(tmp)).processes.length === 0, 10_000);
    expect(await browserLeftovers(tmp)).toEqual(NONE);
  }, 60_000);
});

describe('--render-timeout is checked', () => {
  it.each(['Infinity', '1e308', '0', '-3', 'NaN', 'soon', '601'])('%s is a usage error (exit 2) that says what is allowed', async (value) => {
    const { cwd } = await project();
    const r = await sdp(cwd, ['build', `--render-timeout=${value}`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^sdp: --render-timeout must be seconds above 0 and at most 600, not "[^"]+"\. Try: e\.g\. --render-timeout 30$/);
    await expect(fs.stat(path.join(cwd, 'reports'))).rejects.toThrow();
  });
});
