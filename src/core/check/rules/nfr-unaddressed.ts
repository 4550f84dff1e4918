import { offerFor } from '../../derive/options.js';
import type { Concern } from '../../parse/playbook.js';
import { quote } from '../../derive/prompt.js';
import { REDUNDANCY, claims, clip, unbullet } from '../match.js';
import { defineRule } from '../rule.js';

const NFR_FAMILIES: { name: string; concern: Concern; need: RegExp; remedy: RegExp; example: string }[] = [
  {
    name: 'latency',
    concern: 'latency',
    need: /latenc|\bfast\b|\d+ ?ms\b|millisecond|\bp9\d|response time|real[- ]?time|instant|snappy|within \d+ ?(ms|s|seconds?)\b/i,
    remedy: /latenc|cach|\bcdn\b|index|precomput|pre-comput|denormali|in[- ]?memory|\bmemory\b|\bram\b|\bedge\b|read replica|prefetch|pre-?warm|paginat|compress|websocket|connection pool|co-?locat|fan[- ]?out on write|materiali[sz]/i,
    example: 'a cache, a CDN, an index or precomputation',
  },
  {
    name: 'availability',
    concern: 'availability',
    need: /availab|uptime|99\.9|nines|downtime|fault[- ]?toleran|\bha\b|always (up|on)|no single point/i,
    remedy: new RegExp(`${REDUNDANCY.source}|retr(y|ies)|circuit|health ?check|graceful|degrad|fallback|stateless|load balanc|autoscal|auto-scal`, 'i'),
    example: 'replicas, failover, multi-AZ',
  },
  {
    name: 'consistency',
    concern: 'consistency',
    need: /consisten|double[- ]?(book|spend|charg)|exactly[- ]once|at[- ]most[- ]once|atomic|linearizab|oversell|never (charge|sold|sell|lose)|no (lost|duplicate)/i,
    remedy: /transaction|quorum|lock|idempot|serializ|consensus|raft|paxos|2pc|two[- ]phase|saga|outbox|version|compare[- ]and|\bcas\b|conditional|optimistic|pessimistic|fencing|unique|ledger|strong|synchronous|\bcp\b/i,
    example: 'transactions, locks, quorum or idempotency keys',
  },
  {
    name: 'scale',
    concern: 'throughput',
    need: /\bscal|million|billion|\bqps\b|\brps\b|throughput|concurren|\bpeak|\bdau\b|spike|\d+ ?[mbk]\b/i,
    remedy: /shard|partition|horizontal|autoscal|auto-scal|async|queue|stateless|load balanc|replica|cach|\bcdn\b|fan[- ]?out|batch|consistent hash/i,
    example: 'sharding, horizontal scaling, async work',
  },
  {
    name: 'durability',
    concern: 'durability',
    need: /durab|never lose|no data loss|data loss|lossless|persist/i,
    remedy: /replicat|backup|\bwal\b|write[- ]ahead|snapshot|fsync|multi[- ]?az|\bs3\b|erasure|raid|journal|commit log|synchronous|quorum|outbox/i,
    example: 'replication, backups, a write-ahead log',
  },
  {
    name: 'security',
    concern: 'security',
    need: /secur|authenticat|authoriz|encrypt|privacy|gdpr|\bpci\b|hipaa|abuse|fraud|spam/i,
    remedy: /secur|\btls\b|\bssl\b|encrypt|oauth|\bjwt\b|\btoken|rate[- ]?limit|\bwaf\b|\biam\b|\bkms\b|\bacls?\b|rbac|permission|\bauth(n|z|enticat\w*|ori[sz]\w*)?\b|captcha|fraud|signature|hmac|vault/i,
    example: 'TLS, auth tokens, rate limits',
  },
];

export default defineRule({
  id: 'nfr-unaddressed',
  severity: 'warning',
  step: 'optimizations',
  summary: 'a latency, availability, consistency, scale, durability or security requirement nothing in step 6 (or the step 5 choices) addresses',
  subject: "the requirement's text",
  examples: {
    notOk: [{ 'requirements/non-functional': '- Search returns in under 200 ms at p99' }, { 'requirements/non-functional': '- Never double-book a night', 'optimizations/resilience': '- Alternatives: row locks (rejected)' }],
    ok: [{ 'requirements/non-functional': '- Search returns in under 200 ms at p99', 'optimizations/efficiency': '- Cache search results for popular cities in Redis' }],
  },
  check(ctx) {
    // What the design does, not what it turned down or what it costs.
    const remedies = ctx.lines
      .filter((l) => l.step === 'optimizations' || (l.step === 'architecture' && l.section === 'choices'))
      .filter((l) => claims(l) && !/^[\s>*+\-\d.)]*\**\s*trade-?offs?\b/i.test(l.text))
      .map((l) => l.text)
      .join('\n');
    const answer = ctx.playbook ? ctx.lines.map((l) => l.text).join('\n') : '';
    return ctx.units
      .filter((l) => l.step === 'requirements' && l.section === 'non-functional' && /\S/.test(l.text))
      .flatMap((l) => {
        const text = unbullet(l.text);
        const families = NFR_FAMILIES.filter((f) => f.need.test(text));
        if (families.length === 0 || families.some((f) => f.remedy.test(remedies))) return [];
        const names = families.map((f) => f.name);
        // A requirement scoped to one flow ("Seat holds: strongly consistent", "For search, …") is named by it.
        const flow = /^(?:for\s+)?([A-Za-z][\w /-]{1,30}?)\s*(?::|,)\s+\S/i.exec(text)?.[1];
        // Options the candidate has not used yet, from the playbook, each with what it costs.
        const options = ctx.playbook ? offerFor(ctx.playbook, families[0].concern, answer).map((t) => ({ id: t.id, name: t.name, costs: t.costs })) : [];
        const example = options.length ? options.map((o) => o.name).join('; ') : families[0].example;
        return [ctx.report({ line: l.line, subject: text, message: `the ${names.join('/')} requirement${flow ? ` for ${flow.toLowerCase()}` : ''} "${clip(text)}" is addressed by no optimization or choice`, hint: `add a step 6 item for it (${names.join(', ')}: e.g. ${example})`, evidence: { families: names, ...(flow ? { flow } : {}), ...(options.length ? { options } : {}) } })];
      });
  },
  hint: {
    step: 'optimizations',
    text: (f) => {
      const options = (f.evidence?.options ?? []) as { name: string; costs: string }[];
      const offer = options.length ? `; options: ${options.map((o) => `${o.name} (costs: ${lower(o.costs)})`).join('; ')}` : '';
      return `nothing addresses ${quote(f.subject)} yet (from your requirement)${offer}`;
    },
  },
});

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}
