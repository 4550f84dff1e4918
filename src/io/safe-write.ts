// The one way sdp writes files: a session a person may be editing at the same moment
// (watch, practice), a new session (new), and the files sdp owns (reports, pictures, scenes,
// its cache). The law: never lose a character the person typed, never write outside the
// folder a file belongs to.
//
// Replacing a session (SessionWriter.replace), with no moment where an editor's save can be
// replaced unseen:
//   1. the new bytes go to a temp file in `<folder>/.sdp-backup/` (mode and owner kept, synced);
//   2. TAKE: rename(target -> .sdp-backup/…taken). Atomic: whatever the path holds at that
//      instant, the person's last save included, is now ours and nobody else's;
//   3. VERIFY what was taken. Not the bytes derive read? Link it straight back (a save landed
//      since the read): nothing is written, the caller derives again;
//   4. PUT: link(temp, target), which fails if anything re-created the path since the take (an
//      editor saving in place or by rename into the gap): that save wins, ours is dropped;
//   5. the taken inode stays open for 3 s: a writer that opened it before the take and writes
//      into it late is noticed, waited for and put back (what we wrote since is redone on top);
//      a save that cannot go back is kept as `.sdp-backup/<stem>.<time>.lost.md` and named in
//      a warning.
// Between 2 and 4 the path is absent, typically for tens of microseconds, for milliseconds when
// the machine is overloaded (bench/safe-write.mjs): a reader then sees "no such file", as during
// a vim or Emacs save, and looks again.
// Linux's renameat2(RENAME_EXCHANGE) would close that gap too, but Node has no binding, and
// koffi 3.3.4 ships no binary in its npm package: its install script (which npm 11 blocks)
// fetches or builds one; a native addon would need a compiler at install time.
import { createHash } from 'node:crypto';
import { constants, copyFileSync, linkSync, promises as fs, readFileSync, renameSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ContentError } from '../core/errors.js';

export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Beside each session folder: backups, lost saves and temp files. Ignored by git from inside. */
export const BACKUP_DIR = '.sdp-backup';

export type ReplaceResult = 'written' | 'raced' | 'failed';

/** @internal Test seams around the swap. */
export interface WriteHooks {
  /** After the last look, right before the take. */
  beforeRename?(target: string): void | Promise<void>;
  /** The path is taken (absent) and verified; right before the put. */
  afterTake?(target: string): void | Promise<void>;
}

/** What the session writer needs from the one who drives it (watch, practice). `R` tags a write with why it happened. */
export interface SessionWriterHost<R> {
  /** The session file; may be a symlink, whose target is then written and the link kept. */
  file: string;
  /** A symlinked session must resolve inside this folder to be written; undefined: not checked. */
  within?: string;
  /** Before the first write, the file's content is copied here as `<stem>.<YYYYMMDD-HHMMSS>.md`; lost saves are kept here too. */
  backupDir?: string;
  clock: () => number;
  /** How long a save landing on a replaced inode must stay unchanged before it is put back. */
  stableMs: number;
  /** A timer the host cuts short when it closes. */
  sleep(ms: number): Promise<void>;
  closed(): boolean;
  /** Runs a task one at a time with the host's other work. */
  schedule(task: () => Promise<void>): void;
  /** The real path being written (the symlink's target): the host watches it. */
  onTarget?(target: string): void;
  /** Right before the swap: the hash about to be on disk. Returns an undo for a swap that did not happen. */
  willWrite?(hash: string): () => void;
  written?(e: { target: string; reason: R; hash: string; bytes: number; backup?: string; restored?: boolean }): void;
  /** A save was put back over our write: the host must derive it again. */
  restored?(reason: R): void;
  error(stage: 'backup' | 'write' | 'lost-save', error: unknown, message?: string): void;
  hooks?: WriteHooks;
}

/** A replaced inode, held open for a while in case a writer still writes into it. */
interface Orphan<R> {
  handle: FileHandle;
  /** What it held when we replaced it. */
  expected: Buffer;
  target: string;
  /** Why we replaced it, and why we wrote since: all redone on a save put back. */
  reasons: R[];
  /** When it stops being watched. */
  until: number;
}

