import { componentKey } from '../../parse/components.js';
import { BOOK as FLOW, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'component-undeclared',
  severity: 'warning',
  step: 'workflows',
  summary: 'a component in a workflow or wiring edge that the Components list lacks (only when the list is not empty)',
  subject: "the component's name",
  examples: {
    notOk: [{ workflows: `${FLOW}\n- Booking Service -> Mailer: send confirmation`, 'workflows/components': LISTED }],
    ok: [{ workflows: FLOW, 'workflows/components': LISTED }],
  },
  check(ctx) {
    if (ctx.edges.length === 0 || !ctx.session.components.some((c) => c.line !== undefined)) return [];
    return ctx.session.components
      .filter((c) => c.line === undefined)
      .map((c) => {
        const edge = ctx.edges.find((e) => componentKey(e.from) === componentKey(c.name) || componentKey(e.to) === componentKey(c.name))!;
        return ctx.report({
          line: edge.line,
          subject: c.name,
          message: `${c.name} ${ctx.session.workflows.some((w) => w.edges.includes(edge)) ? 'takes part in a workflow' : 'is wired in step 5'} but is not in the Components list (its type is guessed as ${c.type})`,
          hint: `add \`- ${c.name} [${c.type}]: what it does\` to Components`,
        });
      });
  },
});
