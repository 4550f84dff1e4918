import { loadBank } from '../io/bank.js';
import type { CommandContext } from './context.js';

export async function listCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const bank = await loadBank(ctx.cwd, ctx.questionsDir);
  if (opts.json) {
    ctx.term.out(
      JSON.stringify(
        bank.map(({ id, title, aliases }) => ({ id, title, aliases })),
        null,
        2,
      ),
    );
    return 0;
  }
  const width = Math.max(...bank.map((q) => q.id.length));
  for (const q of bank) {
    const aliases = q.aliases.length ? `  (${q.aliases.join(', ')})` : '';
    ctx.term.out(`${q.id.padEnd(width)}  ${q.title}${aliases}`);
  }
  return 0;
}
