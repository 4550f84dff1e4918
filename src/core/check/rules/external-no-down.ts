import { DOWN } from '../match.js';
import { BOOK, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

const BASE = { workflows: `${BOOK}\n- Booking Service -> Stripe: charge`, 'workflows/components': `${LISTED}\n- Stripe [external]: payments` };

export default defineRule({
  id: 'external-no-down',
  severity: 'warning',
  step: 'failures',
  summary: 'an external component whose outage step 7 does not cover',
  subject: "the component's name",
  examples: {
    notOk: [{ ...BASE, 'failures/large-scale': '- Node down: failover' }],
    ok: [{ ...BASE, 'failures/large-scale': '- Stripe down: queue charges and retry with backoff' }],
  },
  check(ctx) {
    if (!ctx.present('failures')) return [];
    const lines = ctx.units.filter((l) => l.step === 'failures' && DOWN.test(l.text));
    return ctx.session.components
      .filter((c) => c.type === 'external')
      .filter((c) => !lines.some((l) => ctx.mentionsLoosely(l.text, c)))
      .map((c) =>
        ctx.report({
          line: c.line ?? ctx.firstUse(c),
          subject: c.name,
          message: `nothing says what happens when ${c.name} is down`,
          hint: `add \`- ${c.name} down: <detection, fallback, what the user sees>\` to step 7`,
        }),
      );
  },
  hint: { step: 'failures', text: (f, session) => `what happens when ${f.subject} is down? (from ${introducedIn(session, f.subject)})` },
});
