// Reading a file a person named or left in a folder: only a regular file. A FIFO given as the
// session (or named *.md in sessions/ or a questions folder) would block the read forever, a
// device would never end: they are refused before a byte is read.
import { constants, promises as fs, type Stats } from 'node:fs';
import { UsageError } from '../core/errors.js';

export async function readRegularFile(file: string): Promise<string> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UsageError(`${file} is ${kind(stats)}, not a file sdp can read`, 'give the path of a markdown file');
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
