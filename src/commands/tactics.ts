// sdp tactics [concern | category] [--failures] [--json]: the playbook, grouped, for reading
// before or after a session.
import { UsageError } from '../core/errors.js';
import { tacticsFor } from '../core/derive/options.js';
import { CATEGORIES, CONCERNS, type Category, type Concern, type Tactic } from '../core/parse/playbook.js';
import { loadPlaybook } from '../io/bank.js';
import type { CommandContext } from './context.js';

const TITLES: Record<Category, string> = {
  scalability: 'Scalability',
  consistency: 'Consistency',
  efficiency: 'Efficiency',
  reliability: 'Reliability',
  experience: 'User experience',
  security: 'Security',
  operability: 'Operability',
};

export async function tacticsCommand(ctx: CommandContext, filter: string | undefined, opts: { json?: boolean; failures?: boolean }): Promise<number> {
  const playbook = await loadPlaybook(ctx.cwd);
  const wanted = filter === undefined ? undefined : String(filter).toLowerCase();
  if (wanted !== undefined && !CONCERNS.includes(wanted as Concern) && !CATEGORIES.includes(wanted as Category)) {
    throw new UsageError(`"${String(filter)}" is neither a concern nor a category`, `concerns: ${CONCERNS.join(', ')}; categories: ${CATEGORIES.join(', ')}`);
  }
  if (opts.failures) {
    const failures = playbook.failures;
    if (opts.json) {
      ctx.term.out(JSON.stringify({ schema: 'sdp-failures/1', failures: failures.map(({ signals, file, line, ...f }) => ({ ...f, signals: signals.map((s) => s.source) })) }, null, 2));
      return 0;
    }
    for (const section of ['small-scale', 'large-scale'] as const) {
      ctx.term.out(section === 'small-scale' ? 'Small-scale failures' : 'Large-scale failures');
      for (const f of failures.filter((x) => x.section === section)) {
        ctx.term.out(`  ${f.name}${f.required ? ' (the method asks for it)' : `  (when the design has: ${f.when.join(', ')})`}`);
        ctx.term.out(`      detect: ${f.detect}`);
        ctx.term.out(`      mitigate: ${f.mitigate.join('; ')}`);
      }
    }
    return 0;
  }
  const chosen: Tactic[] = wanted && CONCERNS.includes(wanted as Concern) ? tacticsFor(playbook, wanted as Concern) : playbook.tactics.filter((t) => !wanted || t.category === wanted);
  if (opts.json) {
    ctx.term.out(JSON.stringify({ schema: 'sdp-tactics/1', tactics: chosen.map(({ signals, file, line, ...t }) => ({ ...t, signals: signals.map((s) => s.source) })) }, null, 2));
    return 0;
  }
  const show = (t: Tactic) => {
    ctx.term.out(`  ${t.name}: ${t.explain}`);
    ctx.term.out(`      serves ${t.serves.join(', ')} · costs: ${t.costs}`);
    if (t.alternatives.length) ctx.term.out(`      weigh against: ${t.alternatives.map((a) => playbook.tactics.find((x) => x.id === a)!.name).join('; ')}`);
  };
  if (wanted && CONCERNS.includes(wanted as Concern)) {
    ctx.term.out(`Tactics for ${wanted}, the most direct first:`);
    chosen.forEach(show);
    return 0;
  }
  for (const category of CATEGORIES) {
    const group = chosen.filter((t) => t.category === category);
    if (group.length === 0) continue;
    ctx.term.out(TITLES[category]);
    group.forEach(show);
  }
  ctx.term.out(`${chosen.length} tactics. \`sdp tactics <concern>\` ranks them for one of: ${CONCERNS.join(', ')}; \`--failures\` lists the failure catalogue.`);
  return 0;
}
