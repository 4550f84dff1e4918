import { componentKey } from '../../parse/components.js';
import { BOOK as FLOW, LISTED } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

export default defineRule({
  id: 'component-duplicate',
  severity: 'warning',
  step: 'workflows',
  summary: 'one component spelled two ways (case, spacing, dashes, "the", "Svc", plural)',
  subject: 'both spellings, `A / B`',
  examples: {
    notOk: [{ workflows: `${FLOW}\n- Booking Svc -> Mailer: send email`, 'workflows/components': LISTED }],
    ok: [{ workflows: FLOW, 'workflows/components': LISTED }],
  },
  check(ctx) {
    const spellings = new Map<string, { name: string; line: number }[]>();
    const add = (name: string, line: number) => {
      const key = componentKey(name).replace(/(?<=..)(es|s)$/, '');
      const list = spellings.get(key) ?? [];
      if (!list.some((s) => s.name === name.trim())) list.push({ name: name.trim(), line });
      spellings.set(key, list);
    };
    for (const c of ctx.session.components) if (c.line !== undefined) add(c.name, c.line);
    for (const e of ctx.edges) {
      add(e.from, e.line);
      add(e.to, e.line);
    }
    return [...spellings.values()]
      .filter((list) => list.length > 1)
      .map(([a, b, ...rest]) =>
        ctx.report({
          line: b.line,
          subject: `${a.name} / ${b.name}`,
          message: `"${b.name}" and "${a.name}" look like one component spelled two ways`,
          hint: `use one name everywhere: ${a.name}`,
          evidence: { spellings: [a, b, ...rest].map((s) => s.name) },
        }),
      );
  },
  hint: { step: 'architecture', text: (f, session) => `${f.subject}: one component or two? (from ${introducedIn(session, f.subject.split(' / ')[1] ?? f.subject)})` },
});
