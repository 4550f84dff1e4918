import { describe, expect, it } from 'vitest';
import { checkSession, type Finding } from '../src/core/check/index.js';
import { readEstimate } from '../src/core/check/estimate.js';
import { STEPS } from '../src/core/method.js';
import { parseSession } from '../src/core/parse/parse.js';
import { exampleSession } from './support/session.js';
import { readFileSync } from 'node:fs';

const session = exampleSession;

function findings(answers: Record<string, string>, rule?: string): Finding[] {
  return checkSession(session(answers)).findings.filter((f) => !rule || f.id === rule);
}

const subjects = (fs: Finding[]) => fs.map((f) => f.subject);

const BASE = {
  workflows: '### Workflow: Book\n- Guest -> API Gateway: POST /bookings\n- API Gateway -> Booking Service: create booking\n- Booking Service -> Booking DB: insert booking',
  'workflows/components':
    '- Guest [client]: app\n- API Gateway [gateway]: routing, two instances behind DNS\n- Booking Service: bookings\n- Booking DB [database]: bookings, Postgres with a standby replica',
};

describe('requirement → API → workflow', () => {
  it('flags a functional requirement no endpoint serves, and not one whose nouns an endpoint shares', () => {
    const fs = findings({ ...BASE, 'requirements/functional': '- Guests can book a stay\n- Guests can leave reviews', 'api/external': '- `POST /bookings` {listingId} → 201' }, 'req-no-api');
    expect(subjects(fs)).toEqual(['Guests can leave reviews']);
    expect(fs[0]).toMatchObject({ severity: 'warning', step: 'api', line: expect.any(Number) });
  });

  it('flags an external endpoint no workflow calls, matching paths with ids and words when no path is written', () => {
    const api = ['- GET /listings/{id} → listing', '- POST /bookings → 201', '- DELETE /bookings/{id} → 204', '- GET /search?q=..'].join('\n');
    const flows = `${BASE.workflows}\n### Workflow: View\n- Guest -> API Gateway: GET /listings/42\n### Workflow: Find\n- Guest -> API Gateway: search listings`;
    const fs = findings({ ...BASE, workflows: flows, 'api/external': api }, 'api-unused');
    expect(subjects(fs)).toEqual(['DELETE /bookings/{id}']);
    expect(fs[0].severity).toBe('error');
  });

  it('matches RPC endpoints by name', () => {
    const fs = findings(
      { ...BASE, 'api/external': '- `bookStay(listingId, dates)` → bookingId\n- `cancelStay(bookingId)`', workflows: `${BASE.workflows}\n- Booking Service -> Booking DB: bookStay(listingId, dates)` },
      'api-unused',
    );
    expect(subjects(fs)).toEqual(['cancelStay']);
  });

  it('flags a workflow that starts inside the system', () => {
    const fs = findings({ ...BASE, workflows: `${BASE.workflows}\n### Workflow: Sync\n- Booking Service -> Booking DB: sync` }, 'workflow-entry');
    expect(subjects(fs)).toEqual(['Sync']);
  });
});

describe('components and the diagram', () => {
  it('flags undeclared, unused and duplicate components, and islands', () => {
    const answers = {
      workflows: `${BASE.workflows}\n### Workflow: Notify\n- Booking Svc -> Mailer: send email\n### Workflow: Report\n- Cron -> Reporter: nightly\n- Reporter -> Warehouse [database]: load`,
      'workflows/components': `${BASE['workflows/components']}\n- Search Service: unused here`,
    };
    const all = checkSession(session(answers)).findings;
    expect(subjects(all.filter((f) => f.id === 'component-undeclared'))).toEqual(['Mailer', 'Cron', 'Reporter', 'Warehouse [database]']);
    expect(subjects(all.filter((f) => f.id === 'component-unused'))).toEqual(['Search Service']);
    expect(subjects(all.filter((f) => f.id === 'component-duplicate'))).toEqual(['Booking Service / Booking Svc']);
    expect(subjects(all.filter((f) => f.id === 'diagram-island'))).toEqual(['Cron, Reporter, Warehouse [database]']);
  });

  it('asks for a Components list when the workflows name components and none are listed', () => {
    expect(subjects(findings({ workflows: BASE.workflows }, 'components-missing'))).toEqual(['Components']);
  });
});

describe('data', () => {
  it('flags a store with neither schema nor description', () => {
    const comps = `${BASE['workflows/components']}\n- Cache [cache]\n- Events [queue]`;
    const flows = `${BASE.workflows}\n- Booking Service -> Cache: set\n- Booking Service -> Events: publish`;
    expect(subjects(findings({ workflows: flows, 'workflows/components': comps, 'architecture/data-model': '- Events: bookingId uuid, type text' }, 'store-no-schema'))).toEqual(['Cache']);
  });

  it('flags a choice without why, alternatives or trade-off, naming what is missing', () => {
    const fs = findings(
      { ...BASE, 'architecture/choices': '- Choice: Postgres\n  - Why: transactions\n- Choice: Kafka\n  - Why: replay\n  - Alternatives: SQS\n  - Trade-off: ops cost' },
      'choice-incomplete',
    );
    expect(fs.map((f) => [f.subject, f.evidence?.missing])).toEqual([['Postgres', ['alternatives', 'trade-off']]]);
  });
});

