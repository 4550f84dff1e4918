import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSession } from '../src/core/check.js';
import { parseSession } from '../src/core/parse.js';
import { formatDuration, renderReport } from '../src/core/report.js';
import { STEPS } from '../src/core/method.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const GOLDEN = new URL('./golden/airbnb-complete.report.md', import.meta.url);

function build(source: string, finished = '2026-11-20T09:52:00.000Z') {
  const session = parseSession(source);
  return renderReport({ session, sessionPath: 'sessions/airbnb-complete.md', finished, check: checkSession(session) });
}

describe('renderReport', () => {
  const report = build(fixture('airbnb-complete.md'));

  it('matches the golden report (UPDATE_GOLDEN=1 rewrites it on purpose)', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, report);
    expect(report).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('is byte-identical for the same input', () => {
    expect(build(fixture('airbnb-complete.md'))).toBe(report);
  });

  it('holds the question, timing, all seven steps, both kinds of diagram, the data model and the grading request', () => {
    expect(report).toMatch(/^## Question\n\nDesign a marketplace/m);
    expect(report).toContain('| Elapsed | 52 min |');
    for (const s of STEPS) expect(report).toContain(`## ${s.number}. ${s.title}\n`);
    expect(report).toMatch(/```mermaid\nflowchart LR\n/);
    expect(report.match(/```mermaid\nsequenceDiagram\n/g)).toHaveLength(3);
    expect(report).toContain('| Calendar | listing_id uuid, night date, status enum(free, held, booked)');
    expect(report).toMatch(/## Grading request[\s\S]*1 \(missing or wrong\) to 5[\s\S]*hire signal/);
    expect(report).not.toMatch(/sdp:hint|sdp:question/);
    expect(report).not.toContain('_Not answered');
    expect(report).toMatch(/## Completeness check\n\nCoverage \*\*\d+\/100\*\*/);
    expect(report).toMatch(/- line \d+, warning `spof`: API Gateway/);
    expect(report).toMatch(/automatic checker scored coverage \d+\/100/);
  });

  it('marks empty sections and missing steps as not answered, and reports parser warnings', () => {
    const partial = build('---\nsdp: 1\nquestion: airbnb\ntitle: T\nstarted: "2026-11-20T09:00:00Z"\n---\n## 1. Requirements\n### Functional\n- Guests book stays\n## 4. Workflows\n### Workflow: x\n- Guest -> : nothing\n');
    expect(partial).toMatch(/### Non-functional\n\n_Not answered._/);
    expect(partial).toMatch(/\| 1\. Requirements \| — \| — \| partly answered \| \d+ \|/);
    expect(partial).toMatch(/\| 2\. Estimation \| — \| — \| not answered \| 0 \|/);
    expect(partial).toMatch(/## 2\. Estimation\n\n_Not answered: the session has no heading for this step._/);
    expect(partial).toMatch(/## Notes from the parser\n\n- line 12: .*does not parse/);
    expect(partial).toContain('_No components yet');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [52 * 60000, '52 min'],
    [125 * 60000, '2 h 05 min'],
    [-1, 'unknown'],
    [NaN, 'unknown'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
