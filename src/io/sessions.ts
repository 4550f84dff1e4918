// Finding and reading session files.
import path from 'node:path';
import { ContentError } from '../core/errors.js';
import type { BlockCache } from '../core/parse/markdown.js';
import { parseSession } from '../core/parse/parse.js';
import type { Session } from '../core/session.js';
import { newestSession, readText } from './files.js';
import { DiskParseCache } from './parse-cache.js';

export interface LoadedSession {
  file: string;
  /** The path as shown to the user: relative to the working folder when inside it. */
  shown: string;
  source: string;
  session: Session;
}

/** The given session file, or the newest in `dir`. */
export async function resolveSessionPath(cwd: string, given: string | undefined, dir: string): Promise<string> {
  return given === undefined ? newestSession(path.resolve(cwd, dir)) : path.resolve(cwd, String(given));
}

/** Reads and parses a session; with no `cache` given, through the session's cache on disk. */
export async function loadSession(cwd: string, file: string, cache?: BlockCache): Promise<LoadedSession> {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  const source = await readText(file);
  const disk = cache ? undefined : DiskParseCache.open(file);
  try {
    const session = parseSession(source, { cache: cache ?? disk });
    await disk?.save();
    return { file, shown, source, session };
  } catch (err) {
    if (err instanceof ContentError) throw err.inFile(shown);
    throw err;
  }
}
