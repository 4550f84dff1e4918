// Events: what the file system says about the session file, turned into pokes. A poke only
// means "look at the file"; what counts is its content (see read.ts). chokidar watches the
// folders (not the files) so that rename-style saves are seen, its raw fs.watch events poke
// too (it drops a `change` within 50 ms of the last, and an Emacs save right after a vim save
// can produce no event at all), and a stat poll catches anything no event reported.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';

export type PokeEvent = 'add' | 'change' | 'unlink' | 'raw' | 'rescan';

export interface EventsOptions {
  /** The session file. */
  file: string;
  poke(event: PokeEvent, p: string): void;
  error(err: unknown): void;
  /** The stat poll's period; 0 turns it off. */
  rescanMs: number;
  /** The file's fingerprint as last read ('missing' when it was gone). */
  lastFingerprint(): string;
  /** The poll found the file gone: remember it, so that it pokes once. */
  markMissing(): void;
  fingerprint(st: { ino: number; size: number; mtimeMs: number }): string;
}

export class FileEvents {
  /** The paths reported on: the session file and, when it is a symlink, its target. */
  readonly files: Set<string>;
  private readonly dirs: Set<string>;
  private fsw: FSWatcher | undefined;
  private rescan: NodeJS.Timeout | undefined;
  private closed = false;
  private wakeReady: () => void = () => undefined;

  constructor(private readonly o: EventsOptions) {
    this.files = new Set([o.file]);
    this.dirs = new Set([path.dirname(o.file)]);
  }

  /** Also report on `target` (the file a symlinked session points to). */
  track(target: string): void {
    if (this.files.has(target)) return;
    this.files.add(target);
    const dir = path.dirname(target);
    if (!this.dirs.has(dir)) {
      this.dirs.add(dir);
      if (this.fsw && !this.closed) this.fsw.add(dir);
    }
  }

  /** Resolves once chokidar is ready (or close() was called). */
  start(): Promise<void> {
    const { files, dirs } = this;
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
    this.fsw = w;
    w.on('all', (event, p) => {
      try {
        if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
        if (!files.has(path.resolve(p))) return;
        this.o.poke(event, p);
      } catch (err) {
        this.o.error(err);
      }
    });
    w.on('raw', (_event, evPath, details) => {
      try {
        const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
        if (!watched || !evPath) return;
        const abs = files.has(path.resolve(watched)) && path.basename(watched) === evPath ? path.resolve(watched) : path.resolve(watched, evPath);
        if (files.has(abs)) this.o.poke('raw', abs);
      } catch (err) {
        this.o.error(err);
      }
    });
    w.on('error', (err) => this.o.error(err));
    if (this.o.rescanMs > 0) this.rescan = setInterval(() => this.rescanTick(), this.o.rescanMs);
    return new Promise<void>((resolve) => {
      w.once('ready', resolve);
      this.wakeReady = resolve;
    });
  }

  private rescanTick(): void {
    const { file } = this.o;
    fs.stat(file).then(
      (st) => {
        if (!this.closed && this.o.fingerprint(st) !== this.o.lastFingerprint()) this.o.poke('rescan', file);
      },
      () => {
        if (!this.closed && this.o.lastFingerprint() !== 'missing') {
          this.o.markMissing();
          this.o.poke('rescan', file);
        }
      },
    );
  }

  /** Stop reporting: no timer or handle is left behind. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.rescan) clearInterval(this.rescan);
    this.rescan = undefined;
    this.wakeReady();
    await this.fsw?.close();
  }
}
