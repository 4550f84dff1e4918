// The watcher behind `sdp watch`, against a real folder and every way editors save.
// Synchronisation is by polling for an outcome (the file's bytes, an event) with a deadline,
// never by sleeping a fixed time and hoping. Pauses that do appear are part of a simulated
// editor's behaviour (a VS Code save written in two chunks, an Emacs rename with a gap).
import { spawn } from 'node:child_process';
import { closeSync, watch as fsWatch, promises as fs, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  CLOSE,
  OPEN,
  STYLES,
  readRetrying,
  doc,
  emacs,
  expected,
  hintDerive,
  hintSafe,
  inPlace,
  jetbrains,
  mulberry32,
  outsideBytes,
  parts,
  pause,
  regionCount,
  sedI,
  twoChunks,
  vim,
  wordsOutside,
  type Save,
} from './support/editors.js';
import { sha1, watchSession, type DeriveReason, type WatchEvent, type WatchOptions, type Watcher } from '../src/io/watch.js';

// ---- harness -----------------------------------------------------------------------------

const temps: string[] = [];
const open: Watcher[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-watch-'));
  temps.push(dir);
  return dir;
}

interface Harness {
  dir: string;
  file: string;
  watcher: Watcher;
  events: WatchEvent[];
  /** Every text derive was called with, and why. */
  seen: { text: string; reason: DeriveReason }[];
  writes(): number;
  read(): Promise<string>;
  /** Wait until the watcher has looked at the user's `text` and the file holds `expected(text)`. */
  settled(text: string, since: number, want?: string): Promise<void>;
}

type HarnessOptions = Partial<Omit<WatchOptions, 'derive'>> & {
  derive?: (text: string, reason: DeriveReason, h: Harness) => string | undefined;
  name?: string;
  dir?: string;
  /** Watch this path instead of creating `name` (e.g. a symlink made by the test). */
  watchPath?: string;
};

async function startWatching(initial: string | undefined, o: HarnessOptions = {}): Promise<Harness> {
  const dir = o.dir ?? (await tempDir());
  const file = o.watchPath ?? path.join(dir, o.name ?? 's.md');
  if (initial !== undefined) await fs.writeFile(file, initial);
  const events: WatchEvent[] = [];
  const seen: Harness['seen'] = [];
  const h: Harness = {
    dir,
    file,
    watcher: undefined as unknown as Watcher,
    events,
    seen,
    writes: () => events.filter((e) => e.type === 'write').length,
    read: () => readRetrying(file),
    async settled(text, since, want = expected(text)) {
      const hash = sha1(text);
      await waitFor(
        async () => events.slice(since).some((e) => (e.type === 'skip' || (e.type === 'change' && e.stage === 'settled')) && e.hash === hash) && (await h.read()) === want,
        `the watcher to settle on ${JSON.stringify(text.slice(-40))}`,
        events,
      );
    },
  };
  const { derive, ...rest } = o;
  h.watcher = watchSession({
    file,
    debounceMs: 20,
    stableMs: 40,
    rescanMs: 0, // detection must come from file-system events alone
    safe: hintSafe,
    ...rest,
    derive(text, reason) {
      seen.push({ text, reason });
      return derive ? derive(text, reason, h) : hintDerive(text);
    },
    onEvent(e) {
      events.push(e);
      rest.onEvent?.(e);
    },
  });
  open.push(h.watcher);
  await h.watcher.ready;
  return h;
}

