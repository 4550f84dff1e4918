import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSession } from '../src/core/parse/parse.js';
import { parseRubric } from '../src/core/parse/rubric.js';
import { applyEdits, onlyOwnedChanged } from '../src/core/write/edit.js';
import { followUpDue, followUpEdit, hasFollowUp, pickFollowUp } from '../src/core/write/followup.js';

const sample = readFileSync(new URL('../templates/samples/airbnb.md', import.meta.url), 'utf8');
const rubric = parseRubric(readFileSync(new URL('../templates/rubrics/airbnb.yaml', import.meta.url), 'utf8'), 'airbnb');
const ask = rubric.followUps[0];

describe('the follow-up write', () => {
  it.each([
    ['ends with a line break', sample],
    ['ends without one', sample.trimEnd()],
    ['uses CRLF', sample.replace(/\n/g, '\r\n')],
  ])('changes nothing outside sdp regions when the file %s', (_, source) => {
    const next = applyEdits(source, [followUpEdit(source, ask, 'at minute 35')]);
    expect(next.startsWith(source)).toBe(true);
    expect(onlyOwnedChanged(source, next)).toBe(true);
    const session = parseSession(next);
    expect(hasFollowUp(session)).toBe(true);
    expect(session.followUps).toEqual([{ id: ask.id, ask: ask.ask, line: expect.any(Number), answer: '' }]);
    // The follow-up ends step 7: nothing of it is read as a step's answer.
    expect(session.lines.some((l) => /interviewer/i.test(l.text))).toBe(false);
  });

  it('is refused by the safety check when the insertion would also change typed text', () => {
    const next = applyEdits(sample, [followUpEdit(sample, ask, 'x'), { start: 0, end: 3, text: '+++' }]);
    expect(onlyOwnedChanged(sample, next)).toBe(false);
    // A heading the candidate wrote is theirs, even with the same words.
    expect(onlyOwnedChanged(sample, `${sample}## Follow-up: mine\n`)).toBe(false);
  });

  it('reads the answer under the block up to the next heading', () => {
    const next = applyEdits(sample, [followUpEdit(sample, ask, 'x')]);
    const answered = `${next}\nThe guest is refunded.\nThe nights go back on sale.\n\n## Notes\n\nnot an answer\n`;
    expect(parseSession(answered).followUps[0].answer).toBe('The guest is refunded.\nThe nights go back on sale.');
  });

  it('is due once step 5 has an answer, or at minute 35, or at the minute given', () => {
    const fresh = parseSession(sample.replace(/(## 5\. Architecture)[\s\S]*?(?=## 6\.)/, '$1\n\n'));
    expect(followUpDue(fresh, 60)).toBe(false);
    expect(followUpDue(fresh, 35 * 60)).toBe(true);
    expect(followUpDue(parseSession(sample), 0)).toBe(true);
    expect(followUpDue(parseSession(sample), 0, 20)).toBe(false);
    expect(followUpDue(fresh, 20 * 60, 20)).toBe(true);
  });

  it('picks the same follow-up for a session every time', () => {
    const s = parseSession(sample);
    expect(pickFollowUp(rubric.followUps, s)).toBe(pickFollowUp(rubric.followUps, parseSession(sample)));
  });
});
