import { BOOK, LISTED_DB as COMPONENTS } from '../examples.js';
import { defineRule } from '../rule.js';

const ENTRY_TYPES = new Set(['client', 'gateway', 'load-balancer', 'cdn', 'external']);

export default defineRule({
  id: 'workflow-entry',
  severity: 'warning',
  step: 'workflows',
  summary: 'a workflow that does not start at a client, gateway, load balancer, CDN or external caller',
  subject: "the workflow's name",
  examples: {
    notOk: [{ workflows: '### Workflow: Sync\n- Booking Service -> Booking DB: sync', 'workflows/components': COMPONENTS }],
    ok: [
      { workflows: BOOK, 'workflows/components': COMPONENTS },
      { workflows: '### Workflow: Nightly\n- Cron -> Booking Service: expire holds', 'workflows/components': COMPONENTS },
    ],
  },
  check: (ctx) =>
    ctx.session.workflows.flatMap((w) => {
      const first = w.edges[0];
      if (!first) return [];
      const c = ctx.component(first.from);
      if (!c || ENTRY_TYPES.has(c.type) || /cron|schedul|timer|trigger|webhook/i.test(c.name)) return [];
      return [
        ctx.report({
          line: first.line,
          subject: w.name,
          message: `workflow "${w.name}" starts at ${c.name} (${c.type}), not at a client or entry point`,
          hint: 'start the workflow where the request enters: the client, gateway or load balancer',
        }),
      ];
    }),
  hint: { step: 'workflows', text: (f) => f.text },
});