/**
 * How long a replaced inode is watched for a late save: an editor that opened the file before
 * the swap and pauses in its save (truncate, pause, write) still writes into it.
 */
const ORPHAN_HOLD_MS = 3000;

/** How long a replaced inode that a writer truncated is waited on for the bytes to come. */
const EMPTY_ORPHAN_WAIT_MS = 5000;

export class SessionWriter<R> {
  private backedUp = false;
  private readonly orphans = new Set<Orphan<R>>();
  /** The bytes of our last write: a late save is put back only over our own write. */
  private lastWritten?: Buffer;

  constructor(private readonly host: SessionWriterHost<R>) {}

  /**
   * Replace the file's target with `content`, provided it holds `expected` at the instant of
   * the swap. 'raced' when it did not (nothing written), 'failed' after an error report.
   */
  async replace(expected: Buffer, content: Buffer, reason: R, restored = false): Promise<ReplaceResult> {
    const host = this.host;
    let target: string;
    try {
      target = await fs.realpath(host.file);
      if (host.within) await assertInside(host.file, target, host.within);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return 'raced';
      host.error('write', err);
      return 'failed';
    }
    host.onTarget?.(target);

    let temp: string | undefined;
    let taken: string | undefined;
    let old: FileHandle | undefined;
    /** True while the person's file is held at `taken` only: then it must not be removed. */
    let holding = false;
    try {
      // The mode and owner to keep; whether the bytes are still `expected` is checked at the take.
      let st: import('node:fs').Stats;
      try {
        st = await fs.stat(target);
      } catch (err) {
        if (isCode(err, 'ENOENT')) return 'raced';
        throw err;
      }
      if (st.size !== expected.length) return 'raced'; // saved since derive read it: no need to try
      const mode = st.mode & 0o7777;

      let backup: string | undefined;
      if (host.backupDir && !this.backedUp && !restored) {
        try {
          backup = await this.writeBackup(host.backupDir, expected, mode);
        } catch (err) {
          host.error('backup', err, `could not write the backup, so nothing was written: ${(err as Error).message}`);
          return 'failed';
        }
        this.backedUp = true;
      }

      const work = await backupFolder(path.dirname(target));
      temp = tempName(work, path.basename(target), 'tmp');
      taken = tempName(work, path.basename(target), 'taken');
      await writeSynced(temp, content, mode, st);

      await host.hooks?.beforeRename?.(target);
      const hash = sha1(content);
      const undo = host.willWrite?.(hash) ?? (() => undefined);
      // Take, verify, put: synchronous calls, so that no other work of this process runs while
      // the path is absent (tens of microseconds, see bench/safe-write.mjs).
      let took: Buffer;
      try {
        renameSync(target, taken);
        holding = true;
        took = readFileSync(taken);
      } catch (err) {
        undo();
        if (isCode(err, 'ENOENT')) return 'raced'; // a rename-style save is half-way: try again after it
        throw err;
      }
      if (!took.equals(expected)) {
        // A save landed between the look and the take: it goes straight back.
        undo();
        await this.putBack(taken, target);
        holding = false;
        return 'raced';
      }
      if (host.hooks?.afterTake) await host.hooks.afterTake(target);
      try {
        linkNewSync(temp, target);
        holding = false;
      } catch (err) {
        undo();
        // The path was re-created in the gap (an editor saved into it): that save wins. What
        // we took is what derive read, older than it.
        if (isCode(err, 'EEXIST')) {
          holding = false;
          return 'raced';
        }
        await this.putBack(taken, target); // our bytes never landed: the person's file goes back
        holding = false;
        throw err;
      }
      old = await fs.open(taken, 'r');
      host.written?.({ target, reason, hash, bytes: content.length, ...(backup ? { backup } : {}), ...(restored ? { restored } : {}) });

      // A writer that opened the old inode before the take may still write into it.
      this.lastWritten = content;
      for (const held of this.orphans) held.reasons.push(reason);
      const orphan: Orphan<R> = { handle: old, expected, target, reasons: [reason], until: Date.now() + ORPHAN_HOLD_MS };
      old = undefined; // the orphan owns it now
      this.orphans.add(orphan);
      if (!(await readAll(orphan.handle)).equals(expected)) await this.rescue(orphan);
      else this.watchOrphan(orphan);
      return 'written';
    } catch (err) {
      const kept = holding ? ` The file as it was is kept in ${taken}.` : '';
      host.error('write', err, `${err instanceof Error ? err.message : String(err)}.${kept}`);
      return 'failed';
    } finally {
      if (temp) await fs.rm(temp, { force: true }).catch(() => undefined);
      if (taken && !holding) await fs.rm(taken, { force: true }).catch(() => undefined);
      await old?.close().catch(() => undefined);
    }
  }

