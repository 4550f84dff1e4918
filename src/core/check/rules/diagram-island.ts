import { componentKey } from '../../parse/components.js';
import { BOOK_DB as FLOW } from '../examples.js';
import { defineRule } from '../rule.js';
import { introducedIn } from '../../derive/prompt.js';

/** The component graph's connected groups, each a list of component keys. */
function groupsOf(edges: { from: string; to: string }[]): string[][] {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    neighbours.get(a)!.add(b);
  };
  for (const e of edges) {
    link(componentKey(e.from), componentKey(e.to));
    link(componentKey(e.to), componentKey(e.from));
  }
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const start of neighbours.keys()) {
    if (seen.has(start)) continue;
    const group: string[] = [];
    const todo = [start];
    seen.add(start);
    while (todo.length) {
      const k = todo.pop()!;
      group.push(k);
      for (const n of neighbours.get(k) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n));
    }
    groups.push(group);
  }
  return groups;
}

export default defineRule({
  id: 'diagram-island',
  severity: 'warning',
  step: 'architecture',
  summary: 'components not connected to the rest of the design',
  subject: "the group's component names, comma separated",
  examples: {
    notOk: [{ workflows: `${FLOW}\n### Workflow: Report\n- Cron -> Reporter: nightly\n- Reporter -> Warehouse [database]: load` }],
    ok: [{ workflows: `${FLOW}\n### Workflow: Report\n- Cron -> Reporter: nightly\n- Reporter -> Booking DB: read bookings` }],
  },
  check(ctx) {
    const groups = groupsOf(ctx.edges);
    if (groups.length < 2) return [];
    const largest = groups.reduce((a, b) => (b.length > a.length ? b : a));
    return groups
      .filter((g) => g !== largest)
      .map((g) => {
        const names = g.map((k) => ctx.component(k, true)?.name ?? k);
        const edge = ctx.edges.find((e) => g.includes(componentKey(e.from)))!;
        return ctx.report({
          line: edge.line,
          subject: names.join(', '),
          message: `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not connected to the rest of the design`,
          hint: 'wire them to the components that call them or read from them (step 5, Wiring)',
        });
      });
  },
  hint: { step: 'architecture', text: (f, session) => `${f.subject}: nothing connects them to the rest yet (from ${introducedIn(session, f.subject.split(', ')[0])})` },
});
