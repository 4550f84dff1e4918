import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEdits, onlyOwnedChanged } from '../src/core/write/edit.js';
import { withoutOwned } from '../src/core/parse/blocks.js';
import { deriveHints } from '../src/core/derive/hints.js';
import { splitBudget } from '../src/core/method.js';
import { parseSession } from '../src/core/parse/parse.js';
import type { Question } from '../src/core/parse/questions.js';
import { syncSession, writeScope } from '../src/core/write/sync.js';
import { renderSession } from '../src/core/write/template.js';
import { changedSteps, readTiming, recordEdit, stepTexts, timingEdit } from '../src/core/derive/timing.js';

const question: Question = { id: 'airbnb', title: 'Design Airbnb', aliases: [], scope: 'Design a marketplace.', prompts: { api: ['Where does the idempotency key go?'] } };
const fresh = renderSession({ question, started: '2026-11-20T09:00:00.000Z', budget: splitBudget(45) });
const complete = readFileSync(new URL('./fixtures/airbnb-complete.md', import.meta.url), 'utf8');

function answer(source: string, key: string, text: string): string {
  const marker = new RegExp(`<!-- /sdp:hint ${key}( #[0-9a-f]{8})? -->\\n`);
  const m = marker.exec(source)!;
  return source.slice(0, m.index + m[0].length) + `\n${text}\n` + source.slice(m.index + m[0].length);
}

function sync(source: string, extra: Partial<Parameters<typeof syncSession>[0]> = {}) {
  return syncSession({ session: parseSession(source), source, question, hints: true, ...extra });
}

