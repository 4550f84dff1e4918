// The file-system edge of `sdp watch`: keeps one markdown file in sync with a pure `derive`
// function while a person edits it in any editor. Its first law: never lose a character the
// person typed.
//
// How it stays safe, concern by concern:
// - watch/events.ts: file-system events are only a hint that something happened ("a poke").
// - watch/read.ts: what counts is the file's content, read once it has stopped changing; an
//   empty, missing, half-written or invalid-UTF-8 file is never processed.
// - here, the round: settle, derive, check, wait for the moment, write. Our own writes are
//   recognised by the sha1 of their bytes, never by time windows. A write happens only when
//   `safe(current, next)` holds, after re-reading the file: if the person saved in between,
//   the write is dropped and derive runs again on their new text.
// - watch/policy.ts and watch/editors.ts: a write waits until the person's editor can take it
//   without asking (no new save for `quietMs`, no unsaved changes in the editor).
// - safe-write.ts, the write protocol: the swap that never replaces a save of the person's;
//   watch calls `writer.replace` and nothing else of it.
// - Nothing thrown escapes an event handler: problems become `error` events.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileEvents, type PokeEvent } from './watch/events.js';
import { momentToWrite } from './watch/policy.js';
import { SessionWriter, type WriteHooks } from './safe-write.js';
import { StableReader, fingerprint, sha1 } from './watch/read.js';
import { Sleeper, type DeriveReason } from './watch/state.js';

export { sha1 };
export type { DeriveReason };

/** Why a round ended without calling derive, or without writing. */
export type SkipWhy =
  | 'own-write' // the file holds exactly the bytes we last wrote
  | 'unchanged' // the same bytes as when we last looked (a touch, a chmod, a save of the same text)
  | 'no-change' // derive returned undefined or the same text
  | 'empty' // 0 bytes: an in-place save is under way, "not yet"
  | 'missing' // the file is gone for now: a rename-style save is under way
  | 'not-utf8' // the bytes are not valid UTF-8: never derived, never rewritten
  | 'unstable' // the content kept changing; the next event tries again
  | 'raced' // the person saved between our read and our write: write dropped, redone on their text
  | 'superseded' // the person saved again while the write waited for a quiet moment: redone on their text
  | 'editor-busy'; // their editor holds unsaved changes: a write now would make it object at their next save

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
  /**
   * After a save, a write waits until the file has seen no new save for this long and the editor
   * still has no unsaved changes: the person has stopped to think, and their editor can reload
   * before they type again. Default 0 (write at once).
   */
  quietMs?: number;
  /** Why a write must wait now (the person's editor holds unsaved changes), or undefined. Default: never. */
  unsavedChanges?(file: string): Promise<string | undefined>;
  /** How long the 'flush' round waits for the editor to have no unsaved changes. Default 3000. */
  flushWaitMs?: number;
  /** A stat poll that catches anything the file system did not report; 0 turns it off. Default 2000. */
  rescanMs?: number;
  onEvent?(e: WatchEvent): void;
  /** For backup names. Default Date.now. */
  clock?: () => number;
  /** @internal Test seam: runs after the last check and right before the rename. */
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

/** Rounds re-run after a race before giving up until the next event. */
const MAX_RACES = 20;

export function watchSession(opts: WatchOptions): Watcher {
  const file = path.resolve(opts.file);
  const debounceMs = Math.max(0, opts.debounceMs ?? 50);
  const stableMs = Math.max(10, opts.stableMs ?? 100);
  const rescanMs = opts.rescanMs ?? 2000;
  const clock = opts.clock ?? Date.now;
  const quietMs = Math.max(0, opts.quietMs ?? 0);
  const flushWaitMs = Math.max(0, opts.flushWaitMs ?? 3000);

  let closed = false;
  let closing: Promise<void> | undefined;
  /** sha1 of the bytes the file held when a round last looked (or that we wrote). */
  let known: string | undefined;
  /** sha1 of the bytes we last wrote. */
  let lastWritten: string | undefined;
  /** Counts pokes, so that a round waiting to write sees that the person saved again. */
  let pokes = 0;

  let debounce: NodeJS.Timeout | undefined;
  const sleeper = new Sleeper();

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

  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  const reader = new StableReader({
    file,
    stableMs,
    sleep,
    closed: () => closed,
    skip,
    seen: (hash) => (hash !== known ? undefined : hash === lastWritten ? 'own-write' : 'unchanged'),
    binary: (hash) => {
      known = hash;
    },
  });
  const events = new FileEvents({
    file,
    rescanMs,
    poke,
    error: (err) => emitError('watch', err),
    lastFingerprint: () => reader.lastFingerprint,
    markMissing: () => {
      reader.lastFingerprint = 'missing';
    },
    fingerprint,
  });
  const trackTarget = (target: string): void => events.track(target);

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

  function poke(event: PokeEvent, p: string): void {
    if (closed) return;
    emit({ type: 'change', stage: 'event', file, event, path: p });
    pokes++;
    if (event === 'change') reader.changeEvent();
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void enqueue('change');
    }, debounceMs);
  }

  // ---- a round: settle, derive, check, write -------------------------------------------

  async function round(reason: DeriveReason): Promise<void> {
    for (let attempt = 0; attempt < MAX_RACES; attempt++) {
      const snap = await reader.settle(reason);
      if (!snap || closed) return;
      const settledAt = Date.now();
      const seen = pokes;
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
      const moment = await momentToWrite({
        reason,
        settledAt,
        quietMs,
        flushWaitMs,
        superseded: () => pokes !== seen || closed,
        unsavedChanges: opts.unsavedChanges && (() => opts.unsavedChanges!(file)),
        sleep,
      });
      if (moment !== 'now') {
        // Derive runs again on the next event even if the bytes turn out the same (a late event of this very save).
        if (moment === 'superseded') known = undefined;
        skip(moment, reason, snap.hash);
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

  const ready = (async () => {
    try {
      await fs.stat(path.dirname(file));
    } catch (err) {
      throw new Error(`cannot watch ${path.dirname(file)}: ${(err as Error).message}`);
    }
    const target = await fs.realpath(file).catch(() => file);
    trackTarget(target);
    if (closed) return;
    await events.start();
    if (closed) return;
    await enqueue('start');
    if (!closed) emit({ type: 'ready', file, target });
  })();
  ready.catch((err) => emitError('watch', err));

  return {
    ready,
    flush: () => (closed ? Promise.resolve() : enqueue('flush')),
    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      if (debounce) clearTimeout(debounce);
      debounce = undefined;
      sleeper.wakeAll();
      const stopped = events.close();
      closing = (async () => {
        await ready.catch(() => undefined);
        await stopped.catch((err: unknown) => emitError('watch', err));
        await chain.catch(() => undefined);
        await writer.close(); // last look at replaced inodes: a save that landed on one is still put back
      })();
      return closing;
    },
  };
}
