// The one way sdp replaces a file a person may be editing: the protocol behind watch's writes.
// Its law: never lose a character the person typed.
//
// A write happens only if the file still holds exactly the bytes that were read: the target
// is re-read right before the swap. The new content is written to a temp file beside the
// target (mode and owner kept), then renamed over it. The inode replaced is held open: an
// in-place save that still lands on it is noticed, waited for and put back, or kept beside
// the backups and named in a warning.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

export type ReplaceResult = 'written' | 'raced' | 'failed';

/** What the session writer needs from the one who drives it (watch). `R` tags a write with why it happened. */
export interface SessionWriterHost<R> {
  /** The session file; may be a symlink, whose target is then written and the link kept. */
  file: string;
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
  onTarget(target: string): void;
  /** Right before the swap: the hash about to be on disk. Returns an undo for a failed swap. */
  willWrite(hash: string): () => void;
  written(e: { target: string; reason: R; hash: string; bytes: number; backup?: string; restored?: boolean }): void;
  /** A save was put back over our write: the host must derive it again. */
  restored(reason: R): void;
  error(stage: 'backup' | 'write' | 'lost-save', error: unknown, message?: string): void;
  /** @internal Test seam: runs after the last check and right before the swap. */
  beforeRename?(target: string): void | Promise<void>;
}

/** A replaced inode, held open until we are sure no save landed on it. */
interface Orphan {
  handle: FileHandle;
  /** What it held when we replaced it. */
  expected: Buffer;
  /** What we put in its place. */
  replacement: Buffer;
  target: string;
}

export class SessionWriter<R> {
  private backedUp = false;
  private tempCounter = 0;
  private readonly orphans = new Set<Orphan>();

  constructor(private readonly host: SessionWriterHost<R>) {}

  /**
   * Atomically replace the file's target, provided it still holds `expected`.
   * 'raced' when it no longer does (nothing written), 'failed' after an error event.
   */
  async replace(expected: Buffer, content: Buffer, reason: R, restored = false): Promise<ReplaceResult> {
    const host = this.host;
    let target: string;
    try {
      target = await fs.realpath(host.file);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return 'raced';
      host.error('write', err);
      return 'failed';
    }
    host.onTarget(target);

    let old: FileHandle;
    try {
      old = await fs.open(target, 'r');
    } catch (err) {
      if (isCode(err, 'ENOENT')) return 'raced';
      host.error('write', err);
      return 'failed';
    }
    let temp: string | undefined;
    let keepOld = false;
    try {
      // Re-read just before writing: did the person save since derive saw the text?
      if (!(await readAll(old)).equals(expected)) return 'raced';
      const st = await old.stat();
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

      temp = path.join(path.dirname(target), `.${path.basename(target)}.sdp-${process.pid}-${++this.tempCounter}.tmp`);
      const out = await fs.open(temp, 'wx', mode);
      try {
        await out.writeFile(content);
        await out.chmod(mode); // the umask trimmed the mode given to open
        if (st.uid !== process.getuid?.() || st.gid !== process.getgid?.()) {
          await out.chown(st.uid, st.gid).catch(() => undefined); // best effort: only root may give files away
        }
        await out.sync();
      } finally {
        await out.close();
      }

      // The last look, as late as possible: still the same inode, still the same bytes.
      const now = await fs.stat(target).catch(() => undefined);
      if (!now || now.ino !== st.ino || now.dev !== st.dev) return 'raced';
      if (!(await readAll(old)).equals(expected)) return 'raced';

      await host.beforeRename?.(target);
      const hash = sha1(content);
      const undo = host.willWrite(hash);
      try {
        await fs.rename(temp, target);
      } catch (err) {
        undo();
        throw err;
      }
      temp = undefined;
      host.written({ target, reason, hash, bytes: content.length, ...(backup ? { backup } : {}), ...(restored ? { restored } : {}) });

      // A save that opened the old inode between our last look and the rename wrote into it.
      const orphan: Orphan = { handle: old, expected, replacement: content, target };
      keepOld = true;
      if (!(await readAll(old)).equals(expected)) {
        await this.rescue(orphan, reason);
      } else {
        this.orphans.add(orphan);
        void host.sleep(host.stableMs * 2).then(() => {
          if (!host.closed() && this.orphans.has(orphan)) host.schedule(() => this.checkOrphan(orphan, reason));
        });
      }
      return 'written';
    } catch (err) {
      host.error('write', err);
      return 'failed';
    } finally {
      if (temp) await fs.rm(temp, { force: true }).catch(() => undefined);
      if (!keepOld) await old.close().catch(() => undefined);
    }
  }

  /** Last look at replaced inodes before the host stops: a save that landed on one is still put back. */
  async close(reason: R): Promise<void> {
    for (const orphan of [...this.orphans]) {
      await this.checkOrphan(orphan, reason).catch((err: unknown) => this.host.error('lost-save', err));
    }
  }

  private async checkOrphan(orphan: Orphan, reason: R): Promise<void> {
    if (!this.orphans.has(orphan)) return;
    try {
      if (!(await readAll(orphan.handle)).equals(orphan.expected)) await this.rescue(orphan, reason);
    } finally {
      await this.releaseOrphan(orphan);
    }
  }

  private async releaseOrphan(orphan: Orphan): Promise<void> {
    this.orphans.delete(orphan);
    await orphan.handle.close().catch(() => undefined);
  }

  /**
   * A save landed on the inode we replaced. Wait for it to finish, then put it back, unless
   * the person has saved again since (their newer save carries their buffer). If it cannot go
   * back, keep it beside the backups so not a character is lost.
   */
  private async rescue(orphan: Orphan, reason: R): Promise<void> {
    this.orphans.delete(orphan);
    try {
      let saved = await readAll(orphan.handle);
      for (let i = 0; i < 50; i++) {
        await this.host.sleep(this.host.stableMs);
        const again = await readAll(orphan.handle);
        if (again.equals(saved)) break;
        saved = again;
      }
      if (saved.length === 0 || saved.equals(orphan.expected)) return; // truncated, nothing written
      const current = await fs.readFile(orphan.target).catch(() => undefined);
      if (current && current.equals(orphan.replacement)) {
        const result = await this.replace(orphan.replacement, saved, reason, true);
        if (result === 'written') {
          this.host.restored(reason);
          return;
        }
      }
      const kept = await this.keepLostSave(saved);
      this.host.error('lost-save', undefined, `a save landed while sdp was writing and the file has changed since; it is kept in ${kept}`);
    } finally {
      await orphan.handle.close().catch(() => undefined);
    }
  }

  private async keepLostSave(bytes: Buffer): Promise<string> {
    const dir = this.host.backupDir ?? path.dirname(this.host.file);
    await fs.mkdir(dir, { recursive: true });
    return createUnique(dir, `${stemOf(this.host.file)}.${stamp(this.host.clock())}.lost`, '.md', bytes, 0o600);
  }

  private async writeBackup(dir: string, bytes: Buffer, mode: number): Promise<string> {
    await fs.mkdir(dir, { recursive: true });
    return createUnique(dir, `${stemOf(this.host.file)}.${stamp(this.host.clock())}`, '.md', bytes, mode & 0o666);
  }
}

// ---- helpers -----------------------------------------------------------------------------

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
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
