import { MANAGED_STORAGE, REDUNDANCY, affirms, claims } from '../match.js';
import { BOOK_DB as FLOW, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

const SPOF_TYPES = new Set(['database', 'cache', 'queue', 'storage', 'load-balancer', 'gateway']);

export default defineRule({
  id: 'spof',
  severity: 'warning',
  step: 'optimizations',
  summary: 'a database, cache, queue, storage, load balancer or gateway with no replica, failover or cluster mentioned next to its name',
  subject: "the component's name",
  examples: {
    notOk: [
      { workflows: FLOW, 'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres` },
      { workflows: FLOW, 'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres`, 'optimizations/resilience': '- Booking DB has no replica yet' },
      // The replica in the sentence is the database's, named next to it, not the cache's.
      {
        workflows: `${FLOW}\n- Booking Service -> Booking Cache: read`,
        'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres, with a standby\n- Booking Cache [cache]: bookings by id`,
        'optimizations/resilience': '- On Booking Cache misses, reads go to a Booking DB replica.',
      },
    ],
    ok: [
      { workflows: FLOW, 'workflows/components': `${LISTED}\n- Booking DB [database]: bookings, Postgres with a standby replica` },
      {
        workflows: FLOW,
        'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres`,
        'optimizations/resilience': '- Booking DB runs with two replicas across AZs; failover in 30 s',
      },
      // "one replica" is a replica; names listed together share what follows them.
      { workflows: FLOW, 'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres with one replica per shard` },
      {
        workflows: `${FLOW}\n- Booking Service -> Booking Cache: read`,
        'workflows/components': `${LISTED}\n- Booking DB [database]: bookings in Postgres\n- Booking Cache [cache]: bookings by id`,
        'optimizations/resilience': '- Booking DB and Booking Cache both run with a hot standby in another AZ.',
      },
    ],
  },
  check(ctx) {
    const redundant = ctx.sentences.filter((l) => claims(l) && affirms(REDUNDANCY, l.text));
    return ctx.session.components
      .filter((c) => SPOF_TYPES.has(c.type))
      .filter((c) => !(c.type === 'storage' && MANAGED_STORAGE.test(`${c.name} ${c.responsibility}`)))
      .filter((c) => !affirms(REDUNDANCY, c.responsibility))
      .filter((c) => !redundant.some((l) => ctx.credited(l.text, REDUNDANCY, c, true)))
      .map((c) =>
        ctx.report({
          line: c.line ?? ctx.firstUse(c),
          subject: c.name,
          message: `${c.name} (${c.type}) is a single point of failure: no replica, failover or redundancy is mentioned for it`,
          hint: `say how ${c.name} survives losing a node (replicas, failover, a cluster) in step 6 Resilience`,
        }),
      );
  },
  hint: { step: 'optimizations', text: (f, session) => `${f.subject} looks like a single point of failure: replicas? failover? (from ${introducedIn(session, f.subject)})` },
});
