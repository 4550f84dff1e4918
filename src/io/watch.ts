// The file-system edge of `sdp watch`: keeps one markdown file in sync with a pure `derive`
// function while a person edits it in any editor. Its first law: never lose a character the
// person typed.
//
// How it stays safe:
// - File-system events are only a hint that something happened ("a poke"). What counts is the
//   file's content, read after the events have gone quiet and stable for `stableMs`: chokidar
//   drops a `change` that follows another within 50 ms (no trailing event), editors truncate
//   before they write, and rename-style saves leave the file missing for a moment. So the
//   watcher never processes an empty, missing, half-written or invalid-UTF-8 file.
// - Our own writes are recognised by the sha1 of their bytes, never by time windows.
// - A write happens only when `safe(current, next)` holds, after re-reading the file: if the
//   person saved in between, the write is dropped and derive runs again on their new text.
//   How the file is replaced (and a save that lands during the swap kept) is safe-write.ts's
//   business: watch calls `writer.replace` and nothing else of it.
// - Nothing thrown escapes an event handler: problems become `error` events.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { SessionWriter, readAll, sha1, type WriteHooks } from './safe-write.js';

export { sha1 };

export type DeriveReason = 'start' | 'change' | 'flush';

/** Why a round ended without calling derive, or without writing. */
export type SkipWhy =
  | 'own-write' // the file holds exactly the bytes we last wrote
  | 'unchanged' // the same bytes as when we last looked (a touch, a chmod, a save of the same text)
  | 'no-change' // derive returned undefined or the same text
  | 'empty' // 0 bytes: an in-place save is under way, "not yet"
  | 'missing' // the file is gone for now: a rename-style save is under way
  | 'not-utf8' // the bytes are not valid UTF-8: never derived, never rewritten
  | 'unstable' // the content kept changing; the next event tries again
  | 'raced'; // the person saved between our read and our write: write dropped, redone on their text

export type ErrorStage =
  | 'derive' // derive threw: this round is skipped
  | 'unsafe' // safe(current, next) was false (or threw): nothing written
  | 'read'
  | 'backup' // the backup copy failed: nothing written
  | 'write'
  | 'lost-save' // a save landed on the file we had just replaced and could not be put back
  | 'watch'; // chokidar reported an error

export type WatchEvent =
  /** Watching, and the start round is done. */
  | { type: 'ready'; file: string; target: string }
  /** The file system reported something about the session file (a hint, not yet read). `raw`: fs.watch itself, before chokidar. */
  | { type: 'change'; stage: 'event'; file: string; event: 'add' | 'change' | 'unlink' | 'raw' | 'rescan'; path: string }
  /** New, stable content that derive is about to see. */
  | { type: 'change'; stage: 'settled'; file: string; reason: DeriveReason; hash: string; bytes: number }
  /** The file was replaced. `restored`: the bytes are a save that landed on the file we had just replaced. */
  | { type: 'write'; file: string; target: string; reason: DeriveReason; hash: string; bytes: number; backup?: string; restored?: boolean }
  | { type: 'skip'; file: string; why: SkipWhy; reason: DeriveReason; hash?: string }
  | { type: 'error'; file: string; stage: ErrorStage; message: string; error?: unknown };

export interface WatchOptions {
  /** The session file. May be a symlink: writes go to its target and the link stays a link. */
  file: string;
  /** Pure: given the current text, the text to write, or undefined for no change. Throwing skips this round. */
  derive(text: string, reason: DeriveReason): string | undefined;
  /** True when `next` differs from `current` only inside tool-owned regions; false means never write. */
  safe(current: string, next: string): boolean;
  /** Before the first write of this run, the file's content is copied here as `<stem>.<YYYYMMDD-HHMMSS>.md`. */
  backupDir?: string;
  /** Quiet time after a file-system event before the file is read. Default 50. */
  debounceMs?: number;
  /** The content must stay byte-identical this long before derive sees it. Default 100. */
  stableMs?: number;
  /** A stat poll that catches anything the file system did not report; 0 turns it off. Default 2000. */
  rescanMs?: number;
  onEvent?(e: WatchEvent): void;
  /** For backup names. Default Date.now. */
  clock?: () => number;
  /** A symlinked session must resolve inside this folder to be written (the project). */
  within?: string;
  /** @internal Test seams around the swap. */
  hooks?: WriteHooks;
}

