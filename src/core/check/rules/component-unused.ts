import { componentKey } from '../../parse/components.js';
import { BOOK as FLOW, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'component-unused',
  severity: 'warning',
  step: 'workflows',
  summary: 'a listed component in no workflow or wiring edge',
  subject: "the component's name",
  examples: {
    notOk: [{ workflows: FLOW, 'workflows/components': `${LISTED}\n- Search Service: finds listings` }],
    ok: [
      { workflows: FLOW, 'workflows/components': LISTED },
      { workflows: FLOW, 'workflows/components': `${LISTED}\n- Search Service: finds listings`, 'architecture/wiring': '- API Gateway -> Search Service: GET /search' },
    ],
  },
  check: (ctx) =>
    ctx.session.components
      .filter((c) => c.line !== undefined && !ctx.used.has(componentKey(c.name)))
      .map((c) =>
        ctx.report({ line: c.line!, subject: c.name, message: `${c.name} is listed but takes part in no workflow or wiring edge`, hint: 'add the steps that use it, wire it in step 5, or drop it' }),
      ),
  hint: { step: 'architecture', text: (f) => `${f.subject}: nothing connects it yet (from step 4)` },
});
