import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '../src/core/errors.js';
import { STEPS } from '../src/core/method.js';
import { resolveQuestion } from '../src/core/parse/questions.js';
import { loadBank } from '../src/io/bank.js';

const REQUIRED = [
  'facebook-newsfeed',
  'airbnb',
  'url-shortener',
  'twitter-timeline',
  'web-crawler',
  'ticketmaster',
  'dropbox',
  'youtube',
  'uber',
  'whatsapp',
  'rate-limiter',
  'notification-system',
  'google-docs',
  'search-autocomplete',
  'payment-system',
  'stock-exchange',
  'ad-click-aggregator',
  'top-k',
  'key-value-store',
  'instagram',
  'live-comments',
  'fraud-detection',
  'account-aggregation',
  'brokerage',
  'stock-lending',
  'hotel-booking',
  'facebook-comments',
  'wikipedia',
  'airbnb-search',
];

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sdp-bank-'));
}

describe('the shipped question bank', async () => {
  const bank = await loadBank(tempDir());

  it('has every classic, each with scope and prompts for all seven steps', () => {
    expect(bank.length).toBeGreaterThanOrEqual(20);
    expect(bank.map((q) => q.id)).toEqual(expect.arrayContaining(REQUIRED));
    for (const q of bank) {
      expect(q.scope, q.id).toMatch(/\*\*Users\.\*\*[\s\S]*\*\*Scale\.\*\*/);
      for (const s of STEPS) expect(q.prompts[s.id]?.length, `${q.id} ${s.id}`).toBeGreaterThan(0);
    }
  });

  it('resolves ids, aliases, titles and close spellings', () => {
    const id = (input: string) => resolveQuestion(bank, input).question?.id;
    expect(id('airbnb')).toBe('airbnb');
    expect(id('Vacation Rentals')).toBe('airbnb');
    expect(id('Design Airbnb')).toBe('airbnb');
    expect(id('airbnbb')).toBe('airbnb');
    expect(id('venmo')).toBe('payment-system');
    expect(id('tinyurl')).toBe('url-shortener');
    expect(resolveQuestion(bank, 'airbnbb')).toMatchObject({ exact: false });
  });

  it('takes a preset by its own id even when another preset has that name as an alias', () => {
    const q = (id: string, aliases: string[]) => ({ id, title: `Design ${id}`, aliases, scope: 's', prompts: {} });
    // A user's preset may alias a name that is another preset's id; the id still wins.
    const shadowing = [q('airbnb', ['hotel booking']), q('hotel-booking', [])];
    expect(resolveQuestion(shadowing, 'hotel-booking').question?.id).toBe('hotel-booking');
    expect(resolveQuestion(shadowing, 'hotel booking').question?.id).toBe('hotel-booking');
    for (const id of REQUIRED) expect(resolveQuestion(bank, id).question?.id, id).toBe(id);
    expect(resolveQuestion(bank, 'expedia').question?.id).toBe('hotel-booking');
    expect(resolveQuestion(bank, 'plaid').question?.id).toBe('account-aggregation');
    expect(resolveQuestion(bank, 'robinhood').question?.id).toBe('brokerage');
  });

  it('suggests instead of guessing when nothing is close, and survives hostile input', () => {
    expect(resolveQuestion(bank, 'zzzzzzzzzz').question).toBeUndefined();
    expect(resolveQuestion(bank, '../../etc/passwd').question).toBeUndefined();
    expect(resolveQuestion(bank, 'a'.repeat(300)).question).toBeUndefined();
    expect(resolveQuestion(bank, 'x\0y').question).toBeUndefined();
    const r = resolveQuestion(bank, 'twiter');
    expect(r.question?.id ?? (r as { suggestions: { id: string }[] }).suggestions[0].id).toBe('twitter-timeline');
  });
});

