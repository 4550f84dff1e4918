// Finding and reading session files.
import path from 'node:path';
import { ContentError } from '../core/errors.js';
import type { BlockCache } from '../core/parse/markdown.js';
import { parseSession } from '../core/parse/parse.js';
import type { Session } from '../core/session.js';
import { newestSession, readText } from './files.js';
import { DiskParseCache } from './parse-cache.js';
import { recoverSessions } from './safe-write.js';

export interface LoadedSession {
  file: string;
  /** The path as shown to the user: relative to the working folder when inside it. */
  shown: string;
  source: string;
  session: Session;
}

/**
 * The name of a session's report (`<stem>.md`) and picture folder (`<stem>/`): the file name
 * without `.md`, made safe to be a name inside the report folder. A session named `...md` or
 * `.md` would otherwise put its pictures in the folder above, or in a hidden one.
 */
export function reportStem(file: string): string {
  const stem = path
    .basename(file)
    .replace(/\.md$/i, '')
    .replace(/[\x00-\x1f\x7f/\\:*?"<>|]+/g, '-')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  return stem || 'session';
}

/** The folder a session's symlink may point into: the project (the working folder), or the session's own folder when it lies outside. */
export function sessionProject(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : path.dirname(file);
}

/** The given session file, or the newest in `dir`. */
export async function resolveSessionPath(cwd: string, given: string | undefined, dir: string): Promise<string> {
  await recoverSessions(given === undefined ? path.resolve(cwd, dir) : path.dirname(path.resolve(cwd, String(given))));
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
