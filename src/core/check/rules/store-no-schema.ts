import { isDataStore } from '../../parse/components.js';
import type { Component } from '../../session.js';
import { normalizeName } from '../../text.js';
import type { CheckContext } from '../context.js';
import { BOOK, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

const BASE = { workflows: `${BOOK}\n- Booking Service -> Cache: set hold\n- Booking Service -> Events: publish booked`, 'workflows/components': `${LISTED}\n- Cache [cache]\n- Events [queue]` };

function sameThing(ctx: CheckContext, entity: string, c: Component): boolean {
  const e = normalizeName(entity);
  const name = normalizeName(c.name);
  if (e === name || e.includes(name) || name.includes(e)) return true;
  return ctx.aliases(c).exact.some((a) => e.includes(a));
}

export default defineRule({
  id: 'store-no-schema',
  severity: 'error',
  step: 'architecture',
  summary: 'a database, cache, queue or storage with no schema and no description',
  subject: "the store's name",
  examples: {
    notOk: [{ ...BASE, 'architecture/data-model': '- Events: bookingId uuid, type text' }],
    ok: [{ ...BASE, 'architecture/data-model': '- Events: bookingId uuid, type text\n- Cache: hold:{listingId} → guestId, TTL 10 min' }],
  },
  check: (ctx) =>
    ctx.session.components
      .filter((c) => isDataStore(c.type) && c.responsibility.trim() === '')
      .filter((c) => !ctx.session.dataModel.some((e) => sameThing(ctx, e.name, c)))
      .filter((c) => !ctx.lines.some((l) => l.section === 'data-model' && ctx.mentions(l.text, c)))
      .map((c) =>
        ctx.report({
          line: c.line ?? ctx.stepLine('architecture', 'data-model'),
          subject: c.name,
          message: `${c.name} (${c.type}) has no schema and no description of what it holds`,
          hint: `add its schema under step 5 Data model, e.g. \`${c.name}: key type, field type\``,
        }),
      ),
  hint: { step: 'architecture', text: (f, session) => `${f.subject} has no schema yet (from ${introducedIn(session, f.subject)})` },
});
