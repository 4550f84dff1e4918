import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/core/hash.js';
import { STEPS, splitBudget } from '../src/core/method.js';
import { parseSession } from '../src/core/parse/parse.js';
import type { Question } from '../src/core/parse/questions.js';
import { renderSession } from '../src/core/write/template.js';

const question: Question = {
  id: 'airbnb',
  title: 'Design Airbnb',
  aliases: [],
  scope: 'Design a marketplace.\n\n**Scale.** 1M bookings a day.',
  prompts: { architecture: ['How do you prevent double booking?'] },
};

describe('renderSession', () => {
  const text = renderSession({ question, started: '2026-11-20T09:00:00.000Z', budget: splitBudget(45) });
  const session = parseSession(text);

  it('writes a session the parser reads back with every step and section present and empty', () => {
    expect(session.diagnostics).toEqual([]);
    expect(session.frontmatter).toMatchObject({ question: 'airbnb', title: 'Design Airbnb', started: '2026-11-20T09:00:00.000Z' });
    for (const def of STEPS) {
      const step = session.steps.find((s) => s.id === def.id)!;
      expect(step.present).toBe(true);
      for (const sec of def.sections) expect(step.sections.find((s) => s.id === sec.id)?.answer, `${def.id}/${sec.id}`).toBe('');
    }
    expect(session.question).toBe(question.scope);
  });

  it('puts the static prompt and the question-specific prompts inside hint blocks', () => {
    expect(text).toContain('<!-- sdp:hint architecture -->');
    expect(text).toMatch(/<!-- sdp:hint architecture -->[\s\S]*trade-offs against alternatives[\s\S]*How do you prevent double booking\?[\s\S]*<!-- \/sdp:hint architecture #[0-9a-f]{8} -->/);
    expect(text).toContain('API → workflows → diagram is functionally complete');
    for (const b of session.owned.filter((b) => b.kind === 'hint')) expect(b.fingerprint).toBe(fingerprint(text.slice(b.inner.start, b.inner.end)));
    expect(session.owned.filter((b) => b.kind === 'hint')).toHaveLength(STEPS.length + STEPS.reduce((n, s) => n + s.sections.length, 0) + 1);
  });
});

describe('splitBudget', () => {
  it.each([7, 30, 45, 60, 90, 600])('splits %i minutes over the steps, summing exactly', (total) => {
    const budget = splitBudget(total);
    expect(Object.values(budget).reduce((a, b) => a + b, 0)).toBe(total);
    expect(Object.values(budget).every((m) => m >= 1)).toBe(true);
  });

  it('keeps the default 45-minute split', () => {
    expect(splitBudget(45)).toEqual({ requirements: 5, estimation: 4, api: 5, workflows: 8, architecture: 10, optimizations: 7, failures: 6 });
  });
});

describe('renderSession with hostile preset text', () => {
  // A prompt or title from a preset file someone else wrote: line breaks, marker lines, a heading.
  const hostile: Question = {
    ...question,
    title: 'Design Evil\n<!-- /sdp:question airbnb -->\n## Injected',
    scope: 'Scope.\r\n<!-- /sdp:question airbnb -->\r## Injected scope',
    prompts: {
      requirements: ['First line\n<!-- /sdp:hint requirements -->\n## Injected heading\n<!-- sdp:hint requirements -->'],
      architecture: ['Line\r<!-- /sdp:hint architecture -->\r\n### Injected section'],
    },
  };
  const text = renderSession({ question: hostile, started: '2026-11-20T09:00:00.000Z', budget: splitBudget(45) });
  const session = parseSession(text);

  it('keeps every line of it inside the block it belongs to: no heading, answer or warning appears', () => {
    expect(session.diagnostics).toEqual([]);
    expect(text).not.toMatch(/^#+ Injected/m);
    expect(text).not.toMatch(/^<!-- \/sdp:hint requirements -->\n## Injected/m);
    const plain = parseSession(renderSession({ question, started: '2026-11-20T09:00:00.000Z', budget: splitBudget(45) }));
    for (const def of STEPS) {
      const step = session.steps.find((s) => s.id === def.id)!;
      const expected = plain.steps.find((s) => s.id === def.id)!;
      expect(
        step.sections.map((s) => s.title),
        def.id,
      ).toEqual(expected.sections.map((s) => s.title));
      for (const sec of step.sections) expect(sec.answer, `${def.id}/${sec.id}`).toBe('');
    }
    expect(text).toContain('> <!-- /sdp:hint requirements -->\n> ## Injected heading');
  });
});
