// Every rule's own examples: each not-ok snippet fires the rule, each ok snippet does not.
// The examples are also what a reader of the rule's file sees first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES, checkSession } from '../src/core/check/index.js';
import { parseSession } from '../src/core/parse/parse.js';
import { exampleSession } from './support/session.js';

describe.each(RULES.map((r) => [r.id, r] as const))('rule %s', (id, rule) => {
  it('has at least one example of each kind, and a summary and subject for the docs', () => {
    expect(rule.examples.notOk.length).toBeGreaterThan(0);
    expect(rule.examples.ok.length).toBeGreaterThan(0);
    expect(rule.summary).toMatch(/\S/);
    expect(rule.subject).toMatch(/\S/);
  });

  it.each(rule.examples.notOk.map((e, i) => [i, e] as const))('fires on not-ok example %i', (_, example) => {
    const findings = checkSession(exampleSession(example)).findings.filter((f) => f.id === id);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f).toMatchObject({ severity: rule.severity, ...(typeof rule.step === 'string' ? { step: rule.step } : {}) });
  });

  it.each(rule.examples.ok.map((e, i) => [i, e] as const))('is silent on ok example %i', (_, example) => {
    expect(checkSession(exampleSession(example)).findings.filter((f) => f.id === id)).toEqual([]);
  });
});

describe('the registry', () => {
  it('has one rule per id', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps no state between runs: A, then B, then A again give the same findings', () => {
    const read = (name: string) => parseSession(readFileSync(new URL(`./fixtures/check/${name}.md`, import.meta.url), 'utf8'));
    // Two sessions whose components share names and technologies, so per-session counts matter.
    const a = read('uber-prose');
    const b = read('whatsapp-mid');
    const first = checkSession(a);
    const other = checkSession(b);
    expect(checkSession(read('uber-prose'))).toEqual(first);
    expect(checkSession(a)).toEqual(first);
    expect(checkSession(read('whatsapp-mid'))).toEqual(other);
  });

  it('counts technologies per session: "MySQL" names Booking DB only where one store uses MySQL', () => {
    const flow =
      '### Workflow: Book\n- Guest -> API Gateway: POST /bookings\n- API Gateway -> Booking Service: create booking\n- Booking Service -> Booking DB: insert\n- Booking Service -> Audit DB: append';
    const listed = '- Guest [client]: app\n- API Gateway [gateway]: routing, two instances\n- Booking Service: bookings\n- Booking DB [database]: bookings in MySQL';
    const resilience = '- MySQL runs with a standby replica in a second AZ';
    const spofs = (audit: string) =>
      checkSession(exampleSession({ workflows: flow, 'workflows/components': `${listed}\n- Audit DB [database]: ${audit}`, 'optimizations/resilience': resilience }))
        .findings.filter((f) => f.id === 'spof')
        .map((f) => f.subject);
    const alone = spofs('audit log in Cassandra, three replicas');
    expect(alone).toEqual([]);
    expect(spofs('audit log, also MySQL')).toEqual(['Booking DB', 'Audit DB']);
    expect(spofs('audit log in Cassandra, three replicas')).toEqual(alone);
  });
});