describe('user questions', () => {
  it('adds a question dropped into ./templates/questions and lets --questions override it', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'templates/questions'), { recursive: true });
    writeFileSync(path.join(cwd, 'templates/questions/chess.md'), '---\nid: chess\ntitle: Design Online Chess\naliases: [lichess]\n---\nPlay chess online.\n');
    const extra = tempDir();
    writeFileSync(path.join(extra, 'chess.md'), '---\nid: chess\ntitle: Design Chess v2\n---\nRanked games.\n');
    expect((await loadBank(cwd)).find((q) => q.id === 'chess')?.title).toBe('Design Online Chess');
    expect((await loadBank(cwd, extra)).find((q) => q.id === 'chess')?.title).toBe('Design Chess v2');
  });

  it.each([
    ['bad YAML', '---\nid: bad\ntitle: [x\n---\nText\n', 3, /invalid YAML/],
    ['id not matching the file', '---\nid: other\ntitle: T\n---\nText\n', 2, /does not match the file name/],
    ['no title', '---\nid: bad\n---\nText\n', 2, /title/],
    ['unknown step in prompts', '---\nid: bad\ntitle: T\nprompts:\n  design: [x]\n---\nText\n', 4, /unknown step "design"/],
    ['no body', '---\nid: bad\ntitle: T\n---\n\n', 4, /no text/],
  ])('names the file and line of a malformed question: %s', async (_name, source, line, message) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.md'), source);
    const err = await loadBank(tempDir(), dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).file).toBe(path.join(dir, 'bad.md'));
    expect((err as ContentError).diagnostics[0]).toMatchObject({ line, text: expect.stringMatching(message) });
  });
});

describe('per-question examples in the generic prompts (issue 11 #5)', async () => {
  const bank = await loadBank(tempDir());
  const { renderSession } = await import('../src/core/write/template.js');
  const { parseQuestion } = await import('../src/core/parse/questions.js');
  const budget = Object.fromEntries(STEPS.map((s) => [s.id, s.minutes])) as Record<(typeof STEPS)[number]['id'], number>;
  const hintText = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('>'))
      .join('\n');
  const AIRBNB = ['POST /bookings', 'listingId', 'Book a stay', 'Guest -> API Gateway'];

  it("every preset brings its own endpoint, workflow and hop, and no other preset shows Airbnb's", () => {
    for (const q of bank) {
      expect(Object.keys(q.examples ?? {}).sort(), q.id).toEqual(['api', 'hop', 'workflow']);
      const hints = hintText(renderSession({ question: q, started: '2026-11-20T09:00:00.000Z', budget }));
      for (const example of Object.values(q.examples!)) expect(hints, q.id).toContain(example);
      if (q.id !== 'airbnb') for (const word of AIRBNB) expect(hints, `${q.id}: ${word}`).not.toContain(word);
    }
  });

  it("a question of the user's own without examples gets neutral placeholders, not another question's answer", () => {
    const q = parseQuestion('---\nid: chess\ntitle: Design online chess\n---\nPlayers play chess.\n', 'chess');
    const hints = hintText(renderSession({ question: q, started: '2026-11-20T09:00:00.000Z', budget }));
    expect(hints).toContain('`POST /<resources> {<request fields>} → 201 {<id>}`');
    expect(hints).toContain('`### Workflow: <what the user does>`');
    for (const word of AIRBNB) expect(hints).not.toContain(word);
  });

  it('refuses bad examples with the line and what to write', () => {
    const bad = (examples: string) => () => parseQuestion(`---\nid: chess\ntitle: Design online chess\n${examples}---\nPlayers play chess.\n`, 'chess');
    expect(bad('examples:\n  endpoint: "POST /games"\n')).toThrow(/unknown key "endpoint"/);
    expect(bad('examples:\n  hop: "Player sends a move"\n')).toThrow(/examples\.hop` must be a hop/);
    expect(bad('examples: [a, b]\n')).toThrow(/must map api, workflow and hop/);
    try {
      bad('examples:\n  hop: "Player sends a move"\n')();
    } catch (err) {
      expect((err as ContentError).diagnostics[0]).toMatchObject({ line: 4 });
    }
  });
});
