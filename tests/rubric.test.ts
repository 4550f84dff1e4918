import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '../src/core/errors.js';
import { parseRubric } from '../src/core/parse/rubric.js';
import { loadBank, loadRubric, loadRubrics } from '../src/io/bank.js';

const GOOD = `question: airbnb
keyPoints:
${['a', 'b', 'c', 'd', 'e']
  .map(
    (id) => `  - id: point-${id}
    point: Point ${id}
    steps: [architecture]
    level: mid
    why: Because.
    strong: Like this.
    signals:
      - all: ['word-${id}']`,
  )
  .join('\n')}
pitfalls:
  - id: pit-a
    pitfall: A mistake
    steps: [architecture]
    why: Because.
    signals:
      - all: ['bad-a']
        not: ['alternatives?']
  - id: pit-b
    pitfall: Another
    steps: [optimizations]
    why: Because.
    signals:
      - all: ['bad-b']
followUps:
  - {id: f-a, kind: change, ask: What if?}
  - {id: f-b, kind: spike, ask: What if 10x?}
  - {id: f-c, kind: failure, ask: What if down?}
`;

/** The error a broken rubric gives: line, column and message. */
function problem(source: string, id = 'airbnb'): { line: number; column: number; text: string; hint?: string } {
  try {
    parseRubric(source, id);
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    return err.diagnostics[0];
  }
  throw new Error('no error');
}

const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('parseRubric', () => {
  it('reads a valid rubric with case-insensitive patterns and entry lines', () => {
    const r = parseRubric(GOOD, 'airbnb');
    expect(r.keyPoints.map((k) => k.id)).toEqual(['point-a', 'point-b', 'point-c', 'point-d', 'point-e']);
    expect(r.keyPoints[0].signals[0].all[0].test('WORD-A')).toBe(true);
    expect(r.keyPoints[1].line).toBe(lineOf(GOOD, 'id: point-b'));
    expect(r.pitfalls[0].signals[0].not[0].test('Alternatives: x')).toBe(true);
    expect(r.followUps.map((f) => f.kind)).toEqual(['change', 'spike', 'failure']);
  });

  it('points at the line of an invalid regex', () => {
    const bad = GOOD.replace("'word-c'", "'word-c('");
    expect(problem(bad)).toMatchObject({ line: lineOf(bad, "'word-c('"), text: expect.stringMatching(/not a valid regex/) });
  });

  it('points at the line of an unknown level, step, kind or key', () => {
    const level = GOOD.replace(/level: mid/, 'level: junior');
    expect(problem(level)).toMatchObject({ line: lineOf(level, 'level: junior'), text: expect.stringMatching(/level "junior"/) });
    const step = GOOD.replace('steps: [optimizations]', 'steps: [optimisations]');
    expect(problem(step)).toMatchObject({ line: lineOf(step, 'optimisations'), text: expect.stringMatching(/"optimisations", which is not a step/) });
    const kind = GOOD.replace('kind: spike', 'kind: surge');
    expect(problem(kind)).toMatchObject({ line: lineOf(kind, 'kind: surge'), text: expect.stringMatching(/kind "surge"/) });
    const key = GOOD.replace('    strong: Like this.\n', '    strong: Like this.\n    weight: 3\n');
    expect(problem(key)).toMatchObject({ line: lineOf(key, 'weight: 3'), text: expect.stringMatching(/unknown key "weight"/) });
  });

  it('refuses duplicate ids, too few key points, a wrong question and broken YAML', () => {
    const dup = GOOD.replace('id: point-b', 'id: point-a');
    expect(problem(dup)).toMatchObject({ line: lineOf(dup, 'id: point-a') + 8, text: expect.stringMatching(/used twice .*first on line 3/) });
    const few = GOOD.replace(/  - id: point-e[\s\S]*?word-e'\]\n/, '');
    expect(problem(few).text).toMatch(/`keyPoints` of the rubric has 4 entries; it needs 5-8/);
    expect(problem(GOOD, 'uber').text).toMatch(/`question: airbnb` does not match the file name uber.yaml/);
    const yaml = GOOD.replace('  - {id: f-c, kind: failure, ask: What if down?}', '  - {id: f-c, kind: failure, ask: What if down?');
    expect(problem(yaml)).toMatchObject({ text: expect.stringMatching(/invalid YAML/) });
    expect(problem(GOOD.replace("'word-d'", "''"))).toMatchObject({ line: lineOf(GOOD, "'word-d'"), text: expect.stringMatching(/quoted regex/) });
    expect(problem(GOOD.replace("'word-d'", "'x|'")).text).toMatch(/matches empty text/);
  });
});

describe('the shipped rubrics', async () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-rubrics-'));
  const bank = await loadBank(cwd);
  const rubrics = await loadRubrics(cwd, bank);

  it('cover every shipped preset', () => {
    const missing = bank.map((q) => q.id).filter((id) => !rubrics.has(id));
    expect(missing, `presets without templates/rubrics/<id>.yaml: ${missing.join(', ')}`).toEqual([]);
  });

  it('each name an existing question, with 5-8 key points, 2-4 pitfalls and 3-5 follow-ups', () => {
    for (const r of rubrics.values()) {
      expect(r.keyPoints.length, r.question).toBeGreaterThanOrEqual(5);
      expect(r.pitfalls.length, r.question).toBeGreaterThanOrEqual(2);
      expect(r.followUps.length, r.question).toBeGreaterThanOrEqual(3);
    }
  });

  it('a rubric in the working folder replaces the shipped one, and its errors name the file and line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-user-rubric-'));
    mkdirSync(path.join(dir, 'templates/rubrics'), { recursive: true });
    writeFileSync(path.join(dir, 'templates/rubrics/airbnb.yaml'), GOOD);
    expect((await loadRubric(dir, 'airbnb'))?.keyPoints[0].id).toBe('point-a');
    const bad = GOOD.replace('level: mid', 'level: principal');
    writeFileSync(path.join(dir, 'templates/rubrics/airbnb.yaml'), bad);
    const err = await loadRubric(dir, 'airbnb').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).file).toBe(path.join('templates', 'rubrics', 'airbnb.yaml'));
    expect((err as ContentError).diagnostics[0].line).toBe(lineOf(bad, 'level: principal'));
  });

  it('refuses a rubric for a question that does not exist', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-user-rubric-'));
    mkdirSync(path.join(dir, 'templates/rubrics'), { recursive: true });
    writeFileSync(path.join(dir, 'templates/rubrics/nosuch.yaml'), GOOD.replace('question: airbnb', 'question: nosuch'));
    const err = await loadRubrics(dir, bank).catch((e: unknown) => e);
    expect((err as ContentError).diagnostics[0]).toMatchObject({ line: 1, text: expect.stringMatching(/no question "nosuch"/) });
  });
});
