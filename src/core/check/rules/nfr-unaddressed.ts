import { quote } from '../../derive/prompt.js';
import { REDUNDANCY, claims, clip, unbullet } from '../match.js';
import { defineRule } from '../rule.js';

const NFR_FAMILIES: { name: string; need: RegExp; remedy: RegExp; example: string }[] = [
  {
    name: 'latency',
    need: /latenc|\bfast\b|\d+ ?ms\b|millisecond|\bp9\d|response time|real[- ]?time|instant|snappy|within \d+ ?(ms|s|seconds?)\b/i,
    remedy: /latenc|cach|\bcdn\b|index|precomput|pre-comput|denormali|in[- ]?memory|\bmemory\b|\bram\b|\bedge\b|read replica|prefetch|pre-?warm|paginat|compress|websocket|connection pool|co-?locat|fan[- ]?out on write|materiali[sz]/i,
    example: 'a cache, a CDN, an index or precomputation',
  },
  {
    name: 'availability',
    need: /availab|uptime|99\.9|nines|downtime|fault[- ]?toleran|\bha\b|always (up|on)|no single point/i,
    remedy: new RegExp(`${REDUNDANCY.source}|retr(y|ies)|circuit|health ?check|graceful|degrad|fallback|stateless|load balanc|autoscal|auto-scal`, 'i'),
    example: 'replicas, failover, multi-AZ',
  },
  {
    name: 'consistency',
    need: /consisten|double[- ]?(book|spend|charg)|exactly[- ]once|at[- ]most[- ]once|atomic|linearizab|oversell|never (charge|sold|sell|lose)|no (lost|duplicate)/i,
    remedy: /transaction|quorum|lock|idempot|serializ|consensus|raft|paxos|2pc|two[- ]phase|saga|outbox|version|compare[- ]and|\bcas\b|conditional|optimistic|pessimistic|fencing|unique|ledger|strong|synchronous|\bcp\b/i,
    example: 'transactions, locks, quorum or idempotency keys',
  },
  {
    name: 'scale',
    need: /\bscal|million|billion|\bqps\b|\brps\b|throughput|concurren|\bpeak|\bdau\b|spike|\d+ ?[mbk]\b/i,
    remedy: /shard|partition|horizontal|autoscal|auto-scal|async|queue|stateless|load balanc|replica|cach|\bcdn\b|fan[- ]?out|batch|consistent hash/i,
    example: 'sharding, horizontal scaling, async work',
  },
  {
    name: 'durability',
    need: /durab|never lose|no data loss|data loss|lossless|persist/i,
    remedy: /replicat|backup|\bwal\b|write[- ]ahead|snapshot|fsync|multi[- ]?az|\bs3\b|erasure|raid|journal|commit log|synchronous|quorum|outbox/i,
    example: 'replication, backups, a write-ahead log',
  },
  {
    name: 'security',
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
    return ctx.units
      .filter((l) => l.step === 'requirements' && l.section === 'non-functional' && /\S/.test(l.text))
      .flatMap((l) => {
        const text = unbullet(l.text);
        const families = NFR_FAMILIES.filter((f) => f.need.test(text));
        if (families.length === 0 || families.some((f) => f.remedy.test(remedies))) return [];
        const names = families.map((f) => f.name);
        return [ctx.report({ line: l.line, subject: text, message: `the ${names.join('/')} requirement "${clip(text)}" is addressed by no optimization or choice`, hint: `add a step 6 item for it (${names.join(', ')}: e.g. ${families[0].example})`, evidence: { families: names } })];
      });
  },
  hint: { step: 'optimizations', text: (f) => `nothing addresses ${quote(f.subject)} yet (from your requirement)` },
});
