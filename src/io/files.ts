// File system edge: reading sessions and finding the newest. Every write goes through
// safe-write.ts.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { readRegularFile } from './read.js';

export async function readText(file: string): Promise<string> {
  try {
    return await readRegularFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`, 'check the path, or run `sdp new <question>` first');
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder, not a session file`);
    throw err;
  }
}

export async function modifiedAt(file: string): Promise<Date> {
  return (await fs.stat(file)).mtime;
}

/** The newest `*.md` session in a folder, by the timestamp in its name, then by modification time. */
export async function newestSession(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.md') && !n.startsWith('.'));
  } catch {
    names = [];
  }
  if (names.length === 0) {
    throw new UsageError(`no session in ${dir}/`, 'start one with `sdp new <question>`, or pass the session file');
  }
  const stats = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(dir, n))).mtimeMs })));
  stats.sort((a, b) => b.t - a.t || b.n.localeCompare(a.n));
  return path.join(dir, stats[0].n);
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file, constants.F_OK).then(
    () => true,
    () => false,
  );
}
