import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failuresToConsider, offerFor, tacticsFor } from '../src/core/derive/options.js';
import { ContentError } from '../src/core/errors.js';
import { CATEGORIES, mergePlaybooks, parsePlaybookFile } from '../src/core/parse/playbook.js';
import { parseSession } from '../src/core/parse/parse.js';
import { loadPlaybook } from '../src/io/bank.js';
import { checkSession } from '../src/core/check/index.js';
import { CATEGORIES as BUILT_IN } from '../src/core/check/match.js';
import { deriveHints } from '../src/core/derive/hints.js';
import { exampleSession } from './support/session.js';

const shipped = () => loadPlaybook(os.tmpdir());

function contentError(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContentError) return err;
    throw err;
  }
  throw new Error('expected a ContentError');
}

describe('the shipped playbook', () => {
  it('loads and validates: at least 50 tactics in every category and 20 failure modes with the method’s named ones', async () => {
    const book = await shipped();
    expect(book.tactics.length).toBeGreaterThanOrEqual(50);
    expect(new Set(book.tactics.map((t) => t.category))).toEqual(new Set(CATEGORIES));
    expect(book.failures.length).toBeGreaterThanOrEqual(20);
    expect(book.failures.filter((f) => f.required).map((f) => f.name)).toEqual([
      'memory leak',
      'cache misses',
      'message loss',
      'race condition and deadlock',
      'cascading failure',
      'third-party API down',
      'service overwhelmed',
      'DDoS',
      'node down',
      'cluster down',
      'deployment failure',
    ]);
    for (const t of book.tactics) expect(t.explain.length, t.id).toBeLessThan(160);
  });
});

describe('a malformed playbook file', () => {
  it('is reported at the file and line of the entry that is wrong', () => {
    const text = [
      'tactics:',
      '  - id: good-one',
      '    name: Good',
      '    category: efficiency',
      '    explain: x',
      '    serves: [latency]',
      '    costs: y',
      '    signals: [good]',
      '  - id: bad-one',
      '    name: Bad',
      '    category: speed',
      '    explain: x',
      '    serves: [latency]',
      '    costs: y',
      '    signals: [bad]',
      '',
    ].join('\n');
    const err = contentError(() => parsePlaybookFile(text, 'templates/playbook/mine.yaml'));
    expect(err.file).toBe('templates/playbook/mine.yaml');
    expect(err.diagnostics[0]).toMatchObject({ line: 11 });
    expect(err.diagnostics[0].text).toMatch(/`category: speed` is not one of scalability, consistency/);
  });

  it('names an unknown concern, a broken regex, a missing field and invalid YAML by line', () => {
    const entry = (extra: string[]) => ['tactics:', '  - id: t', '    name: T', '    category: efficiency', '    explain: x', '    costs: y', ...extra, ''].join('\n');
    expect(contentError(() => parsePlaybookFile(entry(['    serves: [speed]', '    signals: [a]']), 'f')).diagnostics[0]).toMatchObject({ line: 7, text: expect.stringMatching(/names "speed"/) });
    expect(contentError(() => parsePlaybookFile(entry(['    serves: [latency]', '    signals: ["a(b"]']), 'f')).diagnostics[0]).toMatchObject({
      line: 8,
      text: expect.stringMatching(/not a valid regular expression/),
    });
    expect(contentError(() => parsePlaybookFile(entry(['    signals: [a]']), 'f')).diagnostics[0].text).toMatch(/`serves:` must be a list/);
    expect(contentError(() => parsePlaybookFile('tactics:\n  - id: t\n    explain: a: b\n', 'f')).diagnostics[0]).toMatchObject({ line: 3 });
  });

  it('refuses an alternative that names no tactic, at the tactic’s line', async () => {
    const book = parsePlaybookFile(
      [
        'tactics:',
        '  - id: only',
        '    name: Only',
        '    category: efficiency',
        '    explain: x',
        '    serves: [latency]',
        '    costs: y',
        '    alternatives: [nowhere]',
        '    signals: [only]',
        '',
      ].join('\n'),
      'mine.yaml',
    );
    const base = await shipped();
    const err = contentError(() => mergePlaybooks([base, book]));
    expect(err.file).toBe('mine.yaml');
    expect(err.diagnostics[0]).toMatchObject({ line: 2, text: expect.stringMatching(/alternative "nowhere"/) });
  });
});

