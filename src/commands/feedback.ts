// sdp feedback <session> [answer.md | -]: the grader's answer imported. The answer is kept
// beside the report (reports/<stem>.grade.md, replaced on re-import) and its scores and weak
// spots go into the session's frontmatter (`grade:`), so they travel with the session in git
// and later attempts are compared against them.
import path from 'node:path';
import { STEPS } from '../core/method.js';
import { frontmatterKeyEdit } from '../core/parse/blocks.js';
import { parseGrade } from '../core/parse/grade.js';
import { ContentError, UsageError } from '../core/errors.js';
import { formatMessage } from '../core/messages.js';
import { renderStoredGrade, storedGradeOf } from '../core/derive/history.js';
import { applyEdits, onlyOwnedChanged } from '../core/write/edit.js';
import { parseSession } from '../core/parse/parse.js';
import { readText } from '../io/files.js';
import { checkSessionWritable, openSessionFile, writeOwned } from '../io/safe-write.js';
import { loadSession, sessionProject } from '../io/sessions.js';
import type { CommandContext } from './context.js';

export interface FeedbackOptions {
  out: string;
}

export async function feedbackCommand(ctx: CommandContext, given: string | undefined, answer: string | undefined, opts: FeedbackOptions): Promise<number> {
  if (given === undefined) throw new UsageError('name the session the grade is for', 'sdp feedback sessions/<session>.md answer.md (or - to paste it on standard input)');
  const file = path.resolve(ctx.cwd, String(given));
  const loaded = await loadSession(ctx.cwd, file);
  const { text, shown: answerShown } = await readAnswer(ctx, answer);
  const { grade, problems } = parseGrade(text);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ContentError(errors).inFile(answerShown);

  const stem = path.basename(file).replace(/\.md$/i, '');
  const outDir = path.resolve(ctx.cwd, opts.out);
  const target = path.join(outDir, `${stem}.grade.md`);
  const stored = storedGradeOf(grade, ctx.now().toISOString());

  await writeOwned(target, text.endsWith('\n') ? text : `${text}\n`, outDir);
  // The session may change meanwhile (an editor, watch): the grade block is spliced into a
  // fresh read and written by the protocol that never replaces a save (safe-write.ts), only if
  // nothing but the grade block changes.
  const within = sessionProject(ctx.cwd, file);
  await checkSessionWritable(file, within);
  const doc = openSessionFile(file, { shown: loaded.shown, within, onWarning: (m) => ctx.term.err(`sdp: warning: ${m}`) });
  try {
    await doc.update((source) => {
      const session = loaded.source === source ? loaded.session : parseSession(source);
      const eol = source.includes('\r\n') ? '\r\n' : '\n';
      const edit = frontmatterKeyEdit(source, session.bodyStart, 'grade', renderStoredGrade(stored, eol));
      const next = edit ? applyEdits(source, [edit]) : source;
      if (!onlyOwnedChanged(source, next)) throw new Error('the grade splice would change text outside the grade block');
      return next === source ? undefined : next;
    });
  } finally {
    await doc.close();
  }

  for (const p of problems) ctx.term.err(formatMessage(answerShown, p));
  const steps = STEPS.map((d) => `${d.number}:${grade.steps[d.id]?.score ?? '–'}`).join(' ');
  const overall = grade.overall?.score ? `${grade.overall.score}/5` : 'no overall score';
  const hire = grade.overall?.hire ? ` (${grade.overall.hire})` : '';
  ctx.term.out(`Imported the grade for ${loaded.shown}: ${overall}${hire}; steps ${steps}`);
  const weak = stored.findings.length;
  ctx.term.out(`  ${weak} weak spot${weak === 1 ? '' : 's'} kept for your next attempt; the answer is in ${path.relative(ctx.cwd, target) || target}`);
  if (problems.length) ctx.term.out(`  ${problems.length} part${problems.length === 1 ? '' : 's'} of the answer could not be read (listed above); the rest was imported.`);
  return 0;
}

async function readAnswer(ctx: CommandContext, answer: string | undefined): Promise<{ text: string; shown: string }> {
  if (answer !== undefined && String(answer) !== '-') {
    const file = path.resolve(ctx.cwd, String(answer));
    return { text: await readText(file), shown: path.relative(ctx.cwd, file) || file };
  }
  if (answer === undefined && ctx.term.interactive) {
    ctx.term.out("Paste the grader's answer, then Ctrl-D on a line of its own:");
  }
  const lines: string[] = [];
  for (let line = await ctx.term.ask(''); line !== undefined; line = await ctx.term.ask('')) lines.push(line);
  if (lines.join('').trim() === '') throw new UsageError('the answer is empty', "paste the grader's whole answer, or pass the file it is in");
  return { text: lines.join('\n'), shown: '<stdin>' };
}
