// The checker against the corpus: every case's findings scored against what a careful
// reviewer expects (tests/fixtures/check/README.md). Precision matters more than recall.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSession } from '../src/core/check/index.js';
import { parseSession } from '../src/core/parse/parse.js';
import { HOLDOUT, corpusCases, formatScore, scoreCorpus } from './support/corpus.mjs';

const cases = corpusCases();
const results = cases.map((c) => ({ ...c, findings: checkSession(parseSession(readFileSync(c.file, 'utf8'))).findings.map((f) => ({ ...f, rule: f.id })) }));
const score = scoreCorpus(results);

describe('sdp check on the corpus', () => {
  it('has at least 10 realistic sessions with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it('reaches precision ≥ 0.95 and recall ≥ 0.85 over all rules (issue 11)', () => {
    if (process.env.SDP_CORPUS_REPORT) console.log(`${formatScore(score)}\n${score.details.map((d) => `${d.case}: ${d.kind} ${d.rule} "${d.subject}"`).join('\n')}`);
    expect(score.total.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.total.recall).toBeGreaterThanOrEqual(0.85);
  });

  it.each(cases.filter((c) => (c.expect.must ?? []).length === 0).map((c) => c.name))('finds nothing wrong in the strong answer %s, or at most one warning', (name) => {
    const r = results.find((x) => x.name === name)!;
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.length).toBeLessThanOrEqual(1);
  });
});

describe('sdp check on the held-out corpus (written after the rules, not tuned on)', () => {
  const holdout = corpusCases(HOLDOUT).map((c) => ({ ...c, findings: checkSession(parseSession(readFileSync(c.file, 'utf8'))).findings.map((f) => ({ ...f, rule: f.id })) }));

  it('keeps precision ≥ 0.95 and recall ≥ 0.85 (issue 11)', () => {
    const s = scoreCorpus(holdout);
    if (process.env.SDP_CORPUS_REPORT) console.log(formatScore(s));
    expect(holdout.length).toBeGreaterThanOrEqual(4);
    expect(s.total.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.total.recall).toBeGreaterThanOrEqual(0.85);
  });
});
