// What `sdp watch` writes back must be right (issue 11): no endpoints made from stray words,
// no hint citing the wrong step, no question that step 6 already answers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSession } from '../src/core/check/index.js';
import { describeEstimate, readEstimate } from '../src/core/check/estimate.js';
import { deriveHints } from '../src/core/derive/hints.js';
import { parseSession } from '../src/core/parse/parse.js';
import { exampleSession } from './support/session.js';

describe('API hints from requirements (issue 11 #4)', () => {
  const functional = [
    '1. Users can upload a photo with a caption.',
    '2. Users can follow other users.',
    '3. Users can view a feed of photos from people they follow, newest first.',
    '',
    'Photos are kept up to 30 days in the inbox; delivery is best effort, in the same order for everyone.',
  ].join('\n');

  it('suggests an endpoint only where the verb and object say so, pluralised properly, and nothing from stray words', () => {
    const api = deriveHints(exampleSession({ 'requirements/functional': functional })).api.join('\n');
    expect(api).toContain('`POST /photos` for "Users can upload a photo with a caption."');
    expect(api).toContain('`POST /users/{id}/follows`');
    expect(api).toContain('`GET /feeds`');
    for (const invented of ['/days', '/efforts', '/orders', '/everyones', '/firsts', '/captions', '/inboxs']) expect(api).not.toContain(invented);
  });

  it('asks instead of inventing a path for a requirement no endpoint serves', () => {
    const s = exampleSession({ 'requirements/functional': '- Users can see whether a contact is online\n- Users can send a message', 'api/external': '- `POST /messages` {to, body} → 201' });
    const api = deriveHints(s).api.join('\n');
    expect(api).toMatch(/no endpoint serves "Users can see whether a contact is online" yet: which call serves it/);
  });

  it('asks for an idempotency key where a requirement moves money or books, not on "the same order"', () => {
    expect(deriveHints(exampleSession({ 'requirements/functional': functional })).api.join('\n')).not.toMatch(/idempoten/i);
    expect(deriveHints(exampleSession({ 'requirements/functional': '- Guests can book a stay' })).api.join('\n')).toContain(
      '"Guests can book a stay" must not happen twice when a request is retried: an idempotency key',
    );
  });
});

describe('a requirement served by a frame, RPC or event (issue 11 #8)', () => {
  it('is served: no req-no-api, and the frame is called', () => {
    const s = exampleSession({
      'requirements/functional': '- Users can see whether a contact is online\n- Users can send a message',
      'api/external': '- presence-sub {userIds}\n- → send {to, body}',
      workflows: '### Workflow: Chat\n- Phone -> Chat Server: presence-sub {userIds}\n- Phone -> Chat Server: send frame',
      'workflows/components': '- Phone [client]: app\n- Chat Server: sockets',
    });
    const ids = checkSession(s).findings.map((f) => f.id);
    expect(ids).not.toContain('req-no-api');
    expect(ids).not.toContain('api-unused');
  });
});

describe('hints cite where things were written, and do not ask what step 6 answers (issue 11 #14)', () => {
  const answers = {
    workflows: '### Workflow: Send\n- Phone -> Chat Server: send\n- Chat Server -> Inbox DB: store',
    'workflows/components': '- Phone [client]: app\n- Chat Server: sockets\n- Inbox DB [database]: undelivered messages',
    'architecture/wiring': '- Chat Server -> Audit DB: append every message',
    'optimizations/resilience': '- Inbox DB: replication factor 3 across three AZs, automatic failover',
  };
  const session = exampleSession(answers);
  const check = checkSession(session);
  const hints = deriveHints(session, check);

  it('cites step 5 for a component only wired in step 5, and says it is wired, not in a workflow', () => {
    expect(hints.optimizations).toContain('Audit DB looks like a single point of failure: replicas? failover? (from step 5)');
    expect(hints.architecture.join('\n')).toContain('Audit DB has no schema yet (from step 5)');
    expect(check.findings.find((f) => f.id === 'component-undeclared')!.text).toMatch(/^Audit DB is wired in step 5 but is not in the Components list/);
  });

  it('does not ask in step 7 how a store fails over when step 6 says so', () => {
    expect(hints.failures.join('\n')).not.toContain('Inbox DB: how does it fail over');
    expect(hints.failures.join('\n')).toContain('Audit DB: how does it fail over, and what is lost? (from step 5)');
  });

  it('says retention in years, not "over 2555 days"', () => {
    const e = readEstimate(exampleSession({ 'estimation/storage': '- DAU: 10M\n- writes per user per day: 10\n- object size: 1 KB\n- retention: 7 years' }).lines);
    expect(describeEstimate(e).join('\n')).toMatch(/over 7 years/);
  });
});

describe('the chat corpus case (issue 11 #6): the replica is Inbox DB, not a new database', () => {
  it('gives Inbox DB (other region) no findings of its own and counts the two-name row as two components', () => {
    const s = parseSession(readFileSync(new URL('./fixtures/check/whatsapp-frames.md', import.meta.url), 'utf8'));
    const findings = checkSession(s).findings;
    expect(findings.filter((f) => /other region|Sender App, Recipient App|Chat Server \(/.test(f.subject))).toEqual([]);
    expect(s.components.map((c) => c.name)).toEqual(expect.arrayContaining(['Sender App', 'Recipient App', 'Chat Server', 'Inbox DB']));
    expect(s.components.filter((c) => /inbox/i.test(c.name))).toHaveLength(1);
  });
});
