// Helpers for the end-to-end tests: run the built `sdp` binary as a user would
// (a child process, no terminal on stdin, CI=true) inside throw-away folders.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'sdp.js');
export const DIST = path.join(REPO, 'dist', 'cli.js');
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole process, in milliseconds. */
  ms: number;
}

export interface RunOptions {
  /** Kill the process after this long (a hang is a failure, not a stuck suite). */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** `sdp ...args` in `cwd`, stdin closed, like a user's shell in CI. */
export function sdp(cwd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Temp folders made by one test file, removed by `cleanTemps()` in afterAll. */
const temps = new Set<string>();

export async function makeTemp(prefix = 'sdp-e2e-'): Promise<string> {
  // realpath: on macOS the tmpdir is a symlink, and sdp prints paths relative to the real cwd.
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  temps.add(dir);
  return dir;
}

export async function cleanTemps(): Promise<void> {
  await Promise.all([...temps].map((d) => fs.rm(d, { recursive: true, force: true })));
  temps.clear();
}

/** Every file (not folder) under `dir`, as sorted paths relative to it with `/` separators. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    let entries;
    try {
      entries = await fs.readdir(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(at, e.name);
      if (e.isDirectory()) await walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** Every entry (files and folders) under `dir`, relative and sorted. */
export async function entriesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    for (const e of await fs.readdir(at, { withFileTypes: true })) {
      const full = path.join(at, e.name);
      out.push(path.relative(dir, full).split(path.sep).join('/') + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) await walk(full);
    }
  };
  await walk(dir);
  return out.sort();
}

export function fixture(name: string): Promise<string> {
  return fs.readFile(path.join(FIXTURES, name), 'utf8');
}

export function distExists(): boolean {
  return existsSync(DIST) && existsSync(BIN);
}

/** The stamp `sdp new` puts in file names: UTC `YYYYMMDD-HHMMSS`. */
export function stampOf(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** Lines that look like a Node stack trace. */
export const STACK_LINE = /^\s{4}at /m;

/** Wait for a condition, polling; a timeout says what was awaited. Not a fixed sleep. */
export async function until(what: string, test: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Processes and folders left by the browsers of sdp runs given `tmp` as their TMPDIR: every
 * process whose command line or environment names one of their `sdp-chromium-*` folders (the
 * browser, its helpers, the watchdog), and every such folder or `org.chromium.Chromium.*` left
 * in `tmp`. Scoped to one test's TMPDIR, so browsers of tests running beside it do not count.
 */
export async function browserLeftovers(tmp: string): Promise<{ processes: string[]; profiles: string[] }> {
  const mark = `${tmp}/sdp-chromium-`;
  const processes: string[] = [];
  for (const pid of (await fs.readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n))) {
    try {
      const [args, env] = await Promise.all([fs.readFile(`/proc/${pid}/cmdline`, 'utf8'), fs.readFile(`/proc/${pid}/environ`, 'utf8')]);
      if (args.includes(mark) || env.includes(mark)) processes.push(`${pid} ${args.replace(/\0/g, ' ').slice(0, 100)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  const profiles = (await fs.readdir(tmp).catch(() => [] as string[])).filter((n) => n.startsWith('sdp-chromium-') || n.startsWith('org.chromium.'));
  return { processes, profiles };
}

/** A project folder with one new airbnb session in sessions/. */
export async function newSession(prefix: string): Promise<{ cwd: string; file: string; rel: string }> {
  const cwd = await makeTemp(prefix);
  const r = await sdp(cwd, ['new', 'airbnb']);
  if (r.code !== 0) throw new Error(r.stderr);
  const name = (await fs.readdir(path.join(cwd, 'sessions'))).find((n) => n.endsWith('.md'))!;
  return { cwd, file: path.join(cwd, 'sessions', name), rel: `sessions/${name}` };
}

/** Put `text` under a section's hint block, as a person typing in an editor would. */
export function answer(source: string, key: string, text: string): string {
  const m = new RegExp(`<!-- /sdp:hint ${key}( #[0-9a-f]{8})? -->\\n`).exec(source)!;
  return source.slice(0, m.index + m[0].length) + `\n${text}\n` + source.slice(m.index + m[0].length);
}
