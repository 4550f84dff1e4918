// sdp next: which question, and which step of it, to practise next, with the reason.
import { recommend } from '../core/derive/history.js';
import { STEPS } from '../core/method.js';
import { loadBank } from '../io/bank.js';
import { readLog } from '../io/history.js';
import type { CommandContext } from './context.js';

export async function nextCommand(ctx: CommandContext, opts: { dir: string; json?: boolean }): Promise<number> {
  const [bank, log] = await Promise.all([loadBank(ctx.cwd, ctx.questionsDir), readLog(ctx.cwd, opts.dir)]);
  const ranked = recommend(log.attempts, bank, ctx.now());
  if (opts.json) {
    ctx.term.out(JSON.stringify({ schema: 'sdp-next/1', next: ranked }, null, 2));
    return 0;
  }
  const [best, ...rest] = ranked;
  if (!best) {
    ctx.term.out('No questions to practise: add presets, or run `sdp list`.');
    return 0;
  }
  const step = best.step ? STEPS.find((d) => d.id === best.step)! : undefined;
  ctx.term.out(`Next: ${best.question}${step ? `, step ${step.number} (${step.title})` : ''}: ${best.reason}.`);
  ctx.term.out(`  sdp new ${best.question}${step && step.number > 1 ? ` --start-step ${step.number}` : ''}`);
  if (rest.length) {
    ctx.term.out('Then:');
    for (const r of rest.slice(0, 3)) ctx.term.out(`  ${r.question}: ${r.reason}`);
  }
  return 0;
}