describe("the user's own playbook", () => {
  it('adds tactics and replaces a shipped one by id', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-playbook-'));
    await fs.mkdir(path.join(dir, 'templates/playbook'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'templates/playbook/mine.yaml'),
      [
        'tactics:',
        '  - id: cdn',
        '    name: Our own CDN',
        '    category: efficiency',
        '    explain: Edge boxes we run.',
        '    serves: [latency]',
        '    costs: We run them.',
        '    signals: [edge box]',
        '  - id: bulk-head-lite',
        '    name: Lite bulkheads',
        '    category: reliability',
        '    explain: One pool per tenant.',
        '    serves: [availability]',
        '    costs: Idle pools.',
        '    alternatives: [bulkheads]',
        '    signals: [pool per tenant]',
        '',
      ].join('\n'),
    );
    const book = await loadPlaybook(dir);
    expect(book.tactics.find((t) => t.id === 'cdn')?.name).toBe('Our own CDN');
    expect(book.tactics.find((t) => t.id === 'bulk-head-lite')?.file).toBe(path.join('templates', 'playbook', 'mine.yaml'));
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('options offered', () => {
  it('for latency: caches, CDNs and precomputation; for availability: replication and failover, never sharding', async () => {
    const book = await shipped();
    const latency = offerFor(book, 'latency', '').map((t) => t.id);
    expect(latency).toEqual(['cache-aside', 'cdn', 'materialized-views']);
    const availability = offerFor(book, 'availability', '').map((t) => t.id);
    expect(availability).toEqual(['replication-failover', 'multi-az', 'multi-region']);
    expect(tacticsFor(book, 'availability').map((t) => t.id)).not.toContain('sharding');
  });

  it('leaves out what the answer already uses', async () => {
    const book = await shipped();
    const offered = offerFor(book, 'latency', 'Listing pages are served from a CDN; search results are cached in Redis with a 60 s TTL.').map((t) => t.id);
    expect(offered).not.toContain('cdn');
    expect(offered).not.toContain('cache-aside');
    expect(offered[0]).toBe('materialized-views');
  });

  it('suggests the failure modes a design makes relevant: a queue brings poison messages, a cache a stampede', async () => {
    const book = await shipped();
    const session = parseSession(readFileSync('tests/fixtures/airbnb-complete.md', 'utf8'));
    const ids = failuresToConsider(book, session).map((f) => f.id);
    expect(ids).toContain('poison-message');
    expect(ids).toContain('database-failover');
    expect(ids).not.toContain('reconnect-storm');
    expect(ids).not.toContain('memory-leak');
  });
});

describe('hints that offer options', () => {
  it('an unaddressed latency requirement names latency tactics, with what each costs', async () => {
    const playbook = await shipped();
    const session = exampleSession({ 'requirements/non-functional': '- Search returns in under 200 ms at p99' });
    const finding = checkSession(session, { playbook }).findings.find((f) => f.id === 'nfr-unaddressed')!;
    expect(finding.hint).toBe('add a step 6 item for it (latency: e.g. Cache-aside (lazy loading); CDN and edge caching; Materialized views (precomputed reads))');
    const hint = deriveHints(session, checkSession(session, { playbook }), playbook).optimizations.find((h) => h.startsWith('nothing addresses'))!;
    expect(hint).toContain('options: Cache-aside (lazy loading) (costs: stale reads until the TTL or an invalidation');
  });

  it('an unaddressed availability requirement names replication and failover, and a scoped one names its flow', async () => {
    const playbook = await shipped();
    const session = exampleSession({ 'requirements/non-functional': '- Booking: 99.99% availability' });
    const finding = checkSession(session, { playbook }).findings.find((f) => f.id === 'nfr-unaddressed')!;
    expect(finding.text).toMatch(/^the availability requirement for booking "Booking: 99.99% availability"/);
    expect((finding.evidence!.options as { id: string }[]).map((o) => o.id)).toEqual(['replication-failover', 'multi-az', 'multi-region']);
  });

  it('a choice with no alternative hears what the playbook weighs against the tactic it names', async () => {
    const playbook = await shipped();
    const session = exampleSession({ 'architecture/choices': '- Choice: read replicas for the listing reads\n  - Why: reads are 100x writes\n  - Trade-off: replicas lag' });
    const finding = checkSession(session, { playbook }).findings.find((f) => f.id === 'choice-incomplete')!;
    expect(finding.hint).toBe('add `- Alternatives: …` under it (Read replicas is usually weighed against: Cache-aside (lazy loading); Sharding (partitioning the data))');
  });

  it("step 7's named categories come from the catalogue, the same as the built-in list", async () => {
    const required = (await shipped()).failures.filter((f) => f.required);
    expect(required.map((f) => [f.name, f.section, f.signals.map((r) => r.source).join('|')])).toEqual(BUILT_IN.map((c) => [c.name, c.section, c.pattern.source]));
  });

  it('step 7 hints suggest the failure modes the design makes relevant', async () => {
    const playbook = await shipped();
    const session = parseSession(readFileSync('tests/fixtures/airbnb-complete.md', 'utf8'));
    const hints = deriveHints(session, checkSession(session, { playbook }), playbook).failures;
    expect(hints).toContainEqual(expect.stringMatching(/^poison message and redelivery \(your design has a queue\): One message fails again/));
  });
});
