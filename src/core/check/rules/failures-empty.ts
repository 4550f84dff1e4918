import { CATEGORIES, FAILURE_SECTIONS } from '../match.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'failures-empty',
  severity: 'warning',
  step: 'failures',
  summary: 'a section of step 7 (Small-scale failures, Large-scale failures) with no entries',
  subject: "the section's title",
  examples: {
    notOk: [{ 'failures/small-scale': '- Memory leak: alert on RSS growth, rolling restart' }],
    ok: [{ 'failures/small-scale': '- Memory leak: alert on RSS growth, rolling restart', 'failures/large-scale': '- Node down: the load balancer drops it after two failed health checks' }],
  },
  check(ctx) {
    if (!ctx.present('failures')) return [];
    return FAILURE_SECTIONS.filter((s) => !ctx.units.some((l) => l.step === 'failures' && l.section === s.id)).map((s) =>
      ctx.report({
        line: ctx.stepLine('failures', s.id),
        subject: s.title,
        message: `${s.title} has no entries`,
        hint: `one line per case: \`- <failure>: <detection and mitigation>\` (${CATEGORIES.filter((c) => c.section === s.id)
          .map((c) => c.name)
          .join(', ')})`,
      }),
    );
  },
});