export interface Watcher {
  /** Resolves once watching has started and the start round is done; rejects if the folder cannot be watched. */
  ready: Promise<void>;
  /** Runs derive with reason 'flush' on the current content and writes if needed. */
  flush(): Promise<void>;
  /** Stops watching: no timer, handle or open file is left behind. Idempotent. */
  close(): Promise<void>;
}

/** chokidar 5 drops a `change` that follows an emitted one within 50 ms: read no sooner than this after one. */
const CHOKIDAR_CHANGE_THROTTLE_MS = 60;
/** How long an empty or missing file is waited for before the round gives up (the next event retries). */
const GIVE_UP_MS = { change: 5000, start: 1000, flush: 1000 } as const;
/** A file that keeps changing for this long is left to the next event. */
const UNSTABLE_LIMIT_MS = 10_000;
/** Rounds re-run after a race before giving up until the next event. */
const MAX_RACES = 20;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Snapshot {
  state: 'text' | 'empty' | 'binary';
  bytes: Buffer;
  text: string;
  hash: string;
  ino: number;
  size: number;
  mtimeMs: number;
}
type Sample = Snapshot | { state: 'missing' };

export function watchSession(opts: WatchOptions): Watcher {
  const file = path.resolve(opts.file);
  const debounceMs = Math.max(0, opts.debounceMs ?? 50);
  const stableMs = Math.max(10, opts.stableMs ?? 100);
  const rescanMs = opts.rescanMs ?? 2000;
  const clock = opts.clock ?? Date.now;

  // The paths chokidar reports on: the session file and, when it is a symlink, its target;
  // and their folders, watched (not the files) so that rename-style saves are seen.
  const files = new Set<string>([file]);
  const dirs = new Set<string>([path.dirname(file)]);

  let closed = false;
  let closing: Promise<void> | undefined;
  /** sha1 of the bytes the file held when a round last looked (or that we wrote). */
  let known: string | undefined;
  /** sha1 of the bytes we last wrote. */
  let lastWritten: string | undefined;
  let lastChangeEventAt = -Infinity;
  let lastFingerprint = '';

  let debounce: NodeJS.Timeout | undefined;
  let rescan: NodeJS.Timeout | undefined;
  const sleepers = new Set<() => void>();

  // Every round runs on this chain, one at a time.
  let chain: Promise<void> = Promise.resolve();
  let changeQueued = false;

  const emit = (e: WatchEvent): void => {
    try {
      opts.onEvent?.(e);
    } catch {
      // A failing listener must not stop the watcher.
    }
  };
  const emitError = (stage: ErrorStage, error: unknown, message?: string): void => {
    emit({ type: 'error', file, stage, message: message ?? (error instanceof Error ? error.message : String(error)), error });
  };
  const skip = (why: SkipWhy, reason: DeriveReason, hash?: string): void => emit({ type: 'skip', file, why, reason, hash });

  /** A timer that close() cuts short, so no round is left waiting. */
  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  function enqueue(reason: DeriveReason): Promise<void> {
    if (reason === 'change') {
      if (changeQueued) return chain;
      changeQueued = true;
    }
    const run = chain.then(async () => {
      if (reason === 'change') changeQueued = false;
      if (closed) return;
      try {
        await round(reason);
      } catch (err) {
        emitError('read', err);
      }
    });
    chain = run;
    return run;
  }

  function poke(event: 'add' | 'change' | 'unlink' | 'raw' | 'rescan', p: string): void {
    if (closed) return;
    emit({ type: 'change', stage: 'event', file, event, path: p });
    if (event === 'change') lastChangeEventAt = Date.now();
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void enqueue('change');
    }, debounceMs);
  }

  // ---- reading -------------------------------------------------------------------------

  async function sample(): Promise<Sample> {
    let handle: FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (err) {
      if (isCode(err, 'ENOENT')) {
        lastFingerprint = 'missing';
        return { state: 'missing' };
      }
      throw err;
    }
    try {
      const st = await handle.stat();
      const bytes = await readAll(handle);
      const hash = sha1(bytes);
      let text = '';
      let state: Snapshot['state'] = bytes.length === 0 ? 'empty' : 'text';
      if (state === 'text') {
        try {
          text = UTF8.decode(bytes);
        } catch {
          state = 'binary';
        }
      }
      lastFingerprint = fingerprint(st);
      return { state, bytes, text, hash, ino: st.ino, size: bytes.length, mtimeMs: st.mtimeMs };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * The file's content once it has stopped changing, or undefined when there is nothing to do
   * (our own write, nothing new, a save still under way past the limits, closing).
   */
  async function settle(reason: DeriveReason): Promise<Snapshot | undefined> {
    // A save chokidar swallowed happened within its throttle window: read after that window.
    const wait = lastChangeEventAt + CHOKIDAR_CHANGE_THROTTLE_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const started = Date.now();
    let reported: SkipWhy | undefined;
    let prev = await sample();
    for (;;) {
      if (closed) return undefined;
      if (prev.state === 'missing' || prev.state === 'empty') {
        const why = prev.state;
        if (reported !== why) {
          reported = why;
          skip(why, reason); // "not yet": an in-place or rename-style save is under way
        }
        if (Date.now() - started > GIVE_UP_MS[reason]) return undefined;
        await sleep(stableMs);
        prev = await sample();
        continue;
      }
      if (reason === 'change' && prev.hash === known) {
        skip(prev.hash === lastWritten ? 'own-write' : 'unchanged', reason, prev.hash);
        return undefined;
      }
      await sleep(stableMs);
      if (closed) return undefined;
      const cur = await sample();
      if (cur.state !== 'missing' && cur.hash === prev.hash && cur.ino === prev.ino && cur.mtimeMs === prev.mtimeMs) {
        if (cur.state === 'binary') {
          known = cur.hash;
          skip('not-utf8', reason, cur.hash);
          return undefined;
        }
        return cur;
      }
      if (Date.now() - started > UNSTABLE_LIMIT_MS) {
        skip('unstable', reason);
        return undefined;
      }
      prev = cur;
    }
  }

  // ---- a round: settle, derive, check, write -------------------------------------------

  async function round(reason: DeriveReason): Promise<void> {
    for (let attempt = 0; attempt < MAX_RACES; attempt++) {
      const snap = await settle(reason);
      if (!snap || closed) return;
      known = snap.hash;
      emit({ type: 'change', stage: 'settled', file, reason, hash: snap.hash, bytes: snap.size });

      let next: string | undefined;
      try {
        next = opts.derive(snap.text, reason);
      } catch (err) {
        emitError('derive', err, `derive failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (typeof next !== 'string' || next === snap.text) {
        skip('no-change', reason, snap.hash);
        return;
      }
      let ok = false;
      try {
        ok = opts.safe(snap.text, next) === true;
      } catch (err) {
        emitError('unsafe', err, `safe() threw: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (!ok) {
        emitError('unsafe', undefined, 'refusing to write: the update would change text outside the tool-owned regions');
        return;
      }
      const result = await writer.replace(snap.bytes, Buffer.from(next, 'utf8'), reason);
      if (result !== 'raced') return;
      skip('raced', reason, snap.hash);
    }
  }

  // ---- writing: the protocol lives in safe-write.ts -----------------------------------

  const writer = new SessionWriter<DeriveReason>({
    file,
    within: opts.within,
    backupDir: opts.backupDir,
    clock,
    stableMs,
    sleep,
    closed: () => closed,
    schedule(task) {
      chain = chain.then(task).catch((err) => emitError('lost-save', err));
    },
    onTarget: trackTarget,
    willWrite(hash) {
      const before = { known, lastWritten };
      known = lastWritten = hash;
      return () => ({ known, lastWritten } = before);
    },
    written: (e) => emit({ type: 'write', file, ...e }),
    restored() {
      known = undefined; // derive must run on the restored text
      void enqueue('change');
    },
    error: (stage, err, message) => emitError(stage, err, message),
    hooks: opts.hooks,
  });

  // ---- watching ------------------------------------------------------------------------

  let fsw: FSWatcher | undefined;

  function trackTarget(target: string): void {
    if (files.has(target)) return;
    files.add(target);
    const dir = path.dirname(target);
    if (!dirs.has(dir)) {
      dirs.add(dir);
      if (fsw && !closed) fsw.add(dir);
    }
  }

  function startWatching(): Promise<void> {
    const w = chokidarWatch([...dirs], {
      ignoreInitial: true,
      depth: 0,
      // Only the folders and the session file (and its target) matter: swap, backup and temp
      // files, vim's 4913 probe and Emacs lock files are never looked at.
      ignored: (p: string) => {
        const abs = path.resolve(p);
        return !(dirs.has(abs) || files.has(abs));
      },
    });
    fsw = w;
    w.on('all', (event, p) => {
      try {
        if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
        if (!files.has(path.resolve(p))) return;
        poke(event, p);
      } catch (err) {
        emitError('watch', err);
      }
    });
    // chokidar's own events miss saves in quick succession (a `change` within 50 ms of the
    // last is dropped; an Emacs save right after a vim save can produce no event at all), so
    // the raw fs.watch events behind them poke too. A poke only means "look at the file".
    w.on('raw', (_event, evPath, details) => {
      try {
        const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
        if (!watched || !evPath) return;
        const abs = files.has(path.resolve(watched)) && path.basename(watched) === evPath ? path.resolve(watched) : path.resolve(watched, evPath);
        if (files.has(abs)) poke('raw', abs);
      } catch (err) {
        emitError('watch', err);
      }
    });
    w.on('error', (err) => emitError('watch', err));
    return new Promise<void>((resolve) => {
      w.once('ready', resolve);
      wakeReady = resolve;
    });
  }
  let wakeReady: () => void = () => undefined;

  const ready = (async () => {
    try {
      await fs.stat(path.dirname(file));
    } catch (err) {
      throw new Error(`cannot watch ${path.dirname(file)}: ${(err as Error).message}`);
    }
    const target = await fs.realpath(file).catch(() => file);
    trackTarget(target);
    if (closed) return;
    await startWatching();
    if (closed) return;
    if (rescanMs > 0) rescan = setInterval(rescanTick, rescanMs);
    await enqueue('start');
    if (!closed) emit({ type: 'ready', file, target });
  })();
  ready.catch((err) => emitError('watch', err));

  function rescanTick(): void {
    fs.stat(file).then(
      (st) => {
        if (!closed && fingerprint(st) !== lastFingerprint) poke('rescan', file);
      },
      () => {
        if (!closed && lastFingerprint !== 'missing') {
          lastFingerprint = 'missing';
          poke('rescan', file);
        }
      },
    );
  }

  return {
    ready,
    flush: () => (closed ? Promise.resolve() : enqueue('flush')),
    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      if (debounce) clearTimeout(debounce);
      debounce = undefined;
      if (rescan) clearInterval(rescan);
      rescan = undefined;
      for (const wake of [...sleepers]) wake();
      wakeReady();
      closing = (async () => {
        await ready.catch(() => undefined);
        await fsw?.close().catch((err: unknown) => emitError('watch', err));
        await chain.catch(() => undefined);
        await writer.close();
      })();
      return closing;
    },
  };
}

// ---- helpers -----------------------------------------------------------------------------

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

function fingerprint(st: { ino: number; size: number; mtimeMs: number }): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}
