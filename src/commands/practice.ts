// `sdp practice`: the terminal mode. Walks the sections in order, shows each prompt with the
// hints derived from earlier answers, reads a multi-line answer and writes it into the session
// at once, so Ctrl-C loses at most the answer being typed. Resumes at the first empty section.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { answerEdit, type AnswerTarget } from '../core/write/answer.js';
import { applyEdits } from '../core/write/edit.js';
import { ContentError } from '../core/errors.js';
import { deriveHints } from '../core/derive/hints.js';
import type { StepId } from '../core/method.js';
import { parseSession } from '../core/parse/parse.js';
import { formatDuration } from '../core/write/report.js';
import type { Session } from '../core/session.js';
import { openSections } from '../core/derive/status.js';
import { stepBlockLines } from '../core/write/sync.js';
import { withExamples } from '../core/write/template.js';
import { readTiming, recordEdit, timingEdit } from '../core/derive/timing.js';
import { loadBank, loadPlaybook, loadRubric } from '../io/bank.js';
import { choiceSkeleton, menuFor, sectionFor } from '../core/derive/options.js';
import { followUpEdit, hasFollowUp, pickFollowUp } from '../core/write/followup.js';
import type { FollowUp } from '../core/parse/rubric.js';
import { checkSessionWritable, openSessionFile, type SessionFile } from '../io/safe-write.js';
import { sessionProject } from '../io/sessions.js';
import { readRegularFile } from '../io/read.js';
import { buildCommand } from './build.js';
import type { CommandContext } from './context.js';
import { createSession } from './new.js';

export interface PracticeOptions {
  dir: string;
  out: string;
  budget?: number | string;
  startStep?: number | string;
  level?: string;
}

const END = '.';

export async function practiceCommand(ctx: CommandContext, input: string | undefined, opts: PracticeOptions): Promise<number> {
  let file: string;
  const asFile = input !== undefined ? path.resolve(ctx.cwd, String(input)) : undefined;
  if (asFile && String(input).endsWith('.md') && existsSync(asFile)) {
    file = asFile;
  } else {
    const created = await createSession(ctx, input, opts);
    file = created.file;
    ctx.term.out(`Created ${created.shown}`);
  }
  const shown = path.relative(ctx.cwd, file) || file;
  // A FIFO or a device would block the first read forever: refuse it before anything opens it.
  await readRegularFile(file);
  const within = sessionProject(ctx.cwd, file);
  await checkSessionWritable(file, within);
  // Writes go through the same protocol as watch's: an editor saving the same file is never overwritten.
  const doc = openSessionFile(file, { shown, within, onWarning: (m) => ctx.term.err(`sdp: warning: ${m}`) });
  try {
    return await practise(ctx, doc, file, shown, opts);
  } finally {
    await doc.close();
  }
}

