import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { DEFAULT_BUDGET_MINUTES, STEPS, splitBudget } from '../core/method.js';
import { resolveQuestion, type Question } from '../core/parse/questions.js';
import { renderSession } from '../core/write/template.js';
import { DEFAULT_LEVEL, isLevel, LEVELS, type Level } from '../core/parse/rubric.js';
import { prefill, stepsBefore } from '../core/write/samples.js';
import { loadBank, loadSample } from '../io/bank.js';
import { carriedHints, trackFindings } from '../core/derive/history.js';
import { readLog } from '../io/history.js';
import { createNew } from '../io/safe-write.js';
import type { CommandContext } from './context.js';

export interface NewOptions {
  dir: string;
  budget?: number | string;
  /** Pre-fill steps 1…N-1 from the preset's sample answers. */
  startStep?: number | string;
  /** mid | senior | staff (default senior). */
  level?: string;
}

const MAX_TRIES = 50;

export interface Created {
  file: string;
  shown: string;
  question: Question;
  total: number;
  startStep: number;
  /** Open findings of earlier attempts put into the hint blocks, and how many attempts they came from. */
  carried: { findings: number; attempts: number };
  level: Level;
}

/** Resolve the question (or ask for it), write a new session, never over an existing file. */
export async function createSession(ctx: CommandContext, input: string | undefined, opts: NewOptions): Promise<Created> {
  const total = parseBudget(opts.budget);
  const startStep = opts.startStep === undefined ? 1 : Number(opts.startStep);
  if (!Number.isInteger(startStep) || startStep < 1 || startStep > STEPS.length) {
    throw new UsageError(`--start-step must be a step number from 1 to ${STEPS.length}, not "${String(opts.startStep)}"`, 'e.g. --start-step 4 to drill workflows');
  }
  const level = opts.level === undefined ? DEFAULT_LEVEL : String(opts.level).toLowerCase();
  if (!isLevel(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}, not "${String(opts.level)}"`, 'e.g. --level staff; the default is senior');
  const bank = await loadBank(ctx.cwd, ctx.questionsDir);
  const question = input === undefined ? await choose(ctx, bank) : pick(ctx, bank, String(input));
  const samples = stepsBefore(startStep);
  const sample = samples.length ? await loadSample(ctx.cwd, question.id) : undefined;
  if (samples.length && !sample) throw new UsageError(`${question.id} has no sample answers to start at step ${startStep} with`, 'start at step 1, or add templates/samples/' + question.id + '.md');

  const now = ctx.now();
  const dir = path.resolve(ctx.cwd, opts.dir);
  await fs.mkdir(dir, { recursive: true });
  const log = await readLog(ctx.cwd, opts.dir, question.id);
  const carried = carriedHints(trackFindings(log.attempts));
  const template = renderSession({ question, started: now.toISOString(), budget: splitBudget(total), carried, level });
  const carriedCount = { findings: Object.values(carried).reduce((n, l) => n + (l?.length ?? 0), 0), attempts: log.attempts.length };
  const text = sample ? prefill(template, sample, samples) : template;
  // The name comes from the preset id (validated as [a-z0-9-]) and the clock, never from user text.
  const base = `${question.id}-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  for (let n = 1; n <= MAX_TRIES; n++) {
    const file = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.md`);
    const shown = path.relative(ctx.cwd, file) || file;
    if (await createNew(file, text, shown)) return { file, shown, question, total, startStep, carried: carriedCount, level };
  }
  throw new UsageError(`could not find a free file name for ${base} in ${dir}`);
}

export async function newCommand(ctx: CommandContext, input: string | undefined, opts: NewOptions): Promise<number> {
  const { shown, question, total, startStep, carried, level } = await createSession(ctx, input, opts);
  ctx.term.out(`Created ${shown}`);
  ctx.term.out('');
  ctx.term.out(`  ${question.title}: ${total} min over ${STEPS.length} steps, at ${level} level.`);
  if (startStep > 1) ctx.term.out(`  Steps 1-${startStep - 1} hold sample answers; start at step ${startStep}.`);
  if (carried.findings)
    ctx.term.out(
      `  ${carried.findings} finding${carried.findings === 1 ? '' : 's'} your ${carried.attempts} earlier attempt${carried.attempts === 1 ? '' : 's'} left open ${carried.findings === 1 ? 'is' : 'are'} in the hints ("From your earlier attempts").`,
    );
  ctx.term.out("  Open it in your editor and write your answers under each step's hint block,");
  ctx.term.out('  with `sdp watch` running beside it for timing and hints (or run `sdp practice` instead).');
  ctx.term.out('  When you are done:  sdp build');
  return 0;
}

function parseBudget(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_BUDGET_MINUTES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < STEPS.length || n > 600) {
    throw new UsageError(`--budget must be whole minutes between ${STEPS.length} and 600, not "${String(value)}"`, 'e.g. --budget 60');
  }
  return n;
}

function describe(input: string): string {
  const safe = JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input);
  return safe;
}

function pick(ctx: CommandContext, bank: Question[], input: string): Question {
  // A question is named by id or alias, never by path: refuse what only a path would contain.
  if (/[/\\\x00-\x1f]/.test(input) || input.length > 200) {
    throw new UsageError(`${describe(input)} is not a question name`, 'name a preset by id, e.g. sdp new airbnb (sdp list shows them)');
  }
  const found = resolveQuestion(bank, input);
  if (found.question) {
    if (!found.exact) ctx.term.err(`Taking "${input}" as ${found.question.id} (${found.question.title}).`);
    return found.question;
  }
  const mean = found.suggestions.length ? `did you mean ${found.suggestions.map((q) => q.id).join(', ')}?` : 'run `sdp list` to see the presets';
  throw new UsageError(`unknown question ${describe(input)}: ${mean}`, 'sdp new <id>, e.g. sdp new airbnb');
}

async function choose(ctx: CommandContext, bank: Question[]): Promise<Question> {
  const menu = bank.map((q, i) => `${String(i + 1).padStart(3)}. ${q.title}  [${q.id}]`);
  if (!ctx.term.interactive) {
    for (const line of menu) ctx.term.err(line);
    throw new UsageError('no question given and no terminal to ask on', 'sdp new <id>, e.g. sdp new airbnb');
  }
  ctx.term.out('Pick a question:');
  for (const line of menu) ctx.term.out(line);
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = (await ctx.term.ask(`Number or name [1-${bank.length}]: `))?.trim();
    if (answer === undefined) break;
    if (/^\d+$/.test(answer) && Number(answer) >= 1 && Number(answer) <= bank.length) return bank[Number(answer) - 1];
    const found = answer ? resolveQuestion(bank, answer) : undefined;
    if (found?.question) return found.question;
    ctx.term.out(`"${answer}" is not on the list.`);
  }
  throw new UsageError('no question chosen');
}
