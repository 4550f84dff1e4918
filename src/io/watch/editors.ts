// What editors leave on disk while a buffer has unsaved changes. Any write to the file while
// the person's buffer is dirty makes the editor object at their next save (vim's "changed since
// reading it (y/n)", Emacs's "changed since visited or saved"), so watch writes only while
// none of these says "dirty".
//
// - vim and Neovim keep a swap file whose block 0 carries a "modified" flag: memline.c's
//   `b0_dirty`, the last byte of `b0_fname`, at offset 1007, 'U' (0x55) while the buffer has
//   unsaved changes. vim rewrites block 0 at once when the buffer turns modified or unmodified
//   (`ml_setflags` syncs it with MFS_ZERO), so the flag is current within milliseconds.
// - Emacs keeps a `.#name` lock (a symlink to `user@host.pid:boot`) while a buffer visiting
//   the file is modified, and removes it when the buffer is saved or reverted.
// A swap or lock left by an editor that has since died is ignored (its pid is gone).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const B0_DIRTY_OFFSET = 1007;
const B0_PID_OFFSET = 24;
const DIRTY = 0x55; // 'U'

/** Why a write must wait (an editor holds unsaved changes to `file`), or undefined. */
export async function unsavedChanges(file: string): Promise<string | undefined> {
  const names = new Set([path.resolve(file)]);
  const target = await fs.realpath(file).catch(() => undefined);
  if (target) names.add(target);
  for (const name of names) {
    for (const swap of swapFiles(name)) if (await swapIsDirty(swap)) return `vim has unsaved changes (${path.basename(swap)})`;
    const lock = path.join(path.dirname(name), `.#${path.basename(name)}`);
    if (await lockIsLive(lock)) return `Emacs has unsaved changes (${path.basename(lock)})`;
  }
  return undefined;
}

/** Where vim (`directory` default `.,…`) and Neovim (`$XDG_STATE_HOME/nvim/swap//`) put a swap file. */
function swapFiles(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  // vim takes .swp, and .swo, .swn, … when an older one is in the way.
  const local = ['swp', 'swo', 'swn', 'swm'].map((ext) => path.join(dir, `.${base}.${ext}`));
  const state = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return [...local, path.join(state, 'nvim', 'swap', `${file.replace(/\//g, '%')}.swp`)];
}

async function swapIsDirty(swap: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(swap, 'r');
  } catch {
    return false;
  }
  try {
    const block = Buffer.alloc(B0_DIRTY_OFFSET + 1);
    const { bytesRead } = await handle.read(block, 0, block.length, 0);
    if (bytesRead < block.length || block[0] !== 0x62 || block[1] !== 0x30) return false; // "b0": a vim swap file
    return block[B0_DIRTY_OFFSET] === DIRTY && alive(block.readUInt32LE(B0_PID_OFFSET));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function lockIsLive(lock: string): Promise<boolean> {
  let owner: string;
  try {
    owner = await fs.readlink(lock);
  } catch (err) {
    // Where symlinks cannot be made, Emacs writes a regular file holding the same text.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') return false;
    owner = await fs.readFile(lock, 'utf8').catch(() => '');
  }
  const m = /@(.+)\.(\d+)(?::\d+)?$/.exec(owner);
  if (!m || m[1] !== os.hostname()) return true; // another machine's Emacs: trust the lock
  return alive(Number(m[2]));
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
