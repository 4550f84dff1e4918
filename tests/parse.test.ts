import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContentError } from '../src/core/errors.js';
import { parseSession } from '../src/core/parse/parse.js';
import { readNames } from '../src/core/parse/components.js';
import type { Session } from '../src/core/session.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const complete = fixture('airbnb-complete.md');

function step(session: Session, id: string) {
  return session.steps.find((s) => s.id === id)!;
}

function answer(session: Session, stepId: string, sectionId: string) {
  return step(session, stepId).sections.find((s) => s.id === sectionId)?.answer;
}

function errorOf(source: string): ContentError {
  try {
    parseSession(source);
  } catch (err) {
    if (err instanceof ContentError) return err;
    throw err;
  }
  throw new Error('expected a ContentError');
}

describe('parseSession on a complete session', () => {
  const session = parseSession(complete);

  it('reads the frontmatter', () => {
    expect(session.frontmatter).toMatchObject({ sdp: 1, question: 'airbnb', title: 'Design Airbnb', started: '2026-11-20T09:00:00.000Z' });
    expect(session.frontmatter.budget).toEqual({ requirements: 5, estimation: 4, api: 5, workflows: 8, architecture: 10, optimizations: 7, failures: 6 });
  });

  it('finds all seven steps and their sections, with answers free of hint text', () => {
    expect(session.steps.map((s) => s.present)).toEqual([true, true, true, true, true, true, true]);
    expect(answer(session, 'requirements', 'functional')).toMatch(/^- Guests can search listings/);
    expect(answer(session, 'requirements', 'out-of-scope')).toBe('- Reviews, messaging, dynamic pricing, identity verification.');
    for (const s of session.steps) for (const sec of s.sections) expect(sec.answer).not.toMatch(/sdp:hint|^>/m);
    expect(session.question).toMatch(/^Design a marketplace/);
    expect(session.diagnostics).toEqual([]);
  });

  it('reads workflows as ordered edges with their lines', () => {
    expect(session.workflows.map((w) => [w.name, w.edges.length])).toEqual([
      ['Book a stay', 6],
      ['Search stays', 4],
      ['Host lists a place', 4],
      ['View a listing', 3],
      ['Host blocks dates', 3],
    ]);
    const first = session.workflows[0].edges[0];
    expect(first).toMatchObject({ from: 'Guest', to: 'API Gateway', action: 'POST /bookings' });
    expect(complete.split('\n')[first.line - 1]).toBe('1. Guest -> API Gateway: POST /bookings');
  });

  it('types components from tags, and infers the rest from names', () => {
    const byName = Object.fromEntries(session.components.map((c) => [c.name, c]));
    expect(byName['Booking DB']).toMatchObject({ type: 'database', typed: true, responsibility: 'Postgres, listings, calendar and bookings' });
    expect(byName['Search Service']).toMatchObject({ type: 'service', typed: false });
    expect(byName['Payment Provider'].type).toBe('external');
    expect(session.components).toHaveLength(15);
  });

  it('reads wiring, data model, choices and failures', () => {
    expect(session.wiring.map((e) => `${e.from}>${e.to}`)).toEqual(['Listing Service>Booking Events', 'Booking Events>Search Indexer', 'Search Indexer>Search Index', 'CDN>Photo Storage']);
    expect(session.dataModel.map((e) => e.name)).toEqual(['Listings', 'Calendar', 'Bookings', 'Search Index']);
    expect(session.dataModel[1].fields).toContain('status enum(free, held, booked)');
    expect(session.choices).toHaveLength(7);
    expect(session.choices.every((c) => c.why && c.alternatives && c.tradeoff)).toBe(true);
    expect(session.choices[2]).toMatchObject({ where: 'optimizations/cap', text: 'CP for the calendar and bookings, AP for search' });
    expect(session.failures.filter((f) => f.section === 'large-scale').map((f) => f.failure)).toEqual([
      'Third-party API down',
      'Service overwhelmed',
      'DDoS',
      'Node down',
      'Cluster down',
      'Deployment failure',
    ]);
  });

  it('gives the same structure for CRLF with a BOM, tabs kept', () => {
    const crlf = parseSession(`\uFEFF${complete.replace(/\n/g, '\r\n')}`);
    const strip = (s: Session) => JSON.stringify({ ...s, owned: [], steps: s.steps.map((x) => ({ ...x, span: null, sections: x.sections.map((y) => ({ ...y, span: null })) })), bodyStart: 0 });
    expect(strip(crlf)).toEqual(strip(session));
  });
});

