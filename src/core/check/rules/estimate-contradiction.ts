import { candidates } from '../estimate.js';
import { clip, unbullet } from '../match.js';
import { defineRule } from '../rule.js';

const FIGURES = '- DAU: 500M\n- messages per user per day: 40\n- message size: 100 B\n- retention: 30 days\n- peak factor: 3';

function describeExpected(kind: string, values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const f = (n: number) => (kind === 'qps' ? `${Math.round(n).toLocaleString('en-US')}/s` : `${(n / 1e9).toPrecision(3)} GB${kind === 'bandwidth' ? '/s' : ''}`);
  return lo === hi ? `about ${f(lo)}` : `between ${f(lo)} and ${f(hi)}`;
}

export default defineRule({
  id: 'estimate-contradiction',
  severity: 'warning',
  step: 'estimation',
  summary: 'a session-wide QPS, storage or bandwidth figure more than 10× off what the written inputs give (a figure with its own working is checked against that working)',
  subject: "the quoted figure's `name: value`",
  examples: {
    notOk: [{ 'estimation/traffic': `${FIGURES}\n- peak QPS: 50M` }],
    ok: [{ 'estimation/traffic': `${FIGURES}\n- average QPS: ≈ 231K`, 'estimation/storage': '- storage: 60 TB' }],
  },
  check(ctx) {
    const c = ctx.estimate.computed;
    if (!c) return [];
    return ctx.estimate.quoted.flatMap((q) => {
      // A quote with its own working is judged by that working: it may be about another
      // scenario (an on-sale peak) than the inputs describe.
      if (q.selfConsistent === true) return [];
      const expected = candidates(c, q.kind, q.label);
      if (expected.length === 0) return [];
      const fits = q.values.some((v) => expected.some((x) => v / x <= 10 && x / v <= 10));
      if (fits) return [];
      const subject = unbullet(q.text);
      return [
        ctx.report({
          line: q.line,
          subject,
          message: `"${clip(subject)}" is more than 10× off what your inputs give`,
          hint: `recompute it from the inputs: ${describeExpected(q.kind, expected)}`,
          evidence: { quoted: q.values, expected },
        }),
      ];
    });
  },
});