describe('syncSession (hints)', () => {
  it('writes derived hints into the step blocks, citing their source, and nothing else', () => {
    const source = answer(fresh, 'requirements/functional', '- Guests can book a stay\n- Guests can search listings');
    const r = sync(source);
    expect(r.text).toBeDefined();
    expect(r.text).toMatch(
      /<!-- sdp:hint api -->\n[\s\S]*Where does the idempotency key go\?[\s\S]*From your answers so far:\n> - `POST \/stays` for "Guests can book a stay" \(from your requirement\)/,
    );
    expect(onlyOwnedChanged(source, r.text!)).toBe(true);
    expect(r.hintSteps).toContain('api');
  });

  it('is idempotent: its own output needs no edit', () => {
    const source = answer(complete, 'requirements/functional', '- Hosts can chat with guests');
    const once = sync(source).text!;
    expect(sync(once).text).toBeUndefined();
  });

  it('keeps text typed inside a hint block and says so', () => {
    const typed = fresh.replace('<!-- sdp:hint api -->\n', '<!-- sdp:hint api -->\nmy own note\n');
    expect(typed).not.toBe(fresh);
    const r = sync(answer(typed, 'requirements/functional', '- Guests can book a stay'));
    expect(r.text ?? typed).toContain('my own note');
    expect(r.warnings.join('\n')).toMatch(/you typed inside the hint block of step 3/);
    expect(r.hintSteps).not.toContain('api');
  });

  it('restores a deleted step block once, and leaves a block with a broken marker alone', () => {
    const deleted = fresh.replace(/<!-- sdp:hint api -->[\s\S]*?<!-- \/sdp:hint api #[0-9a-f]{8} -->\n/, '');
    const restored = sync(deleted).text!;
    expect(restored.match(/<!-- sdp:hint api -->/g)).toHaveLength(1);
    expect(sync(restored).text).toBeUndefined();
    const broken = fresh.replace(/<!-- \/sdp:hint api #[0-9a-f]{8} -->\n/, '');
    const r = sync(answer(broken, 'requirements/functional', '- Guests can book a stay'));
    expect(withoutOwned(r.text ?? broken)).toContain('<!-- sdp:hint api -->');
  });

  it('keeps CRLF line endings and a BOM', () => {
    const crlf = `\uFEFF${answer(fresh, 'requirements/functional', '- Guests can book a stay').replace(/\n/g, '\r\n')}`;
    const out = sync(crlf).text!;
    expect(out.startsWith('\uFEFF---\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('with hints off, changes no hint block', () => {
    const source = answer(fresh, 'requirements/functional', '- Guests can book a stay');
    expect(sync(source, { hints: false }).text).toBeUndefined();
  });
});

describe('what a write may change while the person types (writeScope)', () => {
  it('in step 3, only steps 4 to 7; at the start and on exit, everything, and the timing on exit only', () => {
    expect(writeScope('change', 'api', false)).toEqual({ steps: ['workflows', 'architecture', 'optimizations', 'failures'], timing: false });
    expect(writeScope('change', 'failures', false)).toEqual({ steps: [], timing: false });
    expect(writeScope('start', undefined, true)).toEqual({ timing: false });
    expect(writeScope('change', 'api', true)).toEqual({ timing: false }); // the first write of a run is still to do
    expect(writeScope('flush', 'api', false)).toEqual({ timing: true });
  });

  it('syncSession leaves the blocks of steps outside the scope as they are', () => {
    const source = answer(answer(fresh, 'requirements/functional', '- Guests can search stays'), 'api/external', '- `GET /stays` {city} → 200');
    const all = sync(source);
    expect(all.hintSteps).toEqual(expect.arrayContaining(['api', 'workflows']));
    const later = sync(source, { steps: writeScope('change', 'api', false).steps });
    expect(later.hintSteps).toContain('workflows');
    expect(later.hintSteps).not.toContain('api');
    const block = (t: string) => /<!-- sdp:hint api -->[\s\S]*?<!-- \/sdp:hint api [^\n]*/.exec(t)![0];
    expect(block(later.text!)).toBe(block(source));
  });
});

describe('timing', () => {
  it('finds which steps changed, ignoring hint blocks', () => {
    const a = parseSession(fresh);
    const b = parseSession(answer(fresh, 'api/external', '- GET /x'));
    expect(changedSteps(stepTexts(a), stepTexts(b))).toEqual(['api']);
    const hintOnly = parseSession(sync(answer(fresh, 'requirements/functional', '- Guests can book')).text!);
    const before = parseSession(answer(fresh, 'requirements/functional', '- Guests can book'));
    expect(changedSteps(stepTexts(before), stepTexts(hintOnly))).toEqual([]);
  });

  it('counts gaps within the idle threshold as active time of the step edited, and not longer gaps', () => {
    let t = readTiming({});
    t = recordEdit(t, ['requirements'], new Date('2026-11-20T09:01:00Z'), '2026-11-20T09:00:00Z');
    t = recordEdit(t, ['requirements'], new Date('2026-11-20T09:03:00Z'), undefined);
    t = recordEdit(t, ['api'], new Date('2026-11-20T09:20:00Z'), undefined, 300);
    t = recordEdit(t, ['api'], new Date('2026-11-20T09:21:30Z'), undefined, 300);
    expect(t).toEqual({
      last: '2026-11-20T09:21:30.000Z',
      active: 270,
      steps: {
        requirements: { first: '2026-11-20T09:00:00.000Z', last: '2026-11-20T09:03:00.000Z', active: 180 },
        api: { first: '2026-11-20T09:20:00.000Z', last: '2026-11-20T09:21:30.000Z', active: 90 },
      },
    });
  });

  it('adds up: active time never exceeds first-to-last edit, and without a start the first save counts no time (issue 11 #9)', () => {
    // watch: `sdp new` at 09:00, first save at 09:02. The two minutes are not step 1's.
    let w = recordEdit(readTiming({}), ['requirements'], new Date('2026-11-20T09:02:00Z'), undefined);
    w = recordEdit(w, ['requirements'], new Date('2026-11-20T09:06:00Z'), undefined);
    w = recordEdit(w, ['api'], new Date('2026-11-20T09:10:00Z'), undefined);
    expect(w.active).toBe(480);
    expect(w.steps.requirements).toEqual({ first: '2026-11-20T09:02:00.000Z', last: '2026-11-20T09:06:00.000Z', active: 240 });
    // practice: the answer given 3 min after the prompt opens at the prompt.
    const p = recordEdit(readTiming({}), ['requirements'], new Date('2026-11-20T09:03:00Z'), '2026-11-20T09:00:00Z');
    for (const t of [w, p]) {
      const firsts = Object.values(t.steps).map((s) => Date.parse(s!.first!));
      expect(t.active * 1000).toBeLessThanOrEqual(Date.parse(t.last!) - Math.min(...firsts));
    }
  });

  it('writes the timing block into the frontmatter as text, keeping comments, order and quoting, and reads it back', () => {
    const source = fresh.replace('question: airbnb\n', "question: airbnb # my comment\nmine: 'kept'\n");
    const timing = recordEdit(readTiming({}), ['api'], new Date('2026-11-20T09:05:00Z'), '2026-11-20T09:00:00Z');
    const session = parseSession(source);
    const once = applyEdits(source, [timingEdit(source, session.bodyStart, timing)!]);
    expect(once).toContain("question: airbnb # my comment\nmine: 'kept'\n");
    expect(once).toContain(
      'timing:\n  last_edit: "2026-11-20T09:05:00.000Z"\n  active_seconds: 300\n  steps:\n    api: { first_edit: "2026-11-20T09:00:00.000Z", last_edit: "2026-11-20T09:05:00.000Z", active_seconds: 300 }\n---\n',
    );
    const reparsed = parseSession(once);
    expect(readTiming(reparsed.frontmatter.raw)).toEqual(timing);
    expect(timingEdit(once, reparsed.bodyStart, timing)).toBeUndefined();
    const later = recordEdit(timing, ['api'], new Date('2026-11-20T09:06:00Z'), undefined);
    const twice = applyEdits(once, [timingEdit(once, reparsed.bodyStart, later)!]);
    expect(twice.match(/^timing:/gm)).toHaveLength(1);
    expect(readTiming(parseSession(twice).frontmatter.raw).active).toBe(360);
    expect(onlyOwnedChanged(source, twice)).toBe(true);
  });
});

describe('the first law, as a property: random edits never change a byte outside the owned regions', () => {
  it('holds over 300 random sessions and syncs', () => {
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const pieces = [
      '- Guests can book a stay',
      'é 日本語 🚀',
      '> quoted',
      '<!-- note -->',
      '\t- tab',
      '### Extra',
      '`code`',
      '| a | b |',
      'Guest -> API: GET /x',
      '- Choice: Redis\n  - Why: fast',
      '',
      '---',
      '#',
      '<!-- sdp:hint fake -->',
    ];
    for (let i = 0; i < 300; i++) {
      let source = i % 2 ? fresh : complete;
      for (let k = 0; k < 1 + rand(4); k++) {
        const lines = source.split('\n');
        const at = 8 + rand(lines.length - 8);
        lines.splice(at, rand(3) === 0 ? 1 : 0, pieces[rand(pieces.length)]);
        source = lines.join('\n');
      }
      if (i % 3 === 0) source = source.replace(/\n/g, '\r\n');
      let session;
      try {
        session = parseSession(source);
      } catch {
        continue; // a broken frontmatter: watch writes nothing then
      }
      const timing = recordEdit(readTiming(session.frontmatter.raw), ['api'], new Date('2026-11-20T10:00:00Z'), '2026-11-20T09:59:00Z');
      const out = syncSession({ session, source, question, hints: true, timing }).text;
      if (out === undefined) continue;
      expect(withoutOwned(out)).toBe(withoutOwned(source));
      // Every line the "user" had is still there, in order.
      const kept = out.split(/\r?\n/);
      let j = 0;
      for (const line of withoutOwned(source).split(/\r?\n/)) {
        while (j < kept.length && kept[j] !== line) j++;
        expect(j, `line ${JSON.stringify(line)} of case ${i}`).toBeLessThan(kept.length);
      }
    }
  }, 120_000);
});

describe('deriveHints', () => {
  it('derives estimates, endpoints, workflow gaps, components and failure prompts from earlier steps', () => {
    const hints = deriveHints(parseSession(complete));
    expect(hints.estimation[0]).toMatch(/99\.9% availability allows 8\.8 h a year of downtime/);
    expect(hints.estimation.join('\n')).toMatch(/from your figures: reads: 1\.16K\/s average/);
    expect(hints.architecture[0]).toMatch(/^components in your workflows: Guest \(client\), Host \(client\), API Gateway \(gateway\)/);
    // Step 6 already says how Booking DB (its Postgres) fails over: step 7 does not ask again (issue 11 #14).
    expect(hints.failures.join('\n')).not.toMatch(/Booking DB: how does it fail over/);
    expect(hints.requirements).toEqual([]);
  });
});
