// Stable reads: the session file's content once it has stopped changing. File-system events
// are only a poke; editors truncate before they write, rename-style saves leave the file
// missing for a moment, and chokidar drops a `change` within 50 ms of the last. So the file is
// read after events have gone quiet and must stay byte-identical (same inode, same mtime) for
// `stableMs`: an empty, missing, half-written or invalid-UTF-8 file is never processed.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { readAll } from '../safe-write.js';
import type { DeriveReason } from './state.js';

/** Why a read ended without content to derive from. */
export type ReadSkip = 'own-write' | 'unchanged' | 'empty' | 'missing' | 'not-utf8' | 'unstable';

export interface Snapshot {
  state: 'text' | 'empty' | 'binary';
  bytes: Buffer;
  text: string;
  hash: string;
  ino: number;
  size: number;
  mtimeMs: number;
}
type Sample = Snapshot | { state: 'missing' };

/** chokidar 5 drops a `change` that follows an emitted one within 50 ms: read no sooner than this after one. */
const CHOKIDAR_CHANGE_THROTTLE_MS = 60;
/** How long an empty or missing file is waited for before the round gives up (the next event retries). */
const GIVE_UP_MS = { change: 5000, start: 1000, flush: 1000 } as const;
/** A file that keeps changing for this long is left to the next event. */
const UNSTABLE_LIMIT_MS = 10_000;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

export interface ReaderOptions {
  file: string;
  stableMs: number;
  sleep(ms: number): Promise<void>;
  closed(): boolean;
  skip(why: ReadSkip, reason: DeriveReason, hash?: string): void;
  /** 'own-write' or 'unchanged' when a change round finds bytes already seen; undefined for new bytes. */
  seen(hash: string): 'own-write' | 'unchanged' | undefined;
  /** Bytes that are not UTF-8: remembered as seen, never derived. */
  binary(hash: string): void;
}

export class StableReader {
  /** ino:size:mtime of the last read, or 'missing': the rescan poll compares against it. */
  lastFingerprint = '';
  private lastChangeEventAt = -Infinity;

  constructor(private readonly o: ReaderOptions) {}

  /** A `change` event arrived: a save chokidar swallows may follow within its throttle window. */
  changeEvent(): void {
    this.lastChangeEventAt = Date.now();
  }

  private async sample(): Promise<Sample> {
    let handle: FileHandle;
    try {
      handle = await fs.open(this.o.file, 'r');
    } catch (err) {
      if (isCode(err, 'ENOENT')) {
        this.lastFingerprint = 'missing';
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
      this.lastFingerprint = fingerprint(st);
      return { state, bytes, text, hash, ino: st.ino, size: bytes.length, mtimeMs: st.mtimeMs };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * The file's content once it has stopped changing, or undefined when there is nothing to do
   * (our own write, nothing new, a save still under way past the limits, closing).
   */
  async settle(reason: DeriveReason): Promise<Snapshot | undefined> {
    const { sleep, stableMs, skip } = this.o;
    // A save chokidar swallowed happened within its throttle window: read after that window.
    const wait = this.lastChangeEventAt + CHOKIDAR_CHANGE_THROTTLE_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const started = Date.now();
    let reported: ReadSkip | undefined;
    let prev = await this.sample();
    for (;;) {
      if (this.o.closed()) return undefined;
      if (prev.state === 'missing' || prev.state === 'empty') {
        const why = prev.state;
        if (reported !== why) {
          reported = why;
          skip(why, reason); // "not yet": an in-place or rename-style save is under way
        }
        if (Date.now() - started > GIVE_UP_MS[reason]) return undefined;
        await sleep(stableMs);
        prev = await this.sample();
        continue;
      }
      const seen = reason === 'change' ? this.o.seen(prev.hash) : undefined;
      if (seen) {
        skip(seen, reason, prev.hash);
        return undefined;
      }
      await sleep(stableMs);
      if (this.o.closed()) return undefined;
      const cur = await this.sample();
      if (cur.state !== 'missing' && cur.hash === prev.hash && cur.ino === prev.ino && cur.mtimeMs === prev.mtimeMs) {
        if (cur.state === 'binary') {
          this.o.binary(cur.hash);
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
}

export function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

export function fingerprint(st: { ino: number; size: number; mtimeMs: number }): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** Every byte of an open file (one implementation, shared with the write protocol). */
export { readAll };
