import { UsageError } from '../core/errors.js';
import { STEPS } from '../core/method.js';
import { resolveQuestion } from '../core/parse/questions.js';
import { renderSample } from '../core/write/samples.js';
import { loadBank, loadSample } from '../io/bank.js';
import type { CommandContext } from './context.js';

export async function sampleCommand(ctx: CommandContext, input: string, opts: { step?: number | string }): Promise<number> {
  const step = opts.step === undefined ? undefined : Number(opts.step);
  if (step !== undefined && !(Number.isInteger(step) && step >= 1 && step <= STEPS.length)) {
    throw new UsageError(`--step must be a step number from 1 to ${STEPS.length}, not "${String(opts.step)}"`);
  }
  const found = resolveQuestion(await loadBank(ctx.cwd, ctx.questionsDir), String(input));
  if (!found.question) throw new UsageError(`unknown question "${String(input).slice(0, 60)}"`, 'sdp list shows the presets');
  const sample = await loadSample(ctx.cwd, found.question.id);
  if (!sample) throw new UsageError(`${found.question.id} has no sample answers`);
  const text = renderSample(sample, step);
  if (text.trim() === '') throw new UsageError(`the ${found.question.id} sample has no answer for step ${step}`, 'samples cover steps 1-6');
  ctx.term.out(`# Sample answers: ${found.question.title}\n`);
  ctx.term.out(text.replace(/\n$/, ''));
  return 0;
}
