// Word patterns and matchers shared by several rules. Constants only: what depends on the
// session under check (aliases, memo caches) lives in the per-run context.
import type { Concern } from '../parse/playbook.js';
import type { AnswerLine, Endpoint } from '../session.js';
import { keywords } from '../words.js';

export const TECH =
  /\b(postgres(?:ql)?|mysql|aurora|redis|memcached?|kafka|rabbitmq|sqs|sns|kinesis|pulsar|nats|s3|gcs|dynamo(?:db)?|cassandra|scylla(?:db)?|mongo(?:db)?|elasticsearch|opensearch|hbase|bigtable|spanner|cockroach(?:db)?|zookeeper|etcd|nginx|haproxy|envoy|cloudfront|akamai|fastly|stripe|twilio|sendgrid|apns|fcm|clickhouse|druid|flink|spark|pinot|snowflake|bigquery|redshift|vitess|citus|tidb|neo4j|influxdb|timescale(?:db)?|hdfs|ceph|minio)\b/gi;
export const GENERIC_NAME_WORDS = new Set([
  'service',
  'services',
  'server',
  'api',
  'provider',
  'external',
  'third',
  'party',
  'system',
  'the',
  'db',
  'database',
  'store',
  'cache',
  'queue',
  'storage',
  'cluster',
  'worker',
  'app',
  'client',
  'gateway',
  'layer',
  'engine',
  'data',
]);

/** A line that states something about the design, not an alternative that was turned down. */
export function claims(line: AnswerLine): boolean {
  return !/^[\s>*+\-\d.)]*\**\s*(alternatives?|instead of|rejected)\b/i.test(line.text);
}

export const REDUNDANCY =
  /replica|replicat|fail ?over|fail-over|redundan|multi[- ]?az|multi[- ]?region|cluster|standby|stand-by|active[- ](active|passive)|sentinel|quorum|leader election|secondary|backup|hot spare|multiple (instances|nodes|servers)|ha pair|high availability|\bha\b|mirror|raft|paxos|more than one|\bn\+1\b|\b(\d+\+?|two|three|several|multiple|many) (instances|nodes|replicas|servers|copies|hosts|pods)\b|\b(one|a|an|\d+|two|three|instances?|replicas?|cop(y|ies)|pods?|nodes?|servers?|sidecars?|agents?|daemons?|processes|process) ([\w-]+ )?per (az|zone|region|node|host)\b|\b(on|in) (every|each) (\w+ )?(node|host|az|zone|region)\b|\bfleet\b|autoscal|auto-scal|horizontally scaled|\b(\d+|two|three|several|multiple|every|each|all) (azs?|availability zones?|zones|regions)\b/i;
export const REPLICATED = /replica|replicat|multi[- ]?region|multi[- ]?az|quorum/i;
export const STANCE =
  /\bcp\b|\bap\b|\bcap\b|pacelc|consisten|linearizab|eventual|serializab|read[- ](your|after)[- ]writes?|strong(ly)? consistent|quorum|(availability|consistency) (first|over)|favou?rs? (consistency|availability)|prefers? (consistency|availability)/i;
export const MANAGED_STORAGE = /\bs3\b|\bgcs\b|blob|object stor/i;
export const DOWN = /down|outage|unavailable|fail|timeout|times out|slow|error|degrad|unreachable|dies|crash|not respond|\bstops?\b|stall|offline|backs? up|lags?\b|goes away|rejects?/i;

// matchAll needs a global regex: one copy per pattern made here, not one per line. Never
// mutated after load (matchAll clones it), so the core stays safe to call twice.
const GLOBALS = new Map([REDUNDANCY, REPLICATED].map((p) => [p, new RegExp(p.source, 'gi')]));

/**
 * Does the text state this, rather than deny it? "no replica", "without failover" and
 * "replication factor 1" mention redundancy only to say there is none.
 */
export function affirms(pattern: RegExp, text: string): boolean {
  if (!pattern.test(text)) return false;
  const global = GLOBALS.get(pattern) ?? new RegExp(pattern.source, 'gi');
  for (const m of text.matchAll(global)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    // "no replica", "a single node"; but "one replica" and "a single standby" say there is a copy.
    const copy = /^(replica|replicat|standby|stand-by|secondary|backup|mirror|hot spare)/i.test(m[0]);
    if (/\b(no|without|not|never|zero|lacks?|isn'?t|aren'?t)\s+(\w+\s+){0,2}$/i.test(before)) continue;
    if (!copy && /\b(single|only one|one)\s+(\w+\s+){0,2}$/i.test(before)) continue;
    if (/^\w*\s*(factor\s*(of\s*)?|=\s*|:\s*)1\b/i.test(after)) continue;
    return true;
  }
  return false;
}

/** A list item's text without its bullet or number. */
export function unbullet(text: string): string {
  return text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
}