describe('parseSession tolerates how people really write', () => {
  const session = parseSession(fixture('renamed-headings.md'));

  it('matches steps by number or name in any order, and keeps extra sections', () => {
    expect(step(session, 'api').present).toBe(true);
    expect(step(session, 'api').preamble).toMatch(/POST \/urls/);
    expect(answer(session, 'requirements', 'functional')).toMatch(/shorten/);
    expect(answer(session, 'requirements', 'non-functional')).toBe('- p99 redirect under 50 ms.');
    const extra = step(session, 'requirements').sections.find((s) => !s.known)!;
    expect(extra).toMatchObject({ id: 'assumptions', title: 'Assumptions', answer: '- Links never expire.' });
    expect(step(session, 'estimation').present).toBe(false);
    expect(step(session, 'failures').sections).toEqual([]);
    expect(step(session, 'failures').preamble).toMatch(/Cache down/);
  });

  it('reads numbered, nested, bold and code-span workflow lines and unicode arrows', () => {
    expect(session.workflows).toHaveLength(1);
    expect(session.workflows[0].name).toBe('Redirect');
    expect(session.workflows[0].edges.map((e) => [e.from, e.to, e.action])).toEqual([
      ['Browser', 'Edge LB', 'GET /abc123'],
      ['Edge LB', 'Redirect Service', 'resolve abc123'],
      ['Redirect Service', 'Link Cache', 'get abc123'],
      ['Redirect Service', 'Link DB', 'on cache miss'],
    ]);
  });

  it('reads components from a table, SQL DDL for the data model, and choices with continuation lines', () => {
    const types = Object.fromEntries(session.components.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ 'Redirect Service': 'service', 'Link Cache': 'cache', 'Link DB': 'database', 'Edge LB': 'load-balancer', Browser: 'client' });
    expect(session.dataModel).toEqual([{ name: 'links', fields: ['code varchar(10) PRIMARY KEY', 'long_url text NOT NULL', 'created_at timestamp', 'UNIQUE (long_url)'], line: expect.any(Number) }]);
    expect(session.choices).toEqual([
      expect.objectContaining({ text: 'base62 codes from a counter', why: 'short and collision free', alternatives: 'hashing the URL', tradeoff: 'the counter needs coordination' }),
    ]);
  });
});

describe('workflow lines that do not parse', () => {
  const source = `---\nsdp: 1\nquestion: x\n---\n## 4. Workflows\n### Workflow: a\n- -> B: start\n- A -> : nothing\n- A -> B -> C: chain\n- A -> B: fine\nPlain prose is ignored.\n`;
  const session = parseSession(source);

  it('keeps the good edge and points at each bad line with the expected form', () => {
    expect(session.workflows[0].edges).toEqual([{ from: 'A', to: 'B', action: 'fine', line: 10 }]);
    expect(session.diagnostics.map((d) => d.line)).toEqual([7, 8, 9]);
    expect(session.diagnostics.every((d) => d.hint === 'ComponentA -> ComponentB: action' && d.severity === 'warning')).toBe(true);
    expect(session.diagnostics[2].text).toMatch(/one hop per line/);
  });
});

describe('hint markers', () => {
  it('reads text of a block with a deleted end marker as an answer, with a warning', () => {
    const source = '---\nsdp: 1\nquestion: x\n---\n## 1. Requirements\n### Functional\n<!-- sdp:hint requirements/functional -->\n> prompt\nUsers can book\n';
    const session = parseSession(source);
    expect(answer(session, 'requirements', 'functional')).toMatch(/Users can book/);
    expect(session.diagnostics).toEqual([expect.objectContaining({ line: 7, severity: 'warning', id: 'marker-unclosed', text: expect.stringMatching(/no end marker/) })]);
  });

  it('does not treat markers inside an answer line as markers', () => {
    const source = '---\nsdp: 1\nquestion: x\n---\n## 1. Requirements\n### Functional\nsee <!-- sdp:hint x --> here\n';
    expect(answer(parseSession(source), 'requirements', 'functional')).toBe('see <!-- sdp:hint x --> here');
  });
});

