import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { checkSession } from '../src/core/check/index.js';
import { attemptOf, carriedHints, readStoredGrade, recommend, renderStoredGrade, storedGradeOf, trackFindings, type Attempt } from '../src/core/derive/history.js';
import { statsChart } from '../src/core/draw/chart.js';
import { parseGrade } from '../src/core/parse/grade.js';
import { parseSession } from '../src/core/parse/parse.js';
import { parseSvgXml } from './support/xml.js';

const grades = (name: string) => readFileSync(path.join('tests/fixtures/grades', name), 'utf8');
const complete = readFileSync('tests/fixtures/airbnb-complete.md', 'utf8');

describe('the grader answer', () => {
  it('reads every step, key point, follow-up and the overall grade of a well-formed answer', () => {
    const { grade, problems } = parseGrade(grades('well-formed.md'));
    expect(problems).toEqual([]);
    expect(grade.steps).toMatchObject({ requirements: { score: 4 }, estimation: { score: 2 }, failures: { score: null } });
    expect(grade.steps.estimation!.findings).toEqual(['Storage leaves out listing photos, the bulk of the bytes.', 'The peak factor is asserted, not derived.']);
    expect(grade.steps.requirements!.evidence).toEqual(['Guests can search listings by location, dates and number of guests.']);
    expect(grade.keyPoints['no-double-booking']).toMatchObject({ covered: 'partly', score: 2 });
    expect(grade.followUps['host-cancels']).toMatchObject({ score: 2 });
    expect(grade.overall).toMatchObject({ score: 3, hire: 'lean hire' });
  });

  it('keeps what a drifting answer gets right and names by line what it cannot read', () => {
    const { grade, problems } = parseGrade(grades('partly-malformed.md'));
    expect(grade.steps.requirements).toMatchObject({ score: 4, evidence: ['Guests can book a stay'] });
    expect(grade.steps.api!.findings).toEqual(['No pagination on search.', 'No idempotency key on POST /bookings.']);
    expect(grade.overall?.score).toBe(3);
    const text = problems.map((p) => `${p.line}: ${p.text}`);
    expect(text).toContainEqual(expect.stringMatching(/^9: score "great" is not a whole number/));
    expect(text).toContainEqual(expect.stringMatching(/"Step 9: Deployment" names no step/));
    expect(text).toContainEqual(expect.stringMatching(/"Covered: maybe" is not yes, partly or no/));
    expect(text).toContainEqual(expect.stringMatching(/hire signal "probably"/));
    expect(text).toContainEqual(expect.stringMatching(/no grade for steps 4, 5, 6, 7/));
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('refuses an answer with none of the sections, saying what the shape is', () => {
    const { problems } = parseGrade(grades('wrong-shape.md'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(problems[0].text).toMatch(/none of the sections/);
    expect(problems[0].hint).toMatch(/## Step N: <title>/);
  });

  it('stores the grade as frontmatter YAML that reads back the same', () => {
    const stored = storedGradeOf(parseGrade(grades('well-formed.md')).grade, '2026-12-01T10:00:00.000Z');
    const text = renderStoredGrade(stored);
    const back = readStoredGrade((YAML.parse(text) as { grade: unknown }).grade);
    expect(back).toEqual(stored);
    expect(stored.findings.map((f) => f.id)).toEqual(['grade:step:estimation', 'grade:key-point:no-double-booking', 'grade:follow-up:host-cancels']);
  });
});

/** An attempt built from a real session, with the start time and answers varied. */
function attempt(started: string, edit: (s: string) => string = (s) => s, file = `sessions/${started}.md`): Attempt {
  const source = edit(complete.replace(/started: "[^"]+"/, `started: "${started}"`));
  const session = parseSession(source);
  return attemptOf(file, session, checkSession(session));
}

const GATEWAY_HA = (s: string) =>
  s.replace('### Resilience and single points of failure\n', '### Resilience and single points of failure\n\n- API Gateway runs as three instances behind the load balancer, one per zone.\n');

describe('findings across attempts', () => {
  it('opens, resolves and brings back a finding over three attempts', () => {
    const first = attempt('2026-11-01T10:00:00.000Z');
    const id = first.findings.find((f) => /API Gateway/.test(f.text))?.id;
    expect(id, 'the fixture has a gateway single point of failure').toBeDefined();

    expect(trackFindings([first]).find((t) => t.id === id)).toMatchObject({ status: 'open', raised: 1 });
    const second = attempt('2026-11-08T10:00:00.000Z', GATEWAY_HA);
    expect(second.findings.some((f) => f.id === id)).toBe(false);
    expect(trackFindings([first, second]).find((t) => t.id === id)).toMatchObject({ status: 'resolved', raised: 1 });
    const third = attempt('2026-11-15T10:00:00.000Z');
    // Given out of order: the start times decide.
    expect(trackFindings([third, first, second]).find((t) => t.id === id)).toMatchObject({ status: 'affirmed', raised: 2, lastSeen: '2026-11-15T10:00:00.000Z' });
  });

  it('does not resolve a finding in a step the later attempt left to sample answers', () => {
    const first = attempt('2026-11-01T10:00:00.000Z');
    const samples = attempt('2026-11-02T10:00:00.000Z', (s) => s.replace('budget:', 'samples: [requirements, estimation, api, workflows, architecture, optimizations]\nbudget:'));
    const gateway = trackFindings([first, samples]).find((t) => /API Gateway/.test(t.text))!;
    expect(gateway.status).toBe('open');
  });

  it('carries open findings into the next attempt, the grader before the checker, a few per step', () => {
    const graded = attempt('2026-11-01T10:00:00.000Z');
    graded.findings.push({ id: 'grade:step:optimizations', step: 'optimizations', text: 'No hot-listing plan.', source: 'grade' });
    const carried = carriedHints(trackFindings([graded]));
    expect(carried.optimizations![0]).toBe('Last time, the grader: No hot-listing plan.');
    expect(carried.optimizations!.length).toBeLessThanOrEqual(3);
  });
});

describe('what to practise next', () => {
  it('prefers the weaker, staler question and names its weakest step', () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const strong = { ...attempt('2026-11-30T10:00:00.000Z'), question: 'uber', title: 'Design Uber' };
    const weak = attempt('2026-11-01T10:00:00.000Z', (s) => s.replace(/## 6\. Optimizations[\s\S]*?(?=## 7\.)/, '## 6. Optimizations\n\n'));
    const ranked = recommend(
      [strong, weak],
      [
        { id: 'airbnb', title: 'Design Airbnb' },
        { id: 'uber', title: 'Design Uber' },
      ],
      now,
    );
    expect(ranked[0]).toMatchObject({ question: 'airbnb', step: 'optimizations' });
    expect(ranked[0].reason).toMatch(/last tried 30 days ago, coverage \d+\/100; weakest step 6 \(Optimizations\) at 0%/);
  });
});

describe('the stats chart', () => {
  it('is XML with one series per question, both axes and a point per attempt in each panel', () => {
    const attempts = [
      attempt('2026-11-01T10:00:00.000Z'),
      attempt('2026-11-08T10:00:00.000Z', GATEWAY_HA),
      { ...attempt('2026-11-10T10:00:00.000Z'), question: 'uber', title: 'Design <Uber> & "co"' },
    ];
    attempts[0].grade = { imported: 'x', overall: 2, steps: {}, keyPoints: {}, followUps: {}, findings: [] };
    const svg = statsChart(attempts);
    parseSvgXml(svg, 'stats.svg');
    expect(svg.match(/<g class="series" data-question="[^"]+">/g)).toEqual(['<g class="series" data-question="airbnb">', '<g class="series" data-question="uber">']);
    expect(svg).toContain('data-axis="coverage / 100"');
    expect(svg).toContain('data-axis="active minutes"');
    expect(svg.match(/<circle /g)).toHaveLength(3 * 2 + 1);
    expect(svg).toContain('graded 2/5');
    expect(svg).toContain('&lt;Uber&gt; &amp; &quot;co&quot;');
    expect(statsChart(attempts)).toBe(svg);
  });

  it('says so when there is nothing to draw', () => {
    const svg = statsChart([]);
    parseSvgXml(svg);
    expect(svg).toContain('No dated attempts yet');
  });
});