export function clip(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

// ---------------------------------------------------------------- endpoints

export const HTTP_IN_TEXT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|WS|WSS)?\s*(\/[^\s`|*,;)\]]*)/g;

export function pathSegments(path: string): string[] {
  return path
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => (/^[{:<[]/.test(s) || /^\d+$/.test(s) || /^[0-9a-f-]{8,}$/i.test(s) ? '*' : s.toLowerCase()));
}

export function samePath(a: string, b: string): boolean {
  const x = pathSegments(a);
  const y = pathSegments(b);
  return x.length === y.length && x.every((s, i) => s === y[i] || s === '*' || y[i] === '*');
}

/** The words an endpoint is about: its static path segments, or the words of a frame's, RPC's or event's name. */
export function staticWords(e: Endpoint): string[] {
  if (e.kind !== 'http') return [...keywords(e.path)];
  return pathSegments(e.path)
    .filter((s) => s !== '*' && s !== 'api' && !/^v\d+$/.test(s))
    .flatMap((s) => [...keywords(s)]);
}

// ---------------------------------------------------------------- failures (step 7)

export const FAILURE_SECTIONS = [
  { id: 'small-scale', title: 'Small-scale failures' },
  { id: 'large-scale', title: 'Large-scale failures' },
] as const;

export const CATEGORIES: { name: string; section: 'small-scale' | 'large-scale'; pattern: RegExp }[] = [
  { name: 'memory leak', section: 'small-scale', pattern: /memory|leak|\boom\b|heap/i },
  { name: 'cache misses', section: 'small-scale', pattern: /cache[^.:]{0,20}(miss|stampede|down|fail|outage|cold|evict)|cold cache|thundering herd|stampede|miss(es)? on the cache/i },
  {
    name: 'message loss',
    section: 'small-scale',
    pattern: /message[^.:]{0,15}(los|lost|drop)|lost (message|event)|(event|message)s? (are |is )?lost|duplicate|at[- ]least[- ]once|exactly[- ]once|outbox|\bdlq\b|dead[- ]letter/i,
  },
  { name: 'race condition and deadlock', section: 'small-scale', pattern: /race|deadlock|concurrent (write|update)|lock/i },
  { name: 'cascading failure', section: 'small-scale', pattern: /cascad|circuit[- ]?break|bulkhead|backpressure|retry storm/i },
  { name: 'third-party API down', section: 'large-scale', pattern: /third[- ]?party|3rd[- ]?party|provider|external (api|service|dependency)|vendor|partner/i },
  {
    name: 'service overwhelmed',
    section: 'large-scale',
    pattern: /overwhelm|overload|surge|load[- ]?shed|throttl|rate[- ]?limit|backpressure|traffic (spike|burst)|flash (crowd|sale)|hot (key|partition|shard)|spike/i,
  },
  { name: 'DDoS', section: 'large-scale', pattern: /ddos|denial[- ]of[- ]service|botnet|\bbots?\b|\bflood|\bwaf\b/i },
  {
    name: 'node down',
    section: 'large-scale',
    pattern:
      /(node|server|instance|host|pod|machine|broker|shard|replica|worker|container)s? (is |are |goes |go )?(down|fail|crash|die|dies|dead|lost|outage)|(node|server|instance|pod|machine|host) (failure|crash|loss)/i,
  },
  { name: 'cluster down', section: 'large-scale', pattern: /cluster|region|data ?cent(er|re)|\baz\b|availability zone|zone (down|outage|failure)/i },
  { name: 'deployment failure', section: 'large-scale', pattern: /deploy|release|rollout|roll[- ]?back|canary|bad (push|config)|blue[- ]green/i },
];

/** The non-functional concerns a requirement can name: what shows it (`need`), what in steps 5-6 answers it (`remedy`), the playbook concern it maps to. */
export const NFR_FAMILIES: { name: string; concern: Concern; need: RegExp; remedy: RegExp; example: string }[] = [
  {
    name: 'latency',
    concern: 'latency',
    need: /latenc|\bfast\b|\d+ ?ms\b|millisecond|\bp9\d|response time|real[- ]?time|instant|snappy|within \d+ ?(ms|s|seconds?)\b/i,
    remedy:
      /latenc|cach|\bcdn\b|index|precomput|pre-comput|denormali|in[- ]?memory|\bmemory\b|\bram\b|\bedge\b|read replica|prefetch|pre-?warm|paginat|compress|websocket|connection pool|co-?locat|fan[- ]?out on write|materiali[sz]/i,
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
    remedy:
      /transaction|quorum|lock|idempot|serializ|consensus|raft|paxos|2pc|two[- ]phase|saga|outbox|version|compare[- ]and|\bcas\b|conditional|optimistic|pessimistic|fencing|unique|ledger|strong|synchronous|\bcp\b/i,
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
    remedy:
      /secur|\btls\b|\bssl\b|encrypt|oauth|\bjwt\b|\btoken|rate[- ]?limit|\bwaf\b|\biam\b|\bkms\b|\bacls?\b|rbac|permission|\bauth(n|z|enticat\w*|ori[sz]\w*)?\b|captcha|fraud|signature|hmac|vault/i,
    example: 'TLS, auth tokens, rate limits',
  },
];