describe('bad input: clear errors with lines, nothing evaluated', () => {
  it('refuses an empty file and a file without frontmatter', () => {
    expect(errorOf('').diagnostics[0]).toMatchObject({ line: 1, text: expect.stringMatching(/empty/) });
    expect(errorOf('\uFEFF  \n').diagnostics[0].text).toMatch(/empty/);
    expect(errorOf('# Just notes\n').diagnostics[0]).toMatchObject({ line: 1, text: expect.stringMatching(/no frontmatter/), hint: expect.any(String) });
  });

  it('points at the line of invalid YAML, every time (no cached {} on a second parse)', () => {
    const source = '---\nsdp: 1\nquestion: airbnb\ntitle: [unclosed\n---\nbody\n';
    expect(errorOf(source).diagnostics[0]).toMatchObject({ line: 4, id: 'yaml-invalid', text: expect.stringMatching(/invalid YAML/) });
    expect(errorOf(source).diagnostics[0].line).toBe(4);
  });

  it('refuses an unknown format version, a missing version and an unclosed frontmatter', () => {
    expect(errorOf('---\nquestion: airbnb\nsdp: 99\n---\n').diagnostics[0]).toMatchObject({ line: 3, text: expect.stringMatching(/unknown session format version 99/) });
    expect(errorOf('---\nquestion: airbnb\n---\n').diagnostics[0].text).toMatch(/no `sdp:`/);
    expect(errorOf('---\nsdp: 1\nquestion: airbnb\n\n# Title\n').diagnostics[0].text).toMatch(/not closed/);
  });

  it('never evaluates ---js or ---javascript frontmatter', () => {
    const g = globalThis as { sdpPwned?: boolean };
    for (const lang of ['js', 'javascript', 'JS', 'coffee']) {
      const err = errorOf(`---${lang}\n{ sdp: 1, question: (globalThis.sdpPwned = true, 'x') }\n---\nbody\n`);
      expect(err.diagnostics[0].text).toMatch(/not allowed/);
    }
    expect(g.sdpPwned).toBeUndefined();
  });

  it('refuses a YAML alias bomb and a huge frontmatter quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(errorOf(`---\nsdp: 1\nquestion: x\n${levels.join('\n')}\n---\n`).diagnostics[0].text).toMatch(/refused|alias/i);
    const huge = `---\nsdp: 1\nquestion: x\nnotes: "${'x'.repeat(200_000)}"\n---\n`;
    expect(errorOf(huge).diagnostics[0].text).toMatch(/larger than/);
  });

  it('keeps unquoted timestamps as text rather than Date objects', () => {
    const s = parseSession('---\nsdp: 1\nquestion: x\nstarted: 2026-11-20T09:00:00Z\n---\n');
    expect(s.frontmatter.started).toBe('2026-11-20T09:00:00Z');
  });
});

