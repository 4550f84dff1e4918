import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSession } from '../src/core/check/index.js';
import { parseSession } from '../src/core/parse/parse.js';
import { formatDuration, renderReport } from '../src/core/write/report.js';
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
    expect(report).toMatch(/```mermaid\nflowchart TB\n/);
    expect(report.match(/```mermaid\nsequenceDiagram\n/g)).toHaveLength(5);
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

describe('a watched session', () => {
  it('reports first edit, last edit, active time and each step against its budget, flagging overruns', () => {
    const timing = [
      'timing:',
      '  last_edit: "2026-11-20T09:40:00.000Z"',
      '  active_seconds: 1500',
      '  steps:',
      '    requirements: { first_edit: "2026-11-20T09:02:00.000Z", last_edit: "2026-11-20T09:09:00.000Z", active_seconds: 420 }',
      '    api: { first_edit: "2026-11-20T09:10:00.000Z", last_edit: "2026-11-20T09:40:00.000Z", active_seconds: 240 }',
      '',
    ].join('\n');
    const source = readFileSync(new URL('./fixtures/airbnb-complete.md', import.meta.url), 'utf8').replace('\n---\n', `\n${timing}---\n`);
    const session = parseSession(source);
    const check = checkSession(session);
    const out = renderReport({ session, sessionPath: 's.md', finished: '2026-11-30T00:00:00.000Z', check });
    expect(out).toContain('| First edit | 2026-11-20 09:02 UTC |');
    expect(out).toContain('| Finished (last edit) | 2026-11-20 09:40 UTC |');
    expect(out).toContain('| Elapsed | 38 min |');
    expect(out).toContain('| Active | 25 min |');
    expect(out).toMatch(/\| 1\. Requirements \| 5 min \| \*\*7 min, over by 2 min\*\* \| answered \|/);
    expect(out).toMatch(/\| 3\. API design \| 5 min \| 4 min \| answered \|/);
    expect(out).toMatch(/\| 2\. Estimation \| 4 min \| — \|/);
    expect(check.findings.filter((f) => f.id === 'step-over-budget').map((f) => f.subject)).toEqual(['1. Requirements']);
  });
});
