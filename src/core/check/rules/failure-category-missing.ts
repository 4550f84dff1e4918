import { CATEGORIES, DOWN, FAILURE_SECTIONS } from '../match.js';
import { defineRule } from '../rule.js';

const SMALL =
  '- Memory leak: alert on RSS growth, rolling restart\n- Cache stampede: request coalescing\n- Lost messages: outbox and idempotent consumers\n- Deadlock: take row locks in id order\n- Cascading failure: circuit breakers';
const LARGE =
  '- Payment provider down: queue charges and retry\n- Traffic spike: rate limits and load shedding\n- DDoS: WAF at the edge\n- Node down: health checks and failover\n- Region down: fail over to the second region\n- Bad deploy: canary and automatic rollback';

export default defineRule({
  id: 'failure-category-missing',
  severity: 'warning',
  step: 'failures',
  summary: 'a standard category of step 7 (memory leak … deployment failure) left out, when its section has entries',
  subject: `one of: ${CATEGORIES.map((c) => c.name).join(', ')}`,
  examples: {
    notOk: [{ 'failures/small-scale': SMALL, 'failures/large-scale': '- DDoS: WAF at the edge' }],
    ok: [{ 'failures/small-scale': SMALL, 'failures/large-scale': LARGE }],
  },
  check(ctx) {
    if (!ctx.present('failures')) return [];
    const lines = ctx.units.filter((l) => l.step === 'failures');
    const text = lines.map((l) => l.text).join('\n');
    const externals = ctx.session.components.filter((c) => c.type === 'external');
    // The failure catalogue's named categories when the playbook is loaded (a user's file may
    // reword one); the same list built in otherwise (tests/playbook.test.ts keeps them equal).
    const categories = ctx.playbook
      ? ctx.playbook.failures.filter((f) => f.required).map((f) => ({ name: f.name, section: f.section, pattern: new RegExp(f.signals.map((s) => s.source).join('|'), 'i') }))
      : CATEGORIES;
    return FAILURE_SECTIONS.filter((s) => lines.some((l) => l.section === s.id)).flatMap((s) =>
      categories
        .filter((c) => c.section === s.id)
        .filter((cat) => !cat.pattern.test(text))
        .filter((cat) => !(cat.name === 'third-party API down' && lines.some((l) => DOWN.test(l.text) && externals.some((c) => ctx.mentionsLoosely(l.text, c)))))
        .map((cat) =>
          ctx.report({
            line: ctx.stepLine('failures', s.id),
            subject: cat.name,
            message: `${s.title} does not cover ${cat.name}`,
            hint: `add \`- ${cat.name}: <how you detect it and how you mitigate it>\``,
          }),
        ),
    );
  },
  hint: { step: 'failures', text: (f) => `not yet covered: ${f.subject}`, last: true },
});
