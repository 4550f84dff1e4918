// The practice log on disk: every session in the sessions folder, and, where that folder is
// in a git repository, the sessions only its history still holds (deleted or renamed since).
// Each is read, parsed and checked into an Attempt; files that do not parse are skipped with
// the reason, never fatal: one broken session must not hide the rest of the log.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkSession } from '../core/check/index.js';
import { checkDepth } from '../core/check/depth.js';
import type { Rubric } from '../core/parse/rubric.js';
import { loadRubric } from './bank.js';
import { attemptKey, attemptOf, type Attempt } from '../core/derive/history.js';
import { ContentError } from '../core/errors.js';
import { parseSession } from '../core/parse/parse.js';
import { DiskParseCache } from './parse-cache.js';

export interface Log {
  attempts: Attempt[];
  skipped: { file: string; why: string }[];
  /** Whether git's history was read. */
  git: boolean;
}

/** Files from history read at most: a log stays quick however long the repository's past. */
const MAX_HISTORY_FILES = 400;
const GIT_TIMEOUT_MS = 10_000;

export async function readLog(cwd: string, dir: string, only?: string): Promise<Log> {
  const folder = path.resolve(cwd, dir);
  const attempts: Attempt[] = [];
  const skipped: Log['skipped'] = [];
  const seen = new Set<string>();
  // Each question's rubric, loaded once: depth is part of every attempt that has one.
  const rubrics = new Map<string, Rubric | undefined>();
  const sources: { file: string; source: string }[] = [];
  const add = (file: string, source: string) => sources.push({ file, source });
  const read = async ({ file, source }: { file: string; source: string }) => {
    try {
      const disk = file.includes('@') ? undefined : DiskParseCache.open(path.resolve(cwd, file));
      const session = parseSession(source, { cache: disk });
      void disk?.save();
      const question = session.frontmatter.question;
      if (only && question !== only) return;
      if (!rubrics.has(question)) rubrics.set(question, await loadRubric(cwd, question).catch(() => undefined));
      const rubric = rubrics.get(question);
      const depth = rubric ? checkDepth(session, rubric, session.frontmatter.level) : undefined;
      const missed = depth ? depth.keyPoints.filter((k) => k.expected && !k.covered).map((k) => ({ id: k.id, point: k.point, steps: k.steps })) : [];
      const attempt = attemptOf(file, session, checkSession(session), depth && { covered: depth.covered, counted: depth.counted, missed });
      const key = attemptKey(attempt);
      if (seen.has(key)) return;
      seen.add(key);
      attempts.push(attempt);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      const d = err.diagnostics[0];
      skipped.push({ file, why: d ? `line ${d.line}: ${d.text}` : err.message });
    }
  };

  let names: string[] = [];
  try {
    names = (await fs.readdir(folder)).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    const file = path.join(folder, name);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    add(path.relative(cwd, file) || file, await fs.readFile(file, 'utf8'));
  }

  const git = gitRoot(folder);
  if (git) {
    for (const { commit, file } of historyFiles(git, folder)) {
      const shown = `${path.relative(cwd, path.join(git, file))}@${commit.slice(0, 7)}`;
      const text = gitShow(git, commit, file);
      if (text !== undefined) add(shown, text);
    }
  }
  for (const s of sources) await read(s);
  return { attempts, skipped, git: Boolean(git) };
}

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout : undefined;
}

function gitRoot(folder: string): string | undefined {
  return git(folder, ['rev-parse', '--show-toplevel'])?.trim() || undefined;
}

/** Each session path git ever held under the folder, at the newest commit that still had it. */
function historyFiles(root: string, folder: string): { commit: string; file: string }[] {
  const rel = path.relative(root, folder) || '.';
  const log = git(root, ['log', '--format=%x01%H', '--name-only', '--diff-filter=AMR', '--no-renames', '--', `${rel}/*.md`]);
  if (!log) return [];
  const out: { commit: string; file: string }[] = [];
  const taken = new Set<string>();
  for (const entry of log.split('\x01').slice(1)) {
    const [commit, ...files] = entry.split('\n').filter(Boolean);
    for (const file of files) {
      if (taken.has(file) || path.basename(file).startsWith('.')) continue;
      taken.add(file);
      out.push({ commit, file });
      if (out.length >= MAX_HISTORY_FILES) return out;
    }
  }
  return out;
}

function gitShow(root: string, commit: string, file: string): string | undefined {
  return git(root, ['show', `${commit}:${file}`]);
}
