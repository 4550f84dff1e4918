import type { StepId } from '../../method.js';
import { tacticNamed } from '../../derive/options.js';
import { clip } from '../match.js';
import { defineRule } from '../rule.js';

const LABEL = { why: 'Why', alternatives: 'Alternatives', 'trade-off': 'Trade-off' } as Record<string, string>;

export default defineRule({
  id: 'choice-incomplete',
  severity: 'warning',
  step: { varies: 'the step the choice is written in' },
  summary: 'a `Choice:` without a why, an alternative or a trade-off',
  subject: "the choice's text",
  examples: {
    notOk: [{ 'architecture/choices': '- Choice: Postgres for bookings\n  - Why: transactions' }],
    ok: [{ 'architecture/choices': '- Choice: Kafka for booking events\n  - Why: replay\n  - Alternatives: SQS\n  - Trade-off: more to operate' }],
  },
  check: (ctx) =>
    ctx.session.choices.flatMap((c) => {
      const missing = [!c.why && 'why', !c.alternatives && 'alternatives', !c.tradeoff && 'trade-off'].filter(Boolean) as string[];
      if (missing.length === 0) return [];
      // For a choice with no alternative, what the playbook weighs against the tactic it names.
      const tactic = ctx.playbook && missing.includes('alternatives') ? tacticNamed(ctx.playbook, c.text) : undefined;
      const against = tactic ? tactic.alternatives.map((id) => ctx.playbook!.tactics.find((t) => t.id === id)!.name) : [];
      const weigh = against.length ? ` (${tactic!.name} is usually weighed against: ${against.join('; ')})` : '';
      return [
        ctx.report({
          step: c.where.split('/')[0] as StepId,
          line: c.line,
          subject: c.text,
          message: `choice "${clip(c.text)}" has no ${missing.join(', no ')}`,
          hint: `add ${missing.map((m) => `\`- ${LABEL[m]}: …\``).join(', ')} under it${weigh}`,
          evidence: { missing, ...(against.length ? { alternatives: against } : {}) },
        }),
      ];
    }),
});