async function practise(ctx: CommandContext, doc: SessionFile, file: string, shown: string, opts: PracticeOptions): Promise<number> {
  const first = await load(doc, shown);
  const question = (await loadBank(ctx.cwd, ctx.questionsDir).catch(() => [])).find((q) => q.id === first.session.frontmatter.question);
  ctx.term.out(`${first.session.frontmatter.title}: answer each section; end an answer with a line holding a single "${END}" (or Ctrl-D); an empty answer skips it.`);
  // The users, scope and scale are what the answers are judged against: show them as the file holds them.
  const asked = first.session.question || question?.scope || '';
  if (asked) {
    ctx.term.out('');
    for (const line of asked.split('\n')) ctx.term.out(line ? `  ${line}` : '');
  }

  let interrupted = false;
  // Ctrl-C at the prompt (readline's, on a terminal) or SIGINT/SIGTERM (the CLI's signal, e.g.
  // with answers piped in): every answer given is already on disk; say so and stop.
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    ctx.term.out('');
    ctx.term.out(`Stopped. Every answer given so far is in ${shown}; run \`sdp practice ${shown}\` to go on.`);
    ctx.term.close?.();
  };
  ctx.term.onInterrupt?.(interrupt);
  if (ctx.signal.aborted) interrupt();
  else ctx.signal.addEventListener('abort', interrupt, { once: true });

  const rubric = await loadRubric(ctx.cwd, first.session.frontmatter.question);
  let followUpAsked = false;
  const skipped = new Set<string>();
  let shownStep: StepId | undefined;
  let ended = false;
  while (!ended && !interrupted) {
    const { session } = await load(doc, shown);
    const next = openSections(session, true).find((x) => !skipped.has(`${x.step.id}/${x.section}/${x.title}`));
    // After step 6 the interviewer follows up, as in a real interview: once, before the failures.
    if (!followUpAsked && rubric && (!next || next.step.number > 6)) {
      followUpAsked = true;
      const answered = await followUp(ctx, doc, shown, rubric.followUps);
      if (answered === undefined) ended = true;
      continue;
    }
    if (!next) break;
    const def = next.step;
    if (shownStep !== def.id) {
      shownStep = def.id;
      const derived = deriveHints(session);
      const started = session.frontmatter.started ? Date.parse(session.frontmatter.started) : NaN;
      ctx.term.out('');
      ctx.term.out(`== ${def.number}. ${def.title} · budget ${session.frontmatter.budget[def.id] ?? def.minutes} min · elapsed ${formatDuration(ctx.now().getTime() - started)} ==`);
      for (const line of stepBlockLines(session, question, def.id, derived[def.id])) ctx.term.out(line ? `  ${line}` : '');
      if (def.id === 'optimizations' && !(await offerTactics(ctx, doc, shown))) break;
    }
    const sectionDef = def.sections.find((s) => s.id === next.section);
    ctx.term.out('');
    ctx.term.out(
      next.section === 'workflow'
        ? `-- ${next.title[0].toUpperCase()}${next.title.slice(1)}: its name on the first line, then one \`A -> B: action\` per line`
        : `-- ${sectionDef!.title}: ${withExamples(sectionDef!.prompt, question)}`,
    );
    const read = await readAnswer(ctx);
    if (read.ended) ended = true;
    if (interrupted) break;
    const text = read.text;
    if (text === '') {
      skipped.add(`${def.id}/${next.section}/${next.title}`);
      continue;
    }
    const target: AnswerTarget = { step: def.id, section: next.section };
    let answer = text;
    if (next.section === 'workflow' && !/->|→/.test(text.split('\n')[0])) {
      target.name = text.split('\n')[0].trim();
      answer = text.split('\n').slice(1).join('\n');
    }
    await write(ctx, doc, target, answer);
  }
  ctx.term.close?.();
  if (interrupted) return 0;
  ctx.term.out('');
  return buildCommand(ctx, file, { out: opts.out, dir: opts.dir });
}

/** Lines up to a "." line; `ended` when the input ran out (Ctrl-D). */
async function readAnswer(ctx: CommandContext): Promise<{ text: string; ended: boolean }> {
  const lines: string[] = [];
  let ended = false;
  for (;;) {
    const line = await ctx.term.ask('> ');
    if (line === undefined) {
      ended = true;
      break;
    }
    if (line.trim() === END) break;
    lines.push(line);
  }
  return {
    text: lines
      .join('\n')
      .replace(/^\s*\n/, '')
      .replace(/\s+$/, ''),
    ended,
  };
}

/**
 * Writes one of the rubric's follow-ups into the session (unless one is there already), asks it
 * and writes the answer under it. Undefined when the input ran out.
 */
