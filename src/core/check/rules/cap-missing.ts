import { isDataStore } from '../../parse/components.js';
import { REPLICATED, STANCE, affirms, claims } from '../match.js';
import { BOOK_DB as FLOW, LISTED_DB as LISTED } from '../examples.js';
import { defineRule } from '../rule.js';

const REPLICA = '- Choice: Booking DB with a synchronous replica';

export default defineRule({
  id: 'cap-missing',
  severity: 'warning',
  step: 'optimizations',
  summary: 'a replicated data store with no consistency stance naming it',
  subject: "the store's name",
  examples: {
    notOk: [{ workflows: FLOW, 'workflows/components': LISTED, 'optimizations/resilience': REPLICA }],
    ok: [
      { workflows: FLOW, 'workflows/components': LISTED, 'optimizations/resilience': REPLICA, 'optimizations/cap': '- Choice: CP for bookings' },
      { workflows: FLOW, 'workflows/components': LISTED, 'optimizations/resilience': '- Booking DB has no replica yet' },
    ],
  },
  check(ctx) {
    const replicated = ctx.sentences.filter((l) => claims(l) && affirms(REPLICATED, l.text));
    const stances = ctx.units.filter((l) => l.step !== 'requirements' && STANCE.test(l.text));
    return ctx.session.components
      .filter((c) => isDataStore(c.type) && c.type !== 'queue')
      .filter((c) => replicated.some((l) => ctx.credited(l.text, REPLICATED, c)))
      .filter((c) => !stances.some((l) => ctx.mentionsLoosely(l.text, c)))
      .map((c) =>
        ctx.report({
          line: ctx.stepLine('optimizations', 'cap'),
          subject: c.name,
          message: `${c.name} is replicated but no consistency stance (CP or AP, strong or eventual) names it`,
          hint: `say in step 6 CAP and consistency what ${c.name} gives up under a partition, and why the product can live with it`,
        }),
      );
  },
  hint: { step: 'optimizations', text: (f) => `CP or AP for ${f.subject}? It is replicated (from your answers)` },
});
