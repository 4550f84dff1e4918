import { offerFor } from '../../derive/options.js';
import { quote } from '../../derive/prompt.js';
import { NFR_FAMILIES, claims, clip, unbullet } from '../match.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'nfr-unaddressed',
  severity: 'warning',
  step: 'optimizations',
  summary: 'a latency, availability, consistency, scale, durability or security requirement nothing in step 6 (or the step 5 choices) addresses',
  subject: "the requirement's text",
  examples: {
    notOk: [
      { 'requirements/non-functional': '- Search returns in under 200 ms at p99' },
      { 'requirements/non-functional': '- Never double-book a night', 'optimizations/resilience': '- Alternatives: row locks (rejected)' },
    ],
    ok: [{ 'requirements/non-functional': '- Search returns in under 200 ms at p99', 'optimizations/efficiency': '- Cache search results for popular cities in Redis' }],
  },
  check(ctx) {
    // What the design does, not what it turned down or what it costs.
    const remedies = ctx.lines
      .filter((l) => l.step === 'optimizations' || (l.step === 'architecture' && l.section === 'choices'))
      .filter((l) => claims(l) && !/^[\s>*+\-\d.)]*\**\s*trade-?offs?\b/i.test(l.text))
      .map((l) => l.text)
      .join('\n');
    const answer = ctx.playbook ? ctx.lines.map((l) => l.text).join('\n') : '';
    return ctx.units
      .filter((l) => l.step === 'requirements' && l.section === 'non-functional' && /\S/.test(l.text))
      .flatMap((l) => {
        const text = unbullet(l.text);
        const families = NFR_FAMILIES.filter((f) => f.need.test(text));
        if (families.length === 0 || families.some((f) => f.remedy.test(remedies))) return [];
        const names = families.map((f) => f.name);
        // A requirement scoped to one flow ("Seat holds: strongly consistent", "For search, …") is named by it.
        const flow = /^(?:for\s+)?([A-Za-z][\w /-]{1,30}?)\s*(?::|,)\s+\S/i.exec(text)?.[1];
        // Options the candidate has not used yet, from the playbook, each with what it costs.
        const options = ctx.playbook ? offerFor(ctx.playbook, families[0].concern, answer).map((t) => ({ id: t.id, name: t.name, costs: t.costs })) : [];
        const example = options.length ? options.map((o) => o.name).join('; ') : families[0].example;
        return [
          ctx.report({
            line: l.line,
            subject: text,
            message: `the ${names.join('/')} requirement${flow ? ` for ${flow.toLowerCase()}` : ''} "${clip(text)}" is addressed by no optimization or choice`,
            hint: `add a step 6 item for it (${names.join(', ')}: e.g. ${example})`,
            evidence: { families: names, ...(flow ? { flow } : {}), ...(options.length ? { options } : {}) },
          }),
        ];
      });
  },
  hint: {
    step: 'optimizations',
    text: (f) => {
      const options = (f.evidence?.options ?? []) as { name: string; costs: string }[];
      const offer = options.length ? `; options: ${options.map((o) => `${o.name} (costs: ${lower(o.costs)})`).join('; ')}` : '';
      return `nothing addresses ${quote(f.subject)} yet (from your requirement)${offer}`;
    },
  },
});

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}