/** Poll `cond` every 10 ms until it holds; fail with the recent events after `timeoutMs`. */
async function waitFor(cond: () => boolean | Promise<boolean>, what: string, events?: WatchEvent[], timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) {
      const recent = events
        ? `\nlast events:\n${events
            .slice(-12)
            .map((e) => JSON.stringify(e, (k, v) => (k === 'error' ? undefined : v)))
            .join('\n')}`
        : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${recent}`);
    }
    await pause(10);
  }
}

const writeEvents = (events: WatchEvent[]) => events.filter((e): e is Extract<WatchEvent, { type: 'write' }> => e.type === 'write');

// ---- tests -------------------------------------------------------------------------------

describe('watchSession', () => {
  it('derives on start, then reports ready', async () => {
    const initial = doc('one two three\n');
    const h = await startWatching(initial);
    expect(await h.read()).toBe(expected(initial));
    expect(h.seen.map((s) => s.reason)).toEqual(['start']);
    expect(h.events.filter((e) => e.type === 'ready')).toHaveLength(1);
    expect(h.events.at(-1)?.type).toBe('ready');
  });

  it('keeps a BOM and CRLF line endings byte for byte', async () => {
    const initial = '\uFEFF' + doc('first line\r\nsecond line\r\n', 0, '\r\n');
    const h = await startWatching(initial);
    const bytes = await fs.readFile(h.file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(outsideBytes(bytes).equals(outsideBytes(Buffer.from(initial)))).toBe(true);
    expect(bytes.toString('utf8')).toContain(`${OPEN}\r\n> words: 6\r\n${CLOSE}`);
  });

  it('an in-place save is derived and the region updated', async () => {
    const h = await startWatching(doc('alpha\n'));
    const since = h.events.length;
    const text = doc('alpha beta gamma\n', 1);
    await inPlace(h.file, text);
    await h.settled(text, since);
    expect(await h.read()).toBe(doc('alpha beta gamma\n'));
    expect(await h.read()).toContain('> words: 5'); // # Title alpha beta gamma
    expect(h.seen.at(-1)).toEqual({ text, reason: 'change' });
  });

  it.each([
    ['JetBrains safe write', jetbrains],
    ['vim writebackup', vim],
    ['sed -i', sedI],
  ])('a temp-and-rename save (%s) is seen', async (_name, save) => {
    const h = await startWatching(doc('start\n'));
    for (const body of ['one\n', 'one two\n', 'one two three\n']) {
      const since = h.events.length;
      const text = doc(body, 1);
      await save(h.file, text);
      await h.settled(text, since);
    }
    expect(await h.read()).toBe(doc('one two three\n'));
  });

  it('Emacs: rename to x~ then create x (at once, and after a gap longer than chokidar pairs up) is a change', async () => {
    const h = await startWatching(doc('start\n'));
    let since = h.events.length;
    let text = doc('emacs saved this\n', 1);
    await emacs()(h.file, text);
    await h.settled(text, since);

    since = h.events.length;
    text = doc('emacs saved this again later\n', 1);
    await emacs(150)(h.file, text);
    await h.settled(text, since);
    expect(h.events.slice(since).some((e) => e.type === 'skip' && e.why === 'missing')).toBe(true);
    expect(await h.read()).toBe(doc('emacs saved this again later\n'));
    expect(await fs.readFile(`${h.file}~`, 'utf8')).toBe(doc('emacs saved this\n')); // the user's backup is theirs
  });

  it('ignores swap, backup, lock and temp files and other sessions: no derive for them', async () => {
    const h = await startWatching(doc('start\n'));
    const junk = ['.s.md.swp', '.s.md.swx', 's.md~', '#s.md#', 's.md.tmp123', '4913', 'other.md', 's.md.___jb_old___'];
    for (let round = 0; round < 2; round++) {
      for (const name of junk) await fs.writeFile(path.join(h.dir, name), `junk ${round} ${OPEN}`);
    }
    await fs.symlink('user@host.1234:1700000000', path.join(h.dir, '.#s.md')); // an Emacs lock: a dangling symlink
    await fs.rm(path.join(h.dir, '4913'));
    const since = h.events.length;
    const text = doc('the real save\n', 1);
    await inPlace(h.file, text);
    await h.settled(text, since);

    const fsEvents = h.events.filter((e) => e.type === 'change' && e.stage === 'event');
    expect(fsEvents.length).toBeGreaterThan(0);
    expect(fsEvents.every((e) => e.type === 'change' && e.stage === 'event' && e.path === h.file)).toBe(true);
    expect(h.seen.map((s) => s.text)).toEqual([doc('start\n'), text]);
  });

  it.each([
    [30, 'inside a character'],
    [120, 'inside a character'],
    [30, 'between ASCII bytes'],
    [120, 'between ASCII bytes'],
  ])('a truncate-then-write save in two chunks %i ms apart, cut %s, is never processed half-written', async (gap, cut) => {
    const initial = doc('🙂 before the save\n');
    const h = await startWatching(initial, { stableMs: 250 });
    const since = h.events.length;
    const text = doc(`${'emoji 😀 and CJK 中文 and plain words '.repeat(20)}\n`, 4);
    await twoChunks(gap, cut === 'between ASCII bytes')(h.file, text);
    await h.settled(text, since);
    const allowed = new Set([initial, text]);
    for (const s of h.seen) expect(allowed.has(s.text), `derive saw ${JSON.stringify(s.text.slice(0, 80))}…`).toBe(true);
    expect(h.seen.filter((s) => s.text === text)).toHaveLength(1);
    expect(await h.read()).toBe(expected(text));
  });

  it('a user save between the read and the write wins: the write is dropped and derive re-run on the new text', async () => {
    const later = doc('the user typed this while sdp was deriving\n', 2);
    let raced = false;
    const h = await startWatching(doc('start\n'), {
      derive(text, reason, hh) {
        if (reason === 'change' && !raced) {
          raced = true;
          writeFileSync(hh.file, later); // a save landing while derive runs
        }
        return hintDerive(text);
      },
    });
    const since = h.events.length;
    const first = doc('first save\n', 1);
    await inPlace(h.file, first);
    await h.settled(later, since);
    expect(await h.read()).toBe(doc('the user typed this while sdp was deriving\n'));
    expect(h.events.slice(since).some((e) => e.type === 'skip' && e.why === 'raced')).toBe(true);
    expect(h.seen.slice(1).map((s) => s.text)).toEqual([first, later]);
    expect(writeEvents(h.events)).toHaveLength(1); // only the write for the newer text
  });

  it('a save landing on the file just before the swap goes straight back, then is derived', async () => {
    const late = doc('a save that landed on the old file\n', 1);
    let fired = false;
    const h = await startWatching(doc('start\n'), {
      hooks: {
        beforeRename(target) {
          if (fired) return;
          fired = true;
          writeFileSync(target, late); // in place: lands on the inode about to be taken
        },
      },
    });
    const since = h.events.length;
    const text = doc('the save sdp is deriving\n', 1);
    await inPlace(h.file, text);
    await h.settled(late, since);
    expect(await h.read()).toBe(expected(late));
    expect(h.events.slice(since).some((e) => e.type === 'skip' && e.why === 'raced')).toBe(true);
    expect(h.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  // #12 item 1: the moment between the last look and the swap. On main a rename-style save
  // landing there was replaced by sdp's write and gone, with no warning and no copy.
  for (const [style, save] of [
    [
      'a rename-style save (JetBrains, VS Code)',
      (f: string, t: string) => {
        writeFileSync(`${f}.jb`, t);
        renameSync(`${f}.jb`, f);
      },
    ],
    ['a save in place into the absent path', (f: string, t: string) => writeFileSync(f, t)],
  ] as const) {
    it(`${style} landing during the swap wins: sdp's write is dropped and derive runs on it`, async () => {
      const late = doc(`${style} during the swap\n`, 1);
      let fired = false;
      const hook = (target: string) => {
        if (fired) return;
        fired = true;
        save(target, late);
      };
      for (const at of ['beforeRename', 'afterTake'] as const) {
        fired = false;
        const h = await startWatching(doc('start\n'), { hooks: { [at]: hook } });
        const since = h.events.length;
        await inPlace(h.file, doc('the save sdp is deriving\n', 1));
        await h.settled(late, since);
        expect(await h.read(), at).toBe(expected(late));
        expect(
          h.events.filter((e) => e.type === 'error'),
          at,
        ).toEqual([]);
        await h.watcher.close();
      }
    });
  }

  it('a truncate-pause-write save that starts just before the swap and pauses 500 ms is kept whole', async () => {
    const late = doc('written 500 ms after the editor truncated the file\n', 1);
    let fired = false;
    let done: Promise<void> | undefined;
    const h = await startWatching(doc('start\n'), {
      hooks: {
        beforeRename(target) {
          if (fired) return;
          fired = true;
          const fd = openSync(target, 'w'); // the editor's open: truncates the inode about to be taken
          done = pause(500).then(() => {
            writeSync(fd, late);
            closeSync(fd);
          });
        },
      },
    });
    const since = h.events.length;
    await inPlace(h.file, doc('the save sdp is deriving\n', 1));
    await waitFor(() => done !== undefined, 'the editor to start saving');
    await done;
    await h.settled(late, since);
    expect(await h.read()).toBe(expected(late));
    expect(h.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('an editor re-saving its stale buffer: user lines survive, one region, no write loop', async () => {
    let buffer = doc('intro\n', 0); // the editor never reloads: its region stays stale
    const h = await startWatching(buffer);
    const users: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const line = `line ${i}: ${'word '.repeat(i)}✓\r\n`;
      users.push(line);
      buffer += line;
      const since = h.events.length;
      await STYLES[i % STYLES.length][1](h.file, buffer);
      await h.settled(buffer, since);
      const now = await h.read();
      expect(regionCount(now)).toBe(1);
      for (const u of users) expect(now).toContain(u);
    }
    const final = await h.read();
    expect(final).toBe(expected(buffer));
    // Our last write comes back as an event and is recognised by its hash: no loop.
    await waitFor(() => h.events.some((e) => e.type === 'skip' && e.why === 'own-write' && e.hash === sha1(final)), 'the own-write skip', h.events);
    expect(h.writes()).toBe(7); // start + one per save
    await h.watcher.flush();
    expect(h.writes()).toBe(7);
  });

  it('a symlinked session: the target is updated and the link stays a link', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'sessions'));
    await fs.mkdir(path.join(root, 'real'));
    const target = path.join(root, 'real', 'target.md');
    const link = path.join(root, 'sessions', 's.md');
    await fs.writeFile(target, doc('start\n'));
    await fs.symlink('../real/target.md', link);
    const h = await startWatching(undefined, { dir: path.join(root, 'sessions'), watchPath: link });

    let since = h.events.length;
    let text = doc('saved through the link\n', 1);
    await inPlace(link, text); // writes through to the target
    await h.settled(text, since);
    expect(await fs.readFile(target, 'utf8')).toBe(doc('saved through the link\n'));

    since = h.events.length;
    text = doc('saved by renaming in the target folder\n', 1);
    await jetbrains(target, text); // an editor that resolved the link
    await h.settled(text, since);

    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readlink(link)).toBe('../real/target.md');
    expect(await fs.readFile(target, 'utf8')).toBe(expected(text));
    expect(writeEvents(h.events).every((e) => e.target === target)).toBe(true);
    expect((await fs.readdir(path.join(root, 'real'))).sort()).toEqual(['.sdp-backup', 'target.md']);
    expect(await fs.readdir(path.join(root, 'real', '.sdp-backup'))).toEqual(['.gitignore']);
  });

  it('the twentieth consecutive save is processed like the first', async () => {
    const h = await startWatching(doc('start\n'));
    for (let i = 1; i <= 20; i++) {
      const since = h.events.length;
      const text = doc(`${'save '.repeat(i)}\n`, 0);
      await STYLES[i % STYLES.length][1](h.file, text);
      await h.settled(text, since);
    }
    expect(await h.read()).toBe(doc(`${'save '.repeat(20)}\n`));
    expect(h.seen.filter((s) => s.reason === 'change')).toHaveLength(20);
  });

  it('a derive that throws: an error event, no write, and recovery on the next good save', async () => {
    const h = await startWatching(doc('start\n'), {
      derive: (text) => {
        if (text.includes('BOOM')) throw new Error('cannot parse BOOM');
        return hintDerive(text);
      },
    });
    let since = h.events.length;
    const bad = doc('BOOM goes the parser\n', 1);
    await inPlace(h.file, bad);
    await waitFor(() => h.events.slice(since).some((e) => e.type === 'error' && e.stage === 'derive'), 'the derive error', h.events);
    const err = h.events.find((e) => e.type === 'error');
    expect(err && err.type === 'error' && err.message).toContain('cannot parse BOOM');
    expect(await h.read()).toBe(bad);
    expect(h.writes()).toBe(0);

    since = h.events.length;
    const good = doc('fixed it\n', 1);
    await inPlace(h.file, good);
    await h.settled(good, since);
    expect(await h.read()).toBe(doc('fixed it\n'));
  });

  it('an unsafe update (text outside the region would change) is never written', async () => {
    const h = await startWatching(doc('start\n'), {
      derive: (text) => hintDerive(text)?.replace('keep me', 'changed'),
    });
    const since = h.events.length;
    const text = doc('keep me exactly\n', 1);
    await inPlace(h.file, text);
    await waitFor(() => h.events.slice(since).some((e) => e.type === 'error' && e.stage === 'unsafe'), 'the unsafe error', h.events);
    expect(await h.read()).toBe(text);
    expect(h.writes()).toBe(0);
  });

  it('keeps one backup, written before the first write of the run', async () => {
    const initial = doc('original words\n', 0);
    const dir = await tempDir();
    const backupDir = path.join(dir, '.sdp-backup');
    const h = await startWatching(initial, { dir, backupDir, clock: () => Date.UTC(2026, 10, 24, 5, 4, 26) });
    const first = writeEvents(h.events)[0];
    expect(first.backup).toBe(path.join(backupDir, 's.20261124-050426.md'));
    expect(await fs.readFile(first.backup!, 'utf8')).toBe(initial);
    for (const body of ['more\n', 'more words\n']) {
      const since = h.events.length;
      const text = doc(body, 0);
      await inPlace(h.file, text);
      await h.settled(text, since);
    }
    expect(h.writes()).toBe(3);
    // The write event comes as the new file lands; its temp names are removed just after.
    await waitFor(async () => (await fs.readdir(backupDir)).every((n) => !n.startsWith('.sdp-')), 'the temps to be removed');
    expect((await fs.readdir(backupDir)).sort()).toEqual(['.gitignore', 's.20261124-050426.md']);
    expect(await fs.readFile(path.join(backupDir, '.gitignore'), 'utf8')).toBe('*\n');
    expect(writeEvents(h.events).filter((e) => e.backup)).toHaveLength(1);
  });

  it('keeps the file mode (beyond the umask), also when it changes during the run', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 's.md');
    await fs.writeFile(file, doc('start\n', 0));
    await fs.chmod(file, 0o666);
    const h = await startWatching(undefined, { dir, watchPath: file });
    expect(h.writes()).toBe(1);
    expect((await fs.stat(file)).mode & 0o7777).toBe(0o666);

    await fs.chmod(file, 0o600);
    const since = h.events.length;
    const text = doc('private now\n', 0);
    await inPlace(file, text);
    await h.settled(text, since);
    expect(h.writes()).toBe(2);
    expect((await fs.stat(file)).mode & 0o7777).toBe(0o600);
  });

  it('flush() derives with reason "flush" and writes', async () => {
    const h = await startWatching(doc('start\n', 0), {
      derive: (text, reason) => (reason === 'flush' ? hintDerive(text) : undefined),
    });
    expect(h.writes()).toBe(0);
    await h.watcher.flush();
    expect(h.seen.at(-1)?.reason).toBe('flush');
    expect(h.writes()).toBe(1);
    expect(await h.read()).toBe(doc('start\n'));
  });

  it('never derives or rewrites a file that is not valid UTF-8', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 's.md');
    const bytes = Buffer.concat([Buffer.from(doc('start\n', 0)), Buffer.from([0xff, 0xfe, 0x0a])]);
    await fs.writeFile(file, bytes);
    const h = await startWatching(undefined, { dir, watchPath: file });
    expect(h.seen).toHaveLength(0);
    expect(h.events.some((e) => e.type === 'skip' && e.why === 'not-utf8')).toBe(true);
    expect((await fs.readFile(file)).equals(bytes)).toBe(true);
  });

  it('close() leaves no watcher, timer or open file behind', async () => {
    // libuv keeps one inotify descriptor per process once any watch was made: make it first.
    fsWatch(os.tmpdir()).close();
    const fds = async () => (await fs.readdir('/proc/self/fd').catch(() => [])).length;
    const kinds = () => process.getActiveResourcesInfo().filter((k) => k === 'FSEventWrap' || k === 'Timeout' || k === 'StatWatcher');
    await waitFor(() => kinds().length === 0, 'a quiet start');
    const fdsBefore = await fds();

    const h = await startWatching(doc('start\n', 0), { rescanMs: 500 });
    const since = h.events.length;
    const text = doc('one more save\n', 0);
    await inPlace(h.file, text);
    await h.settled(text, since);
    expect(kinds()).toContain('FSEventWrap');
    await h.watcher.close();
    await h.watcher.close(); // idempotent
    await h.watcher.flush(); // a no-op once closed
    await waitFor(() => kinds().length === 0, `no handles left (have ${kinds().join(', ')})`);
    await waitFor(async () => (await fds()) <= fdsBefore, 'the file descriptors to be closed');
  });

  it('a process that closes its watcher exits by itself', async () => {
    const { build } = await import('esbuild');
    const dir = await tempDir();
    const bundle = path.join(dir, 'watch.mjs');
    await build({
      entryPoints: [path.resolve('src/io/watch.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'silent',
    });
    const script = path.join(dir, 'child.mjs');
    await fs.writeFile(
      script,
      `import { watchSession } from './watch.mjs';
import { promises as fs } from 'node:fs';
const file = process.argv[2];
let wrote; const written = new Promise((r) => (wrote = r));
const w = watchSession({ file, debounceMs: 10, stableMs: 20, rescanMs: 300,
  derive: (t) => (t.endsWith('done\\n') ? undefined : t + 'done\\n'), safe: () => true,
  onEvent: (e) => { if (e.type === 'write') wrote(); } });
await w.ready;
await fs.writeFile(file, 'hello\\n');
await written;
await w.flush();
await w.close();
console.log('closed');
`,
    );
    const session = path.join(dir, 's.md');
    await fs.writeFile(session, 'start done\n');
    const child = spawn(process.execPath, [script, session], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect({ code, out }).toEqual({ code: 0, out: 'closed\n' });
    expect(await fs.readFile(session, 'utf8')).toBe('hello\ndone\n');
  });

  it('property: 50 random edits saved in random editor styles; every byte outside the region is the user’s', async () => {
    const seed = Number(process.env.SDP_WATCH_SEED ?? 20261124);
    const rand = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const POOL = ['a', 'word', 'Ω', 'é', 'ß', '中文', '😀', '👩‍👩‍👧', ' ', ' ', '\t', '\n', '\r\n', '\u00a0', '\u200b', '#', '- ', '> ', '`', '<', '-->', 'ﬁ'];

    const initial = doc('Some text the user wrote.\r\nAnd a second line.\n', 0);
    const h = await startWatching(initial);
    let stale = initial; // an editor buffer that was never reloaded
    for (let step = 0; step < 50; step++) {
      const base = rand() < 0.3 ? stale : await h.read();
      const p = parts(base)!;
      const side = rand() < 0.5 ? 'head' : 'tail';
      const chars = Array.from(p[side]); // code points: never split a surrogate pair
      const at = Math.floor(rand() * (chars.length + 1));
      if (rand() < 0.65 || chars.length < 2) {
        const n = 1 + Math.floor(rand() * 6);
        chars.splice(at, 0, ...Array.from({ length: n }, () => pick(POOL)));
      } else {
        const start = Math.min(at, chars.length - 1);
        chars.splice(start, 1 + Math.floor(rand() * Math.min(8, chars.length - start)));
      }
      const edited = { ...p, [side]: chars.join('') };
      const text = edited.head + OPEN + edited.inner + CLOSE + edited.tail;
      const [style, save] = pick([...STYLES, ['emacs with a gap', emacs(120)] as [string, Save]]);
      const since = h.events.length;
      await save(h.file, text);
      const context = `seed ${seed}, step ${step}, ${style}`;
      await h.settled(text, since).catch(async (err: Error) => {
        const file = await h.read().catch(() => '(missing)');
        throw new Error(`${context}: ${err.message}\nsaved ${JSON.stringify(text)} (${sha1(text)})\nfile  ${JSON.stringify(file)} (${sha1(file)})\nwant  ${JSON.stringify(expected(text))}`);
      });
      const now = await fs.readFile(h.file);
      expect(outsideBytes(now).equals(outsideBytes(Buffer.from(text))), context).toBe(true);
      expect(regionCount(now.toString('utf8')), context).toBe(1);
      expect(parts(now.toString('utf8'))!.inner.trim(), context).toBe(`> words: ${wordsOutside(text)}`);
      stale = text;
    }
    const leftovers = (await fs.readdir(h.dir)).filter((n) => n.includes('.sdp-') && n !== '.sdp-backup');
    expect(leftovers).toEqual([]);
    expect(await fs.readdir(path.join(h.dir, '.sdp-backup'))).toEqual(['.gitignore']);
    expect(h.events.filter((e) => e.type === 'error')).toEqual([]);
  }, 60_000);
});

describe('when watchSession writes (#13)', () => {
  it('with quietMs, a save followed by another within the quiet time is written once, on the last text', async () => {
    const h = await startWatching(doc('alpha\n'), { quietMs: 400 });
    const since = h.events.length;
    const first = doc('alpha beta\n', 1);
    await inPlace(h.file, first);
    await waitFor(() => h.seen.some((s) => s.text === first), 'derive to see the first save', h.events);
    const second = doc('alpha beta gamma delta\n', 1);
    await inPlace(h.file, second);
    await h.settled(second, since);
    const writes = writeEvents(h.events.slice(since));
    expect(writes).toHaveLength(1);
    expect(writes[0].hash).toBe(sha1(expected(second)));
    expect(h.events.slice(since).some((e) => e.type === 'skip' && e.why === 'superseded' && e.hash === sha1(first))).toBe(true);
  });

  it('writes nothing while the editor reports unsaved changes; the next save after they are saved is written', async () => {
    let busy: string | undefined = 'vim has unsaved changes (.s.md.swp)';
    const initial = doc('alpha\n', 7);
    const h = await startWatching(initial, { unsavedChanges: async () => busy });
    expect(await h.read()).toBe(initial); // the start round waited too
    const since = h.events.length;
    const text = doc('alpha beta\n', 7);
    await inPlace(h.file, text);
    await waitFor(() => h.events.slice(since).some((e) => e.type === 'skip' && e.why === 'editor-busy'), 'an editor-busy skip', h.events);
    expect(await h.read()).toBe(text);
    busy = undefined;
    const again = doc('alpha beta gamma\n', 7);
    await inPlace(h.file, again);
    await h.settled(again, since);
    expect(writeEvents(h.events.slice(since))).toHaveLength(1);
  });

  it('a flush waits up to flushWaitMs for the editor to save, then gives up and says so', async () => {
    let busy: string | undefined = 'Emacs has unsaved changes (.#s.md)';
    const initial = doc('alpha\n', 7);
    const h = await startWatching(initial, { unsavedChanges: async () => busy, flushWaitMs: 200 });
    await h.watcher.flush();
    expect(h.events.some((e) => e.type === 'skip' && e.why === 'editor-busy' && e.reason === 'flush')).toBe(true);
    expect(await h.read()).toBe(initial);
    setTimeout(() => (busy = undefined), 100);
    await h.watcher.flush();
    expect(await h.read()).toBe(expected(initial));
  });
});