  /** True when `bytes` are what this writer last wrote. */
  isOwnWrite(bytes: Buffer): boolean {
    return this.lastWritten !== undefined && bytes.equals(this.lastWritten);
  }

  /** A look at every replaced inode still watched: a save that landed on one is put back now. */
  async settle(): Promise<void> {
    for (const orphan of [...this.orphans]) {
      await this.checkOrphan(orphan, true).catch((err: unknown) => this.host.error('lost-save', err));
    }
  }

  /** Last look at replaced inodes before the host stops: a save that landed on one is still put back. */
  async close(): Promise<void> {
    for (const orphan of [...this.orphans]) {
      await this.checkOrphan(orphan, false).catch((err: unknown) => this.host.error('lost-save', err));
    }
  }

  private watchOrphan(orphan: Orphan<R>): void {
    void this.host.sleep(this.host.stableMs * 2).then(() => {
      if (this.host.closed() || !this.orphans.has(orphan)) return;
      this.host.schedule(async () => {
        if (await this.checkOrphan(orphan, Date.now() < orphan.until)) this.watchOrphan(orphan);
      });
    });
  }

  /**
   * Put a taken inode back at the path. If the path was re-created meanwhile (a newer save),
   * what we took is kept as a lost save once any writer still in it has finished.
   */
  private async putBack(taken: string, target: string): Promise<void> {
    try {
      linkNewSync(taken, target);
      return;
    } catch (err) {
      // No hard links here: the path is still ours to fill.
      if (
        !isCode(err, 'EEXIST') &&
        (await fs.rename(taken, target).then(
          () => true,
          () => false,
        ))
      )
        return;
    }
    const handle = await fs.open(taken, 'r');
    try {
      const saved = await this.settled(handle);
      if (saved.length > 0) await this.reportLost(saved);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** True while it is still watched (`keep`, and nothing landed on it). */
  private async checkOrphan(orphan: Orphan<R>, keep: boolean): Promise<boolean> {
    if (!this.orphans.has(orphan)) return false;
    if (!(await readAll(orphan.handle)).equals(orphan.expected)) {
      await this.rescue(orphan);
      return false;
    }
    if (keep) return true;
    this.orphans.delete(orphan);
    await orphan.handle.close().catch(() => undefined);
    return false;
  }

  /** The handle's bytes once they stop changing; an emptied file is waited on for its new bytes. */
  private async settled(handle: FileHandle): Promise<Buffer> {
    const started = Date.now();
    let saved = await readAll(handle);
    for (let i = 0; i < 200; i++) {
      await this.host.sleep(this.host.stableMs);
      const again = await readAll(handle);
      if (again.equals(saved) && (again.length > 0 || Date.now() - started > EMPTY_ORPHAN_WAIT_MS || this.host.closed())) break;
      saved = again;
    }
    return saved;
  }

  /**
   * A save landed on the inode we replaced. Wait for it to finish, then put it back, unless
   * the file has changed again since (a newer save). If it cannot go back, keep it beside the
   * backups so not a character is lost.
   */
  private async rescue(orphan: Orphan<R>): Promise<void> {
    this.orphans.delete(orphan);
    let watching = false;
    try {
      const saved = await this.settled(orphan.handle);
      if (saved.length === 0 || saved.equals(orphan.expected)) return; // truncated and left empty: nothing was saved
      const current = await fs.readFile(orphan.target).catch(() => undefined);
      // Over our own last write it goes back, and what we wrote since is redone on top of it.
      if (current && this.lastWritten && current.equals(this.lastWritten)) {
        const result = await this.replace(current, saved, orphan.reasons[0], true);
        if (result === 'written') {
          for (const r of orphan.reasons) this.host.restored?.(r);
          // The writer may not be done (a pause longer than the wait above): keep watching.
          Object.assign(orphan, { expected: saved, reasons: [] });
          this.orphans.add(orphan);
          this.watchOrphan(orphan);
          watching = true;
          return;
        }
      }
      if (current && current.equals(saved)) return;
      await this.reportLost(saved);
    } finally {
      if (!watching) await orphan.handle.close().catch(() => undefined);
    }
  }

  private async reportLost(bytes: Buffer): Promise<void> {
    const dir = await keepFolder(this.host.backupDir ?? path.join(path.dirname(this.host.file), BACKUP_DIR));
    const kept = await createUnique(dir, `${stemOf(this.host.file)}.${stamp(this.host.clock())}.lost`, '.md', bytes, 0o600);
    this.host.error('lost-save', undefined, `a save landed while sdp was writing and the file has changed since; it is kept in ${kept}`);
  }

  private async writeBackup(dir: string, bytes: Buffer, mode: number): Promise<string> {
    return createUnique(await keepFolder(dir), `${stemOf(this.host.file)}.${stamp(this.host.clock())}`, '.md', bytes, mode & 0o666);
  }
}

/** A folder for backups and lost saves: a `.sdp-backup` one gets its `.gitignore`. */
async function keepFolder(dir: string): Promise<string> {
  if (path.basename(dir) === BACKUP_DIR) return backupFolder(path.dirname(dir));
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

// ---- a session edited by one command (practice) ------------------------------------------

export interface SessionFile {
  /** The path as shown to people. */
  shown: string;
  /** The file's text; refuses bytes that are not UTF-8 (never rewritten lossily). */
  read(): Promise<string>;
  /**
   * Apply `change` to a fresh, settled read and write it, provided nobody saved in between;
   * retried a bounded number of times. False when `change` had nothing to write.
   */
  update(change: (text: string) => string | undefined): Promise<boolean>;
  /** Waits for the last look at replaced inodes. */
  close(): Promise<void>;
}

const MAX_UPDATE_TRIES = 20;
/** How long a session must stay unchanged before practice writes into it. */
const SETTLE_MS = 60;

type Change = (text: string) => string | undefined;

export function openSessionFile(file: string, opts: { shown: string; within?: string; onWarning(message: string): void; clock?: () => number; hooks?: WriteHooks }): SessionFile {
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, closed ? 0 : ms));
  let failure: unknown;
  const queue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch((err: unknown) => opts.onWarning(String((err as Error).message ?? err)));
    return run;
  };
  // A write is tagged with its change: when a late save is put back over it, the change is
  // applied again on top (the answer is not lost either).
  const writer: SessionWriter<Change> = new SessionWriter<Change>({
    file,
    within: opts.within,
    clock: opts.clock ?? Date.now,
    stableMs: 60,
    sleep,
    closed: () => closed,
    schedule: (task) => void queue(task),
    restored: (change) => void queue(() => apply(change)),
    error(stage, err, message) {
      if (stage === 'lost-save') opts.onWarning(message ?? String(err));
      else failure = err ?? new Error(message);
    },
    hooks: opts.hooks,
  });
  const readBytes = async (): Promise<Buffer> => {
    for (let i = 0; ; i++) {
      try {
        return await fs.readFile(file);
      } catch (err) {
        // A rename-style save (or our own swap) leaves the path absent for a moment.
        if (!isCode(err, 'ENOENT') || i >= 20) throw fileError(opts.shown, err);
        await sleep(10);
      }
    }
  };
  const decode = (bytes: Buffer): string => {
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      throw ContentError.at(
        'file-not-utf8',
        firstBadLine(bytes),
        `${opts.shown} is not UTF-8 text; sdp never rewrites it (the bytes would be lost)`,
        'save it as UTF-8 in your editor, then run the command again',
      ).inFile(opts.shown);
    }
    return text;
  };
  const apply = async (change: Change): Promise<boolean> => {
    for (let attempt = 0; attempt < MAX_UPDATE_TRIES; attempt++) {
      // An editor may be half-way through a save: read until two reads agree, as watch does
      // (not needed when the file holds our own last write: nobody has written since).
      let bytes = await readBytes();
      for (let look = 0; look < 50 && !writer.isOwnWrite(bytes); look++) {
        await sleep(SETTLE_MS);
        const again = await readBytes();
        if (again.equals(bytes) && bytes.length > 0) break;
        bytes = again;
      }
      // Bytes that are not UTF-8 may be a save cut inside a character: look again before refusing.
      if (decodeUtf8(bytes) === undefined && attempt < MAX_UPDATE_TRIES - 1) {
        await sleep(20 + 20 * attempt);
        continue;
      }
      const next = change(decode(bytes));
      if (next === undefined) return false;
      failure = undefined;
      const result = await writer.replace(bytes, Buffer.from(next, 'utf8'), change);
      if (result === 'written') return true;
      if (result === 'failed') throw failure instanceof Error ? fileError(opts.shown, failure) : new Error(String(failure));
      await sleep(20 + 20 * attempt);
    }
    throw ContentError.at(
      'file-kept-changing',
      1,
      `${opts.shown} kept changing while sdp tried to write the answer ${MAX_UPDATE_TRIES} times; nothing was written`,
      'save it in your editor and answer again',
    ).inFile(opts.shown);
  };
  return {
    shown: opts.shown,
    read: async () => decode(await readBytes()),
    update: (change) =>
      queue(async () => {
        await writer.settle(); // a late save on a file we replaced goes back before anything else is written
        return apply(change);
      }),
    async close() {
      await queue(() => writer.close());
      closed = true;
    },
  };
}