async function followUp(ctx: CommandContext, doc: SessionFile, shown: string, followUps: FollowUp[]): Promise<string | undefined> {
  let { session } = await load(doc, shown);
  if (!hasFollowUp(session)) {
    const asked = pickFollowUp(followUps, session);
    if (!asked) return '';
    await doc.update((source) => (hasFollowUp(parse(source, shown)) ? undefined : applyEdits(source, [followUpEdit(source, asked, 'after step 6')])));
    ({ session } = await load(doc, shown));
  }
  const present = session.followUps[0];
  if (!present || present.answer) return present?.answer ?? '';
  ctx.term.out('');
  ctx.term.out('== The interviewer follows up ==');
  ctx.term.out(`  ${present.ask}`);
  ctx.term.out('-- Your answer: what changes in your design, and why');
  const read = await readAnswer(ctx);
  if (read.text) {
    // Into a fresh read: the answer goes right under the follow-up's block, touching nothing else.
    await doc.update((source) => {
      const block = parse(source, shown).owned.find((b) => b.key === `followup/${present.id}`);
      if (!block) return undefined;
      const eol = source.includes('\r\n') ? '\r\n' : '\n';
      const at = block.span.end;
      const lead = source.slice(0, at).endsWith('\n') ? '' : eol;
      return applyEdits(source, [{ start: at, end: at, text: `${lead}${eol}${read.text.replace(/\n/g, eol)}${eol}` }]);
    });
  }
  return read.ended && !read.text ? undefined : read.text;
}

async function load(doc: SessionFile, shown: string): Promise<{ source: string; session: Session }> {
  const source = await doc.read();
  return { source, session: parse(source, shown) };
}

function parse(source: string, shown: string): Session {
  try {
    return parseSession(source);
  } catch (err) {
    if (err instanceof ContentError) throw err.inFile(shown);
    throw err;
  }
}

/**
 * Insert the answer into a fresh read of the file and record the time. Someone may be editing
 * the same file: the write happens only over the exact text the answer was placed in, else it
 * is worked out again on their save.
 */
async function write(ctx: CommandContext, doc: SessionFile, target: AnswerTarget, answer: string): Promise<void> {
  await doc.update((source) => {
    const session = parse(source, doc.shown);
    const timing = recordEdit(readTiming(session.frontmatter.raw), [target.step], ctx.now(), session.frontmatter.started);
    const withAnswer = applyEdits(source, [answerEdit(source, session, target, answer)]);
    // The answer lands in the body, so the frontmatter (and where it ends) is unchanged.
    const edit = timingEdit(withAnswer, session.bodyStart, timing);
    return edit ? applyEdits(withAnswer, [edit]) : withAnswer;
  });
}

/**
 * Step 6's menu: tactics that fit the candidate's own requirements, numbered; each pick writes a
 * `- Choice:` skeleton (Why and Trade-off to fill, the playbook's alternatives to weigh) into
 * the section it belongs to. False when the input ended.
 */
async function offerTactics(ctx: CommandContext, doc: SessionFile, shown: string): Promise<boolean> {
  // A menu on a terminal only: piped answers go to the sections, as they always have.
  if (!ctx.term.interactive) return true;
  const playbook = await loadPlaybook(ctx.cwd);
  const { session } = await load(doc, shown);
  const menu = menuFor(playbook, session);
  if (menu.length === 0) return true;
  ctx.term.out('');
  ctx.term.out('Tactics that fit your requirements (sdp tactics lists them all):');
  menu.forEach((m, i) => ctx.term.out(`  ${i + 1}. ${m.tactic.name} (${m.concern}, for "${m.requirement}"): ${m.tactic.explain} Costs: ${m.tactic.costs}`));
  const answer = await ctx.term.ask(`Numbers to add as choices to fill in (e.g. 1 3), Enter for none: `);
  if (answer === undefined) return false;
  const picks = [
    ...new Set(
      answer
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number),
    ),
  ].filter((n) => Number.isInteger(n) && n >= 1 && n <= menu.length);
  for (const n of picks) {
    const item = menu[n - 1];
    await write(ctx, doc, { step: 'optimizations', section: sectionFor(item.tactic) }, choiceSkeleton(item, playbook));
    ctx.term.out(`  added "${item.tactic.name}" to ${sectionFor(item.tactic)}: fill in its Why and Trade-off`);
  }
  return true;
}
