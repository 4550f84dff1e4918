import { STEPS } from '../../method.js';
import { readTiming } from '../../derive/timing.js';
import { defineRule } from '../rule.js';

const TIMING = (seconds: number) =>
  `budget:\n  requirements: 5\ntiming:\n  steps:\n    requirements: { first_edit: "2026-11-20T09:02:00.000Z", last_edit: "2026-11-20T09:09:00.000Z", active_seconds: ${seconds} }`;

export default defineRule({
  id: 'step-over-budget',
  severity: 'warning',
  step: { varies: 'the step over its budget' },
  summary: 'a step whose active time (from `sdp watch` or `sdp practice`) exceeds its budget',
  subject: 'the step, `N. Title`',
  examples: {
    notOk: [{ frontmatter: TIMING(420), 'requirements/functional': '- Guests can book a stay' }],
    ok: [{ frontmatter: TIMING(240), 'requirements/functional': '- Guests can book a stay' }],
  },
  check(ctx) {
    const timing = readTiming(ctx.session.frontmatter.raw);
    return STEPS.flatMap((def) => {
      const active = timing.steps[def.id]?.active;
      const budget = ctx.session.frontmatter.budget[def.id];
      if (active === undefined || budget === undefined || active <= budget * 60) return [];
      const over = Math.round(active / 60 - budget);
      return [
        ctx.report({
          step: def.id,
          line: ctx.stepLine(def.id),
          subject: `${def.number}. ${def.title}`,
          message: `step ${def.number} (${def.title}) took ${Math.round(active / 60)} min against a budget of ${budget}`,
          hint: `next time, move on after ${budget} min and come back if time is left (over by ${over} min)`,
          evidence: { activeSeconds: active, budgetMinutes: budget },
        }),
      ];
    });
  },
});
