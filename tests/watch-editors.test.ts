// The dirty-buffer signals `sdp watch` waits on: vim's swap file (block 0's `b0_dirty`, 'U' at
// byte 1007 while the buffer has unsaved changes) and Emacs's `.#name` lock. Checked against
// real vim under tmux, and against made-up swap and lock files for the stale cases.
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unsavedChanges } from '../src/io/watch/editors.js';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true }))));
async function tempFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-editors-'));
  temps.push(dir);
  const file = path.join(dir, 's.md');
  await fs.writeFile(file, '# s\n');
  return file;
}
async function until(what: string, test: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (await test()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/** A swap file's first block as vim writes it: "b0", the owner's pid at 24, the dirty flag at 1007. */
function swapBlock(pid: number, dirty: boolean): Buffer {
  const b = Buffer.alloc(4096);
  b.write('b0VIM 9.0', 0, 'latin1');
  b.writeUInt32LE(pid, 24);
  b[1007] = dirty ? 0x55 : 0;
  return b;
}
/** A pid no process has. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('unsavedChanges', () => {
  it('reads the modified flag of a vim swap file, and ignores one whose vim has died', async () => {
    const file = await tempFile();
    const swap = path.join(path.dirname(file), '.s.md.swp');
    expect(await unsavedChanges(file)).toBeUndefined();
    await fs.writeFile(swap, swapBlock(process.pid, true));
    expect(await unsavedChanges(file)).toBe('vim has unsaved changes (.s.md.swp)');
    await fs.writeFile(swap, swapBlock(process.pid, false));
    expect(await unsavedChanges(file)).toBeUndefined();
    await fs.writeFile(swap, swapBlock(deadPid(), true));
    expect(await unsavedChanges(file)).toBeUndefined();
    await fs.writeFile(swap, Buffer.alloc(2000, 0x55)); // not a swap file
    expect(await unsavedChanges(file)).toBeUndefined();
  });

  it('sees an Emacs lock of a live Emacs on this machine or another, not one left by a dead one', async () => {
    const file = await tempFile();
    const lock = path.join(path.dirname(file), '.#s.md');
    await fs.symlink(`me@${os.hostname()}.${process.pid}:1700000000`, lock);
    expect(await unsavedChanges(file)).toBe('Emacs has unsaved changes (.#s.md)');
    await fs.rm(lock);
    await fs.symlink(`me@${os.hostname()}.${deadPid()}:1700000000`, lock);
    expect(await unsavedChanges(file)).toBeUndefined();
    await fs.rm(lock);
    await fs.symlink('me@elsewhere.example.12345:1700000000', lock);
    expect(await unsavedChanges(file)).toBe('Emacs has unsaved changes (.#s.md)');
  });

  const missing = ['vim', 'tmux'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
  it.skipIf(missing.length > 0)('follows real vim: clean when opened, modified while typing, clean after :w', async () => {
    const file = await tempFile();
    const name = `sdp-swap-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { stdio: 'ignore' });
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', `vim -N -u NONE -i NONE ${file}`);
    try {
      await until('vim to make its swap file', async () => (await fs.stat(path.join(path.dirname(file), '.s.md.swp')).catch(() => undefined)) !== undefined);
      expect(await unsavedChanges(file)).toBeUndefined();
      tmux('send-keys', '-t', name, 'o', 'typed');
      await until('the modified flag', async () => (await unsavedChanges(file)) !== undefined);
      expect(await unsavedChanges(file)).toBe('vim has unsaved changes (.s.md.swp)');
      tmux('send-keys', '-t', name, 'Escape', ':w', 'Enter');
      await until('the flag to clear on :w', async () => (await unsavedChanges(file)) === undefined);
      expect(await fs.readFile(file, 'utf8')).toContain('typed');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', name]);
    }
  });
});