// ---- new files and files sdp owns --------------------------------------------------------

/**
 * Create `file` with `bytes` only if it does not exist yet: false when it does. Written in full
 * beside it first and linked in, so a full disk never leaves a half or empty session.
 */
export async function createNew(file: string, bytes: string | Buffer, shown = file): Promise<boolean> {
  let temp: string | undefined;
  try {
    // Beside it rather than in .sdp-backup/: a new session needs no folder of ours yet.
    await sweepOnce(path.dirname(file));
    temp = tempName(path.dirname(file), path.basename(file), 'tmp');
    // Not synced: a full disk fails the write itself, and a new session has nothing to lose yet.
    await writeSynced(temp, typeof bytes === 'string' ? Buffer.from(bytes) : bytes, 0o644, undefined, false);
    linkNewSync(temp, file);
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw fileError(shown, err);
  } finally {
    if (temp) await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Replace a file sdp owns (a report, a picture, a scene, the cache): written beside it and
 * renamed over it, mode kept. With `within`, the file and its folder must resolve inside that
 * folder: a symlink out of it is refused, never followed.
 */
export async function writeOwned(file: string, data: string | Uint8Array, within?: string): Promise<void> {
  const dir = path.dirname(file);
  if (within) await makeFolderInside(dir, within);
  else await fs.mkdir(dir, { recursive: true });
  let target = file;
  const link = await fs.lstat(file).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    target = await fs.realpath(file).catch(() => file);
    if (within) await assertInside(file, target, within);
  }
  const mode = await fs.stat(target).then(
    (s) => s.mode & 0o7777,
    () => 0o644,
  );
  const targetDir = path.dirname(target);
  await sweepOnce(targetDir);
  const temp = tempName(targetDir, path.basename(target), 'tmp');
  try {
    await fs.writeFile(temp, data, { mode, flag: 'wx' });
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** mkdir -p `dir`, refusing when it (or a folder on the way) is a symlink that leads out of `within`. */
export async function makeFolderInside(dir: string, within: string): Promise<void> {
  await fs.mkdir(within, { recursive: true });
  const root = await fs.realpath(within);
  const rel = path.relative(path.resolve(within), path.resolve(dir));
  let at = path.resolve(within);
  for (const part of rel ? rel.split(path.sep) : []) {
    at = path.join(at, part);
    const st = await fs.lstat(at).catch(() => undefined);
    if (!st) await fs.mkdir(at).catch((err: unknown) => (isCode(err, 'EEXIST') ? undefined : Promise.reject(err)));
    const real = await fs.realpath(at).catch(async () => path.resolve(path.dirname(at), await fs.readlink(at)));
    if (!isInside(real, root)) throw refusal(at, real, within);
    if (!(await fs.stat(at)).isDirectory())
      throw ContentError.at('path-not-folder', 1, `${shownPath(at)} is not a folder, so sdp cannot write into it`, 'move it away, or build into another folder with --out').inFile(shownPath(at));
  }
}

/** Refuses, before anything is written, a session that is a symlink out of `within`, or a `.sdp-backup` that is not a folder of its own. */
export async function checkSessionWritable(file: string, within: string): Promise<void> {
  const backup = path.join(path.dirname(file), BACKUP_DIR);
  const st = await fs.lstat(backup).catch(() => undefined);
  if (st && !st.isDirectory()) await backupFolder(path.dirname(file)); // says why
  if (!(await fs.lstat(file).catch(() => undefined))?.isSymbolicLink()) return;
  const target = await fs.realpath(file).catch(() => undefined);
  if (target) await assertInside(file, target, within);
}

/** Refuses a symlinked file whose target is not inside `within`. */
export async function assertInside(file: string, target: string, within: string): Promise<void> {
  const root = await fs.realpath(within).catch(() => path.resolve(within));
  if (!isInside(target, root)) throw refusal(file, target, within);
}

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refusal(file: string, target: string, within: string): ContentError {
  const shown = shownPath(file);
  return ContentError.at(
    'symlink-out',
    1,
    `${shown} is a symlink to ${target}, outside ${shownPath(within)}/; sdp does not write through it`,
    `remove the link (rm ${shown}) and run the command again`,
  ).inFile(shown);
}

function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** A file-system failure as one line with the path and what to do. */
function fileError(shown: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return ContentError.at('disk-full', 1, `no space left on the disk to write ${shown}; nothing was written`, 'free some space and run the command again').inFile(shown);
  if (code === 'ENOENT') return ContentError.at('file-missing', 1, `${shown}: no such file`, 'check the path').inFile(shown);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return ContentError.at('file-not-writable', 1, `${shown} cannot be written (${code}); nothing was written`, 'check the folder’s permissions').inFile(shown);
  return err instanceof Error ? err : new Error(String(err));
}

// ---- temp files --------------------------------------------------------------------------

let tempCounter = 0;

/** `.sdp-<pid>-<n>-<name>.<kind>`: the pid lets a later run remove what a killed one left. */
function tempName(dir: string, base: string, kind: 'tmp' | 'taken'): string {
  return path.join(dir, `.sdp-${process.pid}-${++tempCounter}-${base}.${kind}`);
}

/** `m[2]`: the name of the file a `.taken` one was taken from. */
const OUR_TEMP = /^\.sdp-(\d+)-\d+-(?:.*\.tmp|(.*)\.taken)$/;
/** Temps of sdp versions before this one, left beside sessions and reports by kill -9. */
const OLD_TEMP = [/^\..+\.sdp-(\d+)-\d+\.tmp$/, /^\..+\.(\d+)\.\d{10,}\.tmp$/];

const swept = new Set<string>();
/** Backup folders this process has made or checked (with their .gitignore). */
const made = new Set<string>();

/** Once per folder and process: remove the temps of sdp processes that are gone. */
async function sweepOnce(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = OUR_TEMP.exec(name) ?? OLD_TEMP.map((re) => re.exec(name)).find(Boolean);
    if (!m || alive(Number(m[1]))) continue;
    const file = path.join(dir, name);
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    if (m[2] !== undefined) {
      // A session taken by a run killed before it put the new one in: it goes back if its
      // place is still empty, else it is kept under a name people see.
      const home = path.join(path.dirname(dir), m[2]);
      const back = await fs.link(file, home).then(
        () => true,
        () => false,
      );
      if (!back) await fs.rename(file, path.join(dir, `${stemOf(m[2])}.recovered-${m[1]}.md`)).catch(() => undefined);
    }
    await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isCode(err, 'EPERM');
  }
}

/**
 * Before a session folder is read: a session that a killed sdp had taken away for its swap
 * (kill -9 in those microseconds) is put back, and its temps are removed.
 */
export async function recoverSessions(dir: string): Promise<void> {
  const folder = path.join(dir, BACKUP_DIR);
  if (
    await fs.stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    )
  )
    await sweepOnce(folder);
}

/**
 * `<dir>/.sdp-backup/`, made with its own `.gitignore` so that `git add sessions` never takes
 * a backup or a temp file; the temps of killed runs are removed on first use.
 */
export async function backupFolder(dir: string): Promise<string> {
  const folder = path.join(dir, BACKUP_DIR);
  if (
    made.has(folder) &&
    (await fs.lstat(folder).then(
      (st) => st.isDirectory(),
      () => false,
    ))
  )
    return folder;
  await fs.mkdir(folder, { recursive: true });
  // A cloned project could ship `.sdp-backup` as a link elsewhere: never write through it.
  if (!(await fs.lstat(folder)).isDirectory()) {
    throw ContentError.at(
      'path-not-folder',
      1,
      `${shownPath(folder)} is not a folder (a symlink?); sdp keeps its backups and temp files there`,
      `remove it (rm ${shownPath(folder)}) and run the command again`,
    ).inFile(shownPath(folder));
  }
  const ignore = path.join(folder, '.gitignore');
  try {
    await fs.writeFile(ignore, '*\n', { flag: 'wx' });
  } catch (err) {
    if (!isCode(err, 'EEXIST')) {
      await fs.rm(ignore, { force: true }).catch(() => undefined);
      throw err;
    }
  }
  await sweepOnce(folder);
  await sweepOnce(dir);
  made.add(folder);
  return folder;
}

async function writeSynced(file: string, bytes: Buffer, mode: number, owner?: { uid: number; gid: number }, sync = true): Promise<void> {
  const out = await fs.open(file, 'wx', mode);
  try {
    await out.writeFile(bytes);
    await out.chmod(mode); // the umask trimmed the mode given to open
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())) {
      await out.chown(owner.uid, owner.gid).catch(() => undefined); // best effort: only root may give files away
    }
    if (sync) await out.sync();
  } catch (err) {
    await out.close().catch(() => undefined);
    await fs.rm(file, { force: true }).catch(() => undefined);
    throw err;
  }
  await out.close();
}

