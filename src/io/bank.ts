// Loads the question bank: the presets shipped with sdp, then ./templates/questions in
// the working folder, then --questions DIR. A later file with the same id wins. Rubrics
// (templates/rubrics/<id>.yaml) load the same way.
import { readRegularFile } from './read.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ContentError, UsageError } from '../core/errors.js';
import { parseQuestion, type Question } from '../core/parse/questions.js';
import { parseSession } from '../core/parse/parse.js';
import { parseRubric, type Rubric } from '../core/parse/rubric.js';
import { checkDepth, type DepthResult } from '../core/check/depth.js';
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

/** The first of `files` that can be read, parsed; a content error names the file (as `shown` gives it). */
async function parseFirst<T>(files: string[], parse: (source: string, file: string) => T, shown = (file: string) => file): Promise<T | undefined> {
  for (const file of files) {
    let source: string;
    try {
      source = await readRegularFile(file);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      continue;
    }
    try {
      return parse(source, file);
    } catch (err) {
      if (err instanceof ContentError) throw err.inFile(shown(file));
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

/** A preset's sample answers (templates/samples/<id>.md here or shipped), or undefined. */
export async function loadSample(cwd: string, id: string): Promise<Session | undefined> {
  const shipped = path.join(path.dirname(BUILTIN_QUESTIONS), 'samples');
  return parseFirst(
    [path.resolve(cwd, 'templates/samples'), shipped].map((dir) => path.join(dir, `${id}.md`)),
    (source) => parseSession(source),
  );
}

export interface LoadedRubric extends Rubric {
  file: string;
}

/** The shipped rubrics folder (templates/rubrics beside the questions). */
export const BUILTIN_RUBRICS = path.join(path.dirname(BUILTIN_QUESTIONS), 'rubrics');

async function loadRubricDir(dir: string, questions: ReadonlySet<string>): Promise<LoadedRubric[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const source = await fs.readFile(file, 'utf8');
      try {
        return { ...parseRubric(source, name.replace(/\.ya?ml$/, ''), questions), file };
      } catch (err) {
        if (err instanceof ContentError) throw err.inFile(file);
        throw err;
      }
    }),
  );
}

/**
 * Every rubric: shipped, then ./templates/rubrics in the working folder (same id replaces,
 * as for questions). Each must name a question of the bank.
 */
export async function loadRubrics(cwd: string, bank: Question[]): Promise<Map<string, LoadedRubric>> {
  const questions = new Set(bank.map((q) => q.id));
  const byId = new Map<string, LoadedRubric>();
  const local = path.resolve(cwd, 'templates/rubrics');
  const dirs = path.resolve(local) === path.resolve(BUILTIN_RUBRICS) ? [BUILTIN_RUBRICS] : [BUILTIN_RUBRICS, local];
  for (const dir of dirs) for (const r of await loadRubricDir(dir, questions)) byId.set(r.question, r);
  return byId;
}

/**
 * The rubric for one question (templates/rubrics/<id>.yaml here, else shipped), or undefined
 * when it has none: a user's own question may not.
 */
export async function loadRubric(cwd: string, id: string): Promise<LoadedRubric | undefined> {
  const files = [path.resolve(cwd, 'templates/rubrics'), BUILTIN_RUBRICS].flatMap((dir) => ['yaml', 'yml'].map((ext) => path.join(dir, `${id}.${ext}`)));
  return parseFirst(
    files,
    (source, file) => ({ ...parseRubric(source, id), file }),
    (file) => path.relative(cwd, file) || file,
  );
}

/** The depth of a session against its question's rubric, at the session's level; undefined without a rubric. */
export async function loadDepth(cwd: string, session: Session): Promise<DepthResult | undefined> {
  const rubric = await loadRubric(cwd, session.frontmatter.question);
  return rubric && checkDepth(session, rubric, session.frontmatter.level);
}
