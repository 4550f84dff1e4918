// Loads the question bank: the presets shipped with sdp, then ./templates/questions in
// the working folder, then --questions DIR. A later file with the same id wins.
import { readRegularFile } from './read.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ContentError, UsageError } from '../core/errors.js';
import { parseQuestion, type Question } from '../core/parse/questions.js';
import { parseSession } from '../core/parse/parse.js';
import type { Session } from '../core/session.js';
import { mergePlaybooks, parsePlaybookFile, type Playbook } from '../core/parse/playbook.js';

/** The presets shipped with sdp: found from this module upwards, bundled (dist/) or not (src/io/). */
export const BUILTIN_QUESTIONS = findUp(path.dirname(fileURLToPath(import.meta.url)), 'templates/questions');

function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative))) return path.join(dir, relative);
    if (path.dirname(dir) === dir) return path.join(from, relative);
  }
}

export interface LoadedQuestion extends Question {
  file: string;
}

async function loadDir(dir: string, required: boolean): Promise<LoadedQuestion[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  } catch (err) {
    if (!required) return [];
    throw new UsageError(`cannot read the questions folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const source = await readRegularFile(file);
      try {
        return { ...parseQuestion(source, name.slice(0, -3)), file };
      } catch (err) {
        if (err instanceof ContentError) throw err.inFile(file);
        throw err;
      }
    }),
  );
}

export async function loadBank(cwd: string, extraDir?: string): Promise<LoadedQuestion[]> {
  const dirs = [BUILTIN_QUESTIONS];
  const local = path.resolve(cwd, 'templates/questions');
  if (path.resolve(local) !== path.resolve(BUILTIN_QUESTIONS)) dirs.push(local);
  const byId = new Map<string, LoadedQuestion>();
  for (const dir of dirs) for (const q of await loadDir(dir, false)) byId.set(q.id, q);
  if (extraDir) for (const q of await loadDir(path.resolve(cwd, extraDir), true)) byId.set(q.id, q);
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** A preset's sample answers (templates/samples/<id>.md here or shipped), or undefined. */
export async function loadSample(cwd: string, id: string): Promise<Session | undefined> {
  const shipped = path.join(path.dirname(BUILTIN_QUESTIONS), 'samples');
  for (const dir of [path.resolve(cwd, 'templates/samples'), shipped]) {
    const file = path.join(dir, `${id}.md`);
    let source: string;
    try {
      source = await readRegularFile(file);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      continue;
    }
    try {
      return parseSession(source);
    } catch (err) {
      if (err instanceof ContentError) throw err.inFile(file);
      throw err;
    }
  }
  return undefined;
}

/**
 * The tactic playbook and failure catalogue: the shipped templates/playbook/*.yaml, then the
 * working folder's templates/playbook/*.yaml (an entry with a shipped id replaces it).
 */
export async function loadPlaybook(cwd: string): Promise<Playbook> {
  const shipped = path.join(path.dirname(BUILTIN_QUESTIONS), 'playbook');
  const dirs = [shipped];
  const local = path.resolve(cwd, 'templates/playbook');
  if (local !== path.resolve(shipped)) dirs.push(local);
  const books = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const rel = path.relative(cwd, file);
      books.push(parsePlaybookFile(await fs.readFile(file, 'utf8'), rel && !rel.startsWith('..') ? rel : file));
    }
  }
  return mergePlaybooks(books);
}