describe('non-functional requirements and resilience', () => {
  it('flags a latency requirement nothing addresses, and not one a cache addresses', () => {
    const nfr = '- p99 latency under 100 ms\n- Bookings are never double-booked';
    expect(subjects(findings({ ...BASE, 'requirements/non-functional': nfr }, 'nfr-unaddressed'))).toEqual(['p99 latency under 100 ms', 'Bookings are never double-booked']);
    const opts = { 'optimizations/efficiency': '- Choice: Redis cache for listings', 'optimizations/cap': '- Choice: row locks in a transaction' };
    expect(findings({ ...BASE, 'requirements/non-functional': nfr, ...opts }, 'nfr-unaddressed')).toEqual([]);
  });

  it('flags stateful components with no redundancy, but not one whose replica is named, nor an alternative mentioning replicas', () => {
    const comps = `${BASE['workflows/components']}\n- Cache [cache]: Redis, hot listings\n- Photos [storage]: S3`;
    const flows = `${BASE.workflows}\n- Booking Service -> Cache: get\n- Booking Service -> Photos: put`;
    const choices = '- Choice: one Redis node\n  - Alternatives: Redis with replicas';
    expect(subjects(findings({ workflows: flows, 'workflows/components': comps, 'architecture/choices': choices }, 'spof'))).toEqual(['Cache']);
  });

  it('flags a replicated store without a consistency stance naming it', () => {
    const resilience = '- Choice: Booking DB with a synchronous replica';
    expect(subjects(findings({ ...BASE, 'optimizations/resilience': resilience }, 'cap-missing'))).toEqual(['Booking DB']);
    expect(findings({ ...BASE, 'optimizations/resilience': resilience, 'optimizations/cap': '- Choice: CP for bookings' }, 'cap-missing')).toEqual([]);
  });
});

describe('failures', () => {
  it('asks for empty sections, then for each category missing', () => {
    expect(subjects(findings({ ...BASE }, 'failures-empty'))).toEqual(['Small-scale failures', 'Large-scale failures']);
    const small = '- Memory leak: alerts on RSS\n- Cache stampede: request coalescing\n- Deadlock: lock ordering\n- Cascading failure: circuit breakers';
    const fs = findings({ ...BASE, 'failures/small-scale': small, 'failures/large-scale': '- DDoS: WAF' }, 'failure-category-missing');
    expect(subjects(fs).sort()).toEqual(['cluster down', 'deployment failure', 'message loss', 'node down', 'service overwhelmed', 'third-party API down']);
  });

  it('asks what happens when an external component is down, and about message loss on a queue', () => {
    const comps = `${BASE['workflows/components']}\n- Stripe [external]: payments\n- Events [queue]: Kafka`;
    const flows = `${BASE.workflows}\n- Booking Service -> Stripe: charge\n- Booking Service -> Events: publish`;
    const all = findings({ workflows: flows, 'workflows/components': comps, 'failures/large-scale': '- Node down: failover' });
    expect(subjects(all.filter((f) => f.id === 'external-no-down'))).toEqual(['Stripe']);
    expect(subjects(all.filter((f) => f.id === 'queue-no-loss'))).toEqual(['Events']);
    const covered = findings({
      workflows: flows,
      'workflows/components': comps,
      'failures/large-scale': '- Stripe down: queue charges and retry',
      'failures/small-scale': '- Kafka message loss: acks=all and idempotent consumers',
    });
    expect(covered.filter((f) => f.id === 'external-no-down' || f.id === 'queue-no-loss')).toEqual([]);
  });
});

describe('estimation', () => {
  const figures = '- DAU: 500M\n- messages per user per day: 40\n- message size: 100 B\n- retention: 30 days\n- peak factor: 3';

  it('computes QPS and storage from the written figures', () => {
    const e = readEstimate(session({ 'estimation/traffic': figures }).lines);
    expect(e.computed!.writeQps).toBeCloseTo((500e6 * 40) / 86400, 0);
    expect(e.computed!.storagePerDay).toBe(500e6 * 40 * 100);
    expect(e.computed!.storageTotal).toBe(500e6 * 40 * 100 * 30);
  });

  it('flags a quoted figure more than 10× off, and not one within it', () => {
    const fs = findings({ 'estimation/traffic': `${figures}\n- peak QPS: 50M\n- average QPS: ≈ 231K`, 'estimation/storage': '- storage: 60 TB' }, 'estimate-contradiction');
    expect(subjects(fs)).toEqual(['peak QPS: 50M']);
  });
});

describe('scores', () => {
  it('gives an empty session 0 and a complete one a high score, weighted by budget', () => {
    expect(checkSession(session({})).scores.overall).toBe(0);
    const complete = checkSession(parseSession(readFileSync(new URL('./fixtures/airbnb-complete.md', import.meta.url), 'utf8')));
    expect(complete.scores.overall).toBeGreaterThanOrEqual(90);
    expect(Object.keys(complete.scores.steps)).toEqual(STEPS.map((s) => s.id));
  });
});