describe('component lists and replicas (issue 11 #6)', () => {
  const head = '---\nsdp: 1\nquestion: whatsapp\n---\n';
  const session = parseSession(
    `${head}## 4. Workflows\n### Workflow: Send\nSender App -> Chat Server (A): send {to, body}\nChat Server (A) -> Chat Server (B): forward\nChat Server (B) -> Recipient App: deliver\nChat Server -> Inbox DB (replica): read unread\n### Components\n| Component | Type | Role |\n|---|---|---|\n| Sender App, Recipient App | client | phones |\n| Chat Server (A, B) | service | holds connections |\n| Inbox DB | database | undelivered messages |\n| Search and Discovery Service | service | search |\n- Auth Service / Key Service [service]: logins and keys\n- Pub/Sub: fan-out\n## 5. Architecture\n### Wiring\n- Inbox DB -> Inbox DB (other region): async replication\n- Chat Server -> Sender App and Recipient App: push receipts\n`,
  );
  const names = session.components.map((c) => c.name);

  it('reads a row or bullet naming two components as two, and keeps names that merely contain "and" or "/"', () => {
    expect(names).toEqual(['Sender App', 'Recipient App', 'Chat Server', 'Inbox DB', 'Search and Discovery Service', 'Auth Service', 'Key Service', 'Pub/Sub']);
    expect(session.components.find((c) => c.name === 'Recipient App')).toMatchObject({ type: 'client', responsibility: 'phones' });
  });

  it('reads `X (A, B)` as instances of X, in tables and in hops', () => {
    expect(session.components.find((c) => c.name === 'Chat Server')!.instances).toEqual(['A', 'B']);
    expect(session.workflows[0].edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'Sender App -> Chat Server',
      'Chat Server -> Chat Server',
      'Chat Server -> Recipient App',
      'Chat Server -> Inbox DB',
    ]);
  });

  it('reads a replica edge as a fact about the store, not a new database', () => {
    expect(names.filter((n) => /inbox/i.test(n))).toEqual(['Inbox DB']);
    expect(session.replications).toEqual([{ component: 'Inbox DB', replica: 'other region', how: 'async replication', line: 22 }]);
    expect(session.components.find((c) => c.name === 'Inbox DB')!.replicas).toEqual(['replica', 'other region']);
    expect(session.wiring.map((e) => `${e.from} -> ${e.to}`)).toEqual(['Chat Server -> Sender App', 'Chat Server -> Recipient App']);
  });

  it.each([
    ['Inbox DB (standby)', 'standby'],
    ['Inbox DB (read replica)', 'read replica'],
    ['Inbox DB (secondary)', 'secondary'],
    ['Inbox DB (us-east)', 'us-east'],
    ['Inbox DB (eu-west-1)', 'eu-west-1'],
    ['Inbox DB (replica 2)', 'replica 2'],
  ])('%s is a copy of Inbox DB', (written, note) => {
    expect(readNames(written)).toEqual([{ name: 'Inbox DB', replica: note }]);
  });

  it.each(['Worker (Go)', 'Trust & Safety Service', 'Read/Write API', 'Web and Mobile Clients'])('%s stays one name as written', (written) => {
    expect(readNames(written)).toEqual([{ name: written }]);
  });
});

describe('APIs that are not HTTP (issue 11 #8)', () => {
  const head = '---\nsdp: 1\nquestion: whatsapp\n---\n## 3. API design\n### External\n';
  const api = (body: string) => parseSession(`${head}${body}\n`).endpoints.map((e) => [e.kind, e.method, e.path, e.direction ?? '']);

  it('reads WebSocket frames in lists, tables and with direction arrows', () => {
    expect(
      api(
        'WebSocket frames:\n- `presence-sub {userIds}`\n- → send {to, body, clientMsgId}\n- ← message {from, body, serverTs}\n- C→S: typing_start {chatId}\n\n| Frame | Payload |\n|---|---|\n| ack | {messageIds} |',
      ),
    ).toEqual([
      ['ws-frame', 'FRAME', 'presence-sub', ''],
      ['ws-frame', 'FRAME', 'send', 'up'],
      ['ws-frame', 'FRAME', 'message', 'down'],
      ['ws-frame', 'FRAME', 'typing_start', 'up'],
      ['ws-frame', 'FRAME', 'ack', ''],
    ]);
  });

  it('reads gRPC methods, dotted calls and events, and keeps HTTP as it was', () => {
    expect(
      api(
        '```proto\nservice ChatService {\n  rpc SendMessage(SendRequest) returns (SendResponse);\n}\n```\n- `ChatService.Send(msg)`\n- event order.created {orderId}\n- Events `PostCreated {postId}` and `PostRemoved {postId}` on the queue\n1. POST /groups {name, members[]} → 201\n2. `PUT /keys` {identityKey}',
      ),
    ).toEqual([
      ['rpc', 'RPC', 'SendMessage', ''],
      ['rpc', 'RPC', 'ChatService.Send', ''],
      ['event', 'EVENT', 'order.created', ''],
      ['event', 'EVENT', 'PostCreated', ''],
      ['event', 'EVENT', 'PostRemoved', ''],
      ['http', 'POST', '/groups', ''],
      ['http', 'PUT', '/keys', ''],
    ]);
  });

  it('does not read prose, payload shapes or proto messages as APIs', () => {
    expect(
      api('All calls carry a bearer token.\n- Pagination {cursor} on every list\n```proto\nmessage SendRequest {\n  string to = 1;\n}\n```\n- Stats Worker reads click events from the queue'),
    ).toEqual([]);
  });
});
