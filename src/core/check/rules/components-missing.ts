import { BOOK as FLOW, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'components-missing',
  severity: 'warning',
  step: 'workflows',
  summary: 'workflows with no Components list',
  subject: '`Components`',
  examples: {
    notOk: [{ workflows: FLOW }],
    ok: [{ workflows: FLOW, 'workflows/components': LISTED }],
  },
  check(ctx) {
    if (ctx.edges.length === 0 || ctx.session.components.some((c) => c.line !== undefined)) return [];
    return [
      ctx.report({
        line: ctx.stepLine('workflows', 'components'),
        subject: 'Components',
        message: 'the workflows name components but the Components section lists none',
        hint: 'list each component as `- Name [type]: responsibility`',
      }),
    ];
  },
});