/** link(from, to), failing with EEXIST if `to` exists. Where the file system has no hard links, an exclusive copy. */
function linkNewSync(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if (!(isCode(err, 'EPERM') || isCode(err, 'ENOTSUP') || isCode(err, 'EOPNOTSUPP') || isCode(err, 'EXDEV'))) throw err;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  }
}

// ---- helpers -----------------------------------------------------------------------------

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text, or undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The 1-based line holding the first byte that is not UTF-8. */
function firstBadLine(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (decodeUtf8(bytes.subarray(start, i)) === undefined) return line;
      line++;
      start = i + 1;
    }
  }
  return 1;
}

/** Every byte of an open file, from its start whatever the handle's position. */
export async function readAll(handle: FileHandle): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return Buffer.concat(chunks);
}

function stemOf(file: string): string {
  const base = path.basename(file);
  return base.toLowerCase().endsWith('.md') ? base.slice(0, -3) : base;
}

/** YYYYMMDD-HHMMSS in UTC, like session names. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Write a new file named `<base><ext>`, or `<base>-2<ext>`, … when taken. */
async function createUnique(dir: string, base: string, ext: string, bytes: Buffer, mode: number): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}${ext}`);
    try {
      await fs.writeFile(candidate, bytes, { flag: 'wx', mode });
      return candidate;
    } catch (err) {
      if (!isCode(err, 'EEXIST') || n > 1000) throw err;
    }
  }
}
