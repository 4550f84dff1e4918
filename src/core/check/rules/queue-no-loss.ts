import { BOOK, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

const LOSS = /los[st]|drop|duplicate|exactly[- ]once|at[- ]least[- ]once|idempoten|outbox|\bdlq\b|dead[- ]letter|redeliver|replay|offset|\back/i;
const BASE = { workflows: `${BOOK}\n- Booking Service -> Events: publish booked`, 'workflows/components': `${LISTED}\n- Events [queue]: Kafka topic of booking events` };

export default defineRule({
  id: 'queue-no-loss',
  severity: 'warning',
  step: 'failures',
  summary: 'a queue with no message-loss or duplicates entry',
  subject: "the queue's name",
  examples: {
    notOk: [{ ...BASE, 'failures/large-scale': '- Node down: failover' }],
    ok: [{ ...BASE, 'failures/small-scale': '- Kafka message loss: acks=all and idempotent consumers' }],
  },
  check(ctx) {
    if (!ctx.present('failures')) return [];
    const queues = ctx.session.components.filter((c) => c.type === 'queue');
    const lines = ctx.units.filter((l) => l.step === 'failures' && LOSS.test(l.text));
    return queues
      .filter((q) => !lines.some((l) => ctx.mentions(l.text, q) || (queues.length === 1 && /message|event|queue|topic|stream/i.test(l.text))))
      .map((q) =>
        ctx.report({
          line: q.line ?? ctx.firstUse(q),
          subject: q.name,
          message: `nothing covers lost or duplicated messages on ${q.name}`,
          hint: `add \`- Message loss on ${q.name}: <acks, retries, idempotent consumers, a dead-letter queue>\``,
        }),
      );
  },
  hint: { step: 'failures', text: (f, session) => `${f.subject}: lost and duplicated messages? (from ${introducedIn(session, f.subject)})` },
});
