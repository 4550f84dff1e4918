// checkSession: completeness rules over a parsed session. Pure. Each rule is a function
// from the session to findings; precision matters more than recall, so a rule stays
// silent whenever it cannot tell.
import { componentKey, isDataStore } from '../parse/components.js';
import { candidates, readEstimate, type Estimate } from './estimate.js';
import { STEPS, type StepId } from '../method.js';
import { stepStatus } from '../derive/status.js';
import { readTiming } from '../derive/timing.js';
import type { AnswerLine, Component, Edge, Endpoint, Session } from '../session.js';
import { normalizeName } from '../text.js';
import { GENERIC, keywords, shared, stems } from '../words.js';

export type RuleId =
  | 'req-no-api'
  | 'api-unused'
  | 'workflow-entry'
  | 'components-missing'
  | 'component-undeclared'
  | 'component-unused'
  | 'component-duplicate'
  | 'diagram-island'
  | 'store-no-schema'
  | 'choice-incomplete'
  | 'nfr-unaddressed'
  | 'cap-missing'
  | 'spof'
  | 'failures-empty'
  | 'failure-category-missing'
  | 'external-no-down'
  | 'queue-no-loss'
  | 'estimate-contradiction'
  | 'step-over-budget';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** The step whose answer should change; its score pays for the finding. */
  step: StepId;
  line: number;
  column: number;
  /** What the finding is about: an endpoint, a component, a requirement. */
  subject: string;
  message: string;
  suggestion: string;
  /** Why the rule decided as it did (shown by --json). */
  evidence?: Record<string, unknown>;
}

export interface CheckResult {
  findings: Finding[];
  scores: { overall: number; steps: Record<StepId, number> };
  estimate: Estimate;
}

interface Ctx {
  session: Session;
  /** Lines joined into the sentences or list items they belong to (soft wraps undone). */
  units: AnswerLine[];
  /** The units cut at sentence ends: "next to its name" means in the same sentence. */
  sentences: AnswerLine[];
  /** Every component that takes part in an edge, by key. */
  used: Set<string>;
  edges: Edge[];
  lines: AnswerLine[];
  stepLine(step: StepId, section?: string): number;
  find(rule: RuleId, severity: Severity, step: StepId, line: number, subject: string, message: string, suggestion: string, evidence?: Record<string, unknown>): Finding;
}

// ---------------------------------------------------------------- mentions

const TECH = /\b(postgres(?:ql)?|mysql|aurora|redis|memcached?|kafka|rabbitmq|sqs|sns|kinesis|pulsar|nats|s3|gcs|dynamo(?:db)?|cassandra|scylla(?:db)?|mongo(?:db)?|elasticsearch|opensearch|hbase|bigtable|spanner|cockroach(?:db)?|zookeeper|etcd|nginx|haproxy|envoy|cloudfront|akamai|fastly|stripe|twilio|sendgrid|apns|fcm|clickhouse|druid|flink|spark|pinot|snowflake|bigquery|redshift|vitess|citus|tidb|neo4j|influxdb|timescale(?:db)?|hdfs|ceph|minio)\b/gi;
const GENERIC_NAME_WORDS = new Set(['service', 'services', 'server', 'api', 'provider', 'external', 'third', 'party', 'system', 'the', 'db', 'database', 'store', 'cache', 'queue', 'storage', 'cluster', 'worker', 'app', 'client', 'gateway', 'layer', 'engine']);

// Rules ask "does this line talk about that component?" for every pair: memoise the
// normalised lines and each component's aliases, or a 2,000-line session costs seconds.
const normalised = new Map<string, string>();
function norm(text: string): string {
  let n = normalised.get(text);
  if (n === undefined) {
    n = ` ${normalizeName(text)} `;
    if (normalised.size > 50_000) normalised.clear();
    normalised.set(text, n);
  }
  return n;
}

const aliasCache = new WeakMap<Component, { exact: string[]; words: string[] }>();
/** How many components of the session under check name each technology: "MySQL" names a store only when one store uses it. */
let techUse = new Map<string, number>();
let wordUse = new Map<string, number>();

function kind(c: Component): string {
  return isDataStore(c.type) ? 'store' : c.type;
}

function techOf(c: Component): string[] {
  return [...new Set([...c.responsibility.matchAll(TECH), ...c.name.matchAll(TECH)].map((m) => m[1].toLowerCase()))];
}
/** Texts whose presence in a line means the line talks about this component. */
function aliases(c: Component): { exact: string[]; words: string[] } {
  let a = aliasCache.get(c);
  if (!a) {
    const name = normalizeName(c.name).replace(/^(?:the|a|an) /, '');
    const tech = techOf(c).filter((t) => (techUse.get(t) ?? 0) <= 1);
    // A word two stores (or two externals…) share, "metadata" in Metadata DB and Metadata Cache, names neither.
    const words = name.split(' ').filter((w) => w.length > 2 && !GENERIC_NAME_WORDS.has(w) && (wordUse.get(`${kind(c)} ${w}`) ?? 0) <= 1);
    a = { exact: [...new Set([name, ...tech])].filter(Boolean), words };
    aliasCache.set(c, a);
  }
  return a;
}

function mentions(line: string, c: Component): boolean {
  const text = norm(line);
  return aliases(c).exact.some((a) => text.includes(` ${a} `) || text.includes(` ${a}s `));
}

/** Like `mentions`, or any distinctive word of the name ("booking" for "Booking DB"). */
function mentionsLoosely(line: string, c: Component): boolean {
  if (mentions(line, c)) return true;
  const text = norm(line);
  return aliases(c).words.some((w) => text.includes(` ${w} `) || text.includes(` ${w}s `));
}

/** A line that states something about the design, not an alternative that was turned down. */
function claims(line: AnswerLine): boolean {
  return !/^[\s>*+\-\d.)]*\**\s*(alternatives?|instead of|rejected)\b/i.test(line.text);
}


const REDUNDANCY = /replica|replicat|fail ?over|fail-over|redundan|multi[- ]?az|multi[- ]?region|cluster|standby|stand-by|active[- ](active|passive)|sentinel|quorum|leader election|secondary|backup|hot spare|multiple (instances|nodes|servers)|ha pair|high availability|\bha\b|mirror|raft|paxos|more than one|\bn\+1\b|\b(\d+\+?|two|three|several|multiple|many) (instances|nodes|replicas|servers|copies|hosts|pods)\b|\bper (az|zone|region|node|host)\b|\b(on|in) (every|each) (\w+ )?(node|host|az|zone|region)\b|\bfleet\b|autoscal|auto-scal|horizontally scaled|\b(\d+|two|three|several|multiple|every|each|all) (azs?|availability zones?|zones|regions)\b/i;
const REPLICATED = /replica|replicat|multi[- ]?region|multi[- ]?az|quorum/i;
const STANCE = /\bcp\b|\bap\b|\bcap\b|pacelc|consisten|linearizab|eventual|serializab|read[- ](your|after)[- ]writes?|strong(ly)? consistent|quorum|(availability|consistency) (first|over)|favou?rs? (consistency|availability)|prefers? (consistency|availability)/i;
/** matchAll needs a global regex: one copy per pattern, not one per line. */
const globals = new Map<RegExp, RegExp>();
/**
 * Does the text state this, rather than deny it? "no replica", "without failover" and
 * "replication factor 1" mention redundancy only to say there is none.
 */
function affirms(pattern: RegExp, text: string): boolean {
  if (!pattern.test(text)) return false;
  let global = globals.get(pattern);
  if (!global) globals.set(pattern, (global = new RegExp(pattern.source, 'gi')));
  for (const m of text.matchAll(global)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    if (/\b(no|without|not|never|zero|single|lacks?|isn'?t|aren'?t|only one|one)\s+(\w+\s+){0,2}$/i.test(before)) continue;
    if (/^\w*\s*(factor\s*(of\s*)?|=\s*|:\s*)1\b/i.test(after)) continue;
    return true;
  }
  return false;
}

const MANAGED_STORAGE = /\bs3\b|\bgcs\b|blob|object stor/i;

// ---------------------------------------------------------------- rules

type Rule = (ctx: Ctx) => Finding[];

const HTTP_IN_TEXT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|WS|WSS)?\s*(\/[^\s`|*,;)\]]*)/g;

function pathSegments(path: string): string[] {
  return path
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => (/^[{:<[]/.test(s) || /^\d+$/.test(s) || /^[0-9a-f-]{8,}$/i.test(s) ? '*' : s.toLowerCase()));
}

function samePath(a: string, b: string): boolean {
  const x = pathSegments(a);
  const y = pathSegments(b);
  return x.length === y.length && x.every((s, i) => s === y[i] || s === '*' || y[i] === '*');
}

function staticWords(e: Endpoint): string[] {
  if (e.method === 'RPC') return [...keywords(e.path)];
  return pathSegments(e.path)
    .filter((s) => s !== '*' && s !== 'api' && !/^v\d+$/.test(s))
    .flatMap((s) => [...keywords(s)]);
}

/** Does a workflow step's verb fit the endpoint? An RPC needs all its words ("cancel" of `cancelStay`). */
function verbFits(ep: Endpoint, resource: string[], action: Set<string>): boolean {
  if (ep.method === 'RPC') return resource.every((w) => action.has(w));
  const has = (w: string) => action.has(w);
  switch (ep.method) {
    case 'GET':
      return !has('create') && !has('update') && !has('delete');
    case 'DELETE':
      return has('delete');
    case 'PUT':
    case 'PATCH':
      return has('update') || (!has('view') && !has('create') && !has('delete'));
    default:
      return !has('view') && !has('delete') && !has('update');
  }
}

const reqNoApi: Rule = (ctx) => {
  const external = ctx.session.endpoints.filter((e) => e.external);
  if (external.length === 0) return [];
  const apiWords = external.map((e) => ({ e, words: keywords(`${staticWords(e).join(' ')} ${e.text}`), resources: stems(pathSegments(e.path).filter((x) => x !== '*').join(' ')) }));
  return ctx.units
    .filter((l) => l.step === 'requirements' && l.section === 'functional' && /^\s*([-*+]|\d+[.)])\s+\S/.test(l.text))
    .flatMap((l) => {
      const text = l.text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
      // "Guests can leave reviews": the actor before the modal verb is not the feature.
      const feature = text.replace(/^.{0,40}?\b(can|could|should|must|may|will|are able to|is able to|get to)\b\s+/i, '');
      const want = new Set([...keywords(feature)].filter((w) => !GENERIC.has(w)));
      if (want.size === 0) return [];
      const raw = stems(feature);
      // A shared feature word, or a path segment named in the requirement ("changes" in GET /changes).
      const match = apiWords.find((a) => shared(want, a.words).length > 0 || shared(raw, a.resources).length > 0);
      if (match) return [];
      return [ctx.find('req-no-api', 'warning', 'api', l.line, text, `"${clip(text)}" is served by no external endpoint`, 'add an endpoint for it in step 3, or move it out of scope', { words: [...want] })];
    });
};

const apiUnused: Rule = (ctx) => {
  // Workflow steps only (wiring is not a call). Steps of a workflow that writes its request
  // as `METHOD /path` belong to that request: their words do not stand for other endpoints.
  const actions = ctx.session.workflows.flatMap((w) => {
    const steps = w.edges.map((e) => ({ e, paths: [...e.action.matchAll(HTTP_IN_TEXT)].map((m) => ({ method: m[1], path: m[2] })), words: keywords(e.action), byWords: true }));
    const explicit = steps.some((s) => s.paths.length > 0);
    return steps.map((s) => ({ ...s, byWords: !explicit }));
  });
  return ctx.session.endpoints
    .filter((ep) => ep.external)
    .flatMap((ep) => {
      const resource = staticWords(ep);
      const main = resource[resource.length - 1];
      const byPath = actions.find((a) => a.paths.some((p) => samePath(p.path, ep.path) && (!p.method || p.method === ep.method)));
      if (byPath) return [];
      if (ep.method === 'RPC' && actions.some((a) => a.e.action.includes(ep.path))) return [];
      // `GET /{code}` has no words to match: only a written path shows it is called.
      const byWords = main !== undefined && actions.find((a) => a.byWords && a.words.has(main) && verbFits(ep, resource, a.words));
      if (byWords) return [];
      const subject = ep.method === 'RPC' ? ep.path : `${ep.method} ${ep.path.replace(/[?#].*$/, '')}`;
      return [ctx.find('api-unused', 'error', 'workflows', ep.line, subject, `${subject} is not exercised by any workflow`, 'add a workflow step that calls it, or drop the endpoint', { resource })];
    });
};

const ENTRY_TYPES = new Set(['client', 'gateway', 'load-balancer', 'cdn', 'external']);

const workflowEntry: Rule = (ctx) =>
  ctx.session.workflows.flatMap((w) => {
    const first = w.edges[0];
    if (!first) return [];
    const c = component(ctx, first.from);
    if (!c || ENTRY_TYPES.has(c.type) || /cron|schedul|timer|trigger|webhook/i.test(c.name)) return [];
    return [ctx.find('workflow-entry', 'warning', 'workflows', first.line, w.name, `workflow "${w.name}" starts at ${c.name} (${c.type}), not at a client or entry point`, 'start the workflow where the request enters: the client, gateway or load balancer')];
  });

const componentsDeclared: Rule = (ctx) => {
  const declared = ctx.session.components.filter((c) => c.line !== undefined);
  if (ctx.edges.length === 0) return [];
  if (declared.length === 0) {
    return [ctx.find('components-missing', 'warning', 'workflows', ctx.stepLine('workflows', 'components'), 'Components', 'the workflows name components but the Components section lists none', 'list each component as `- Name [type]: responsibility`')];
  }
  return ctx.session.components
    .filter((c) => c.line === undefined)
    .map((c) => {
      const edge = ctx.edges.find((e) => componentKey(e.from) === componentKey(c.name) || componentKey(e.to) === componentKey(c.name))!;
      return ctx.find('component-undeclared', 'warning', 'workflows', edge.line, c.name, `${c.name} takes part in a workflow but is not in the Components list (its type is guessed as ${c.type})`, `add \`- ${c.name} [${c.type}]: what it does\` to Components`);
    });
};

const componentUnused: Rule = (ctx) =>
  ctx.session.components
    .filter((c) => c.line !== undefined && !ctx.used.has(componentKey(c.name)))
    .map((c) => ctx.find('component-unused', 'warning', 'workflows', c.line!, c.name, `${c.name} is listed but takes part in no workflow or wiring edge`, 'add the steps that use it, wire it in step 5, or drop it'));

const componentDuplicate: Rule = (ctx) => {
  const spellings = new Map<string, { name: string; line: number }[]>();
  const add = (name: string, line: number) => {
    const key = componentKey(name).replace(/(?<=..)(es|s)$/, '');
    const list = spellings.get(key) ?? [];
    if (!list.some((s) => s.name === name.trim())) list.push({ name: name.trim(), line });
    spellings.set(key, list);
  };
  for (const c of ctx.session.components) if (c.line !== undefined) add(c.name, c.line);
  for (const e of ctx.edges) {
    add(e.from, e.line);
    add(e.to, e.line);
  }
  return [...spellings.values()]
    .filter((list) => list.length > 1)
    .map((list) => {
      const [a, b] = list;
      return ctx.find('component-duplicate', 'warning', 'workflows', b.line, `${a.name} / ${b.name}`, `"${b.name}" and "${a.name}" look like one component spelled two ways`, `use one name everywhere: ${a.name}`, { spellings: list.map((s) => s.name) });
    });
};

const diagramIsland: Rule = (ctx) => {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    neighbours.get(a)!.add(b);
  };
  for (const e of ctx.edges) {
    link(componentKey(e.from), componentKey(e.to));
    link(componentKey(e.to), componentKey(e.from));
  }
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const start of neighbours.keys()) {
    if (seen.has(start)) continue;
    const group: string[] = [];
    const todo = [start];
    seen.add(start);
    while (todo.length) {
      const k = todo.pop()!;
      group.push(k);
      for (const n of neighbours.get(k) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n));
    }
    groups.push(group);
  }
  if (groups.length < 2) return [];
  const largest = groups.reduce((a, b) => (b.length > a.length ? b : a));
  return groups
    .filter((g) => g !== largest)
    .map((g) => {
      const names = g.map((k) => component(ctx, k, true)?.name ?? k);
      const edge = ctx.edges.find((e) => g.includes(componentKey(e.from)))!;
      return ctx.find('diagram-island', 'warning', 'architecture', edge.line, names.join(', '), `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not connected to the rest of the design`, 'wire them to the components that call them or read from them (step 5, Wiring)');
    });
};

const storeNoSchema: Rule = (ctx) =>
  ctx.session.components
    .filter((c) => isDataStore(c.type) && c.responsibility.trim() === '')
    .filter((c) => !ctx.session.dataModel.some((e) => sameThing(e.name, c)))
    .filter((c) => !ctx.lines.some((l) => l.section === 'data-model' && mentions(l.text, c)))
    .map((c) => ctx.find('store-no-schema', 'error', 'architecture', c.line ?? ctx.stepLine('architecture', 'data-model'), c.name, `${c.name} (${c.type}) has no schema and no description of what it holds`, `add its schema under step 5 Data model, e.g. \`${c.name}: key type, field type\``));

function sameThing(entity: string, c: Component): boolean {
  const e = normalizeName(entity);
  const name = normalizeName(c.name);
  if (e === name || e.includes(name) || name.includes(e)) return true;
  return aliases(c).exact.some((a) => e.includes(a));
}

const choiceIncomplete: Rule = (ctx) =>
  ctx.session.choices.flatMap((c) => {
    const missing = [!c.why && 'why', !c.alternatives && 'alternatives', !c.tradeoff && 'trade-off'].filter(Boolean) as string[];
    if (missing.length === 0) return [];
    const step = c.where.split('/')[0] as StepId;
    return [ctx.find('choice-incomplete', 'warning', step, c.line, c.text, `choice "${clip(c.text)}" has no ${missing.join(', no ')}`, `add ${missing.map((m) => `\`- ${m === 'why' ? 'Why' : m === 'alternatives' ? 'Alternatives' : 'Trade-off'}: …\``).join(', ')} under it`, { missing })];
  });

const NFR_FAMILIES: { name: string; need: RegExp; remedy: RegExp }[] = [
  {
    name: 'latency',
    need: /latenc|\bfast\b|\d+ ?ms\b|millisecond|\bp9\d|response time|real[- ]?time|instant|snappy|within \d+ ?(ms|s|seconds?)\b/i,
    remedy: /latenc|cach|\bcdn\b|index|precomput|pre-comput|denormali|in[- ]?memory|\bmemory\b|\bram\b|\bedge\b|read replica|prefetch|pre-?warm|paginat|compress|websocket|connection pool|co-?locat|fan[- ]?out on write|materiali[sz]/i,
  },
  {
    name: 'availability',
    need: /availab|uptime|99\.9|nines|downtime|fault[- ]?toleran|\bha\b|always (up|on)|no single point/i,
    remedy: new RegExp(`${REDUNDANCY.source}|retr(y|ies)|circuit|health ?check|graceful|degrad|fallback|stateless|load balanc|autoscal|auto-scal`, 'i'),
  },
  {
    name: 'consistency',
    need: /consisten|double[- ]?(book|spend|charg)|exactly[- ]once|at[- ]most[- ]once|atomic|linearizab|oversell|never (charge|sold|sell|lose)|no (lost|duplicate)/i,
    remedy: /transaction|quorum|lock|idempot|serializ|consensus|raft|paxos|2pc|two[- ]phase|saga|outbox|version|compare[- ]and|\bcas\b|conditional|optimistic|pessimistic|fencing|unique|ledger|strong|synchronous|\bcp\b/i,
  },
  {
    name: 'scale',
    need: /\bscal|million|billion|\bqps\b|\brps\b|throughput|concurren|\bpeak|\bdau\b|spike|\d+ ?[mbk]\b/i,
    remedy: /shard|partition|horizontal|autoscal|auto-scal|async|queue|stateless|load balanc|replica|cach|\bcdn\b|fan[- ]?out|batch|consistent hash/i,
  },
  {
    name: 'durability',
    need: /durab|never lose|no data loss|data loss|lossless|persist/i,
    remedy: /replicat|backup|\bwal\b|write[- ]ahead|snapshot|fsync|multi[- ]?az|\bs3\b|erasure|raid|journal|commit log|synchronous|quorum|outbox/i,
  },
  {
    name: 'security',
    need: /secur|authenticat|authoriz|encrypt|privacy|gdpr|\bpci\b|hipaa|abuse|fraud|spam/i,
    remedy: /secur|\btls\b|\bssl\b|encrypt|oauth|\bjwt\b|\btoken|rate[- ]?limit|\bwaf\b|\biam\b|\bkms\b|\bacls?\b|rbac|permission|\bauth(n|z|enticat\w*|ori[sz]\w*)?\b|captcha|fraud|signature|hmac|vault/i,
  },
];

const nfrUnaddressed: Rule = (ctx) => {
  // What the design does, not what it turned down or what it costs.
  const remedies = ctx.lines
    .filter((l) => l.step === 'optimizations' || (l.step === 'architecture' && l.section === 'choices'))
    .filter((l) => claims(l) && !/^[\s>*+\-\d.)]*\**\s*trade-?offs?\b/i.test(l.text))
    .map((l) => l.text)
    .join('\n');
  return ctx.units
    .filter((l) => l.step === 'requirements' && l.section === 'non-functional' && /\S/.test(l.text))
    .flatMap((l) => {
      const text = l.text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
      const families = NFR_FAMILIES.filter((f) => f.need.test(text));
      if (families.length === 0 || families.some((f) => f.remedy.test(remedies))) return [];
      const names = families.map((f) => f.name);
      return [ctx.find('nfr-unaddressed', 'warning', 'optimizations', l.line, text, `the ${names.join('/')} requirement "${clip(text)}" is addressed by no optimization or choice`, `add a step 6 item for it (${names.join(', ')}: e.g. ${example(names[0])})`, { families: names })];
    });
};

function example(family: string): string {
  return (
    {
      latency: 'a cache, a CDN, an index or precomputation',
      availability: 'replicas, failover, multi-AZ',
      consistency: 'transactions, locks, quorum or idempotency keys',
      scale: 'sharding, horizontal scaling, async work',
      durability: 'replication, backups, a write-ahead log',
      security: 'TLS, auth tokens, rate limits',
    } as Record<string, string>
  )[family];
}

const capMissing: Rule = (ctx) => {
  const replicated = ctx.sentences.filter((l) => claims(l) && affirms(REPLICATED, l.text));
  const stances = ctx.units.filter((l) => l.step !== 'requirements' && STANCE.test(l.text));
  return ctx.session.components
    .filter((c) => isDataStore(c.type) && c.type !== 'queue')
    .filter((c) => replicated.some((l) => mentions(l.text, c)))
    .filter((c) => !stances.some((l) => mentionsLoosely(l.text, c)))
    .map((c) => ctx.find('cap-missing', 'warning', 'optimizations', ctx.stepLine('optimizations', 'cap'), c.name, `${c.name} is replicated but no consistency stance (CP or AP, strong or eventual) names it`, `say in step 6 CAP and consistency what ${c.name} gives up under a partition, and why the product can live with it`));
};

const SPOF_TYPES = new Set(['database', 'cache', 'queue', 'storage', 'load-balancer', 'gateway']);

const spof: Rule = (ctx) => {
  const redundant = ctx.sentences.filter((l) => claims(l) && affirms(REDUNDANCY, l.text));
  return ctx.session.components
    .filter((c) => SPOF_TYPES.has(c.type))
    .filter((c) => !(c.type === 'storage' && MANAGED_STORAGE.test(`${c.name} ${c.responsibility}`)))
    .filter((c) => !affirms(REDUNDANCY, c.responsibility))
    .filter((c) => !redundant.some((l) => mentionsLoosely(l.text, c)))
    .map((c) => ctx.find('spof', 'warning', 'optimizations', c.line ?? firstUse(ctx, c), c.name, `${c.name} (${c.type}) is a single point of failure: no replica, failover or redundancy is mentioned for it`, `say how ${c.name} survives losing a node (replicas, failover, a cluster) in step 6 Resilience`));
};

const CATEGORIES: { name: string; section: 'small-scale' | 'large-scale'; pattern: RegExp }[] = [
  { name: 'memory leak', section: 'small-scale', pattern: /memory|leak|\boom\b|heap/i },
  { name: 'cache misses', section: 'small-scale', pattern: /cache[^.:]{0,20}(miss|stampede|down|fail|outage|cold|evict)|cold cache|thundering herd|stampede|miss(es)? on the cache/i },
  { name: 'message loss', section: 'small-scale', pattern: /message[^.:]{0,15}(los|lost|drop)|lost (message|event)|(event|message)s? (are |is )?lost|duplicate|at[- ]least[- ]once|exactly[- ]once|outbox|\bdlq\b|dead[- ]letter/i },
  { name: 'race condition and deadlock', section: 'small-scale', pattern: /race|deadlock|concurrent (write|update)|lock/i },
  { name: 'cascading failure', section: 'small-scale', pattern: /cascad|circuit[- ]?break|bulkhead|backpressure|retry storm/i },
  { name: 'third-party API down', section: 'large-scale', pattern: /third[- ]?party|3rd[- ]?party|provider|external (api|service|dependency)|vendor|partner/i },
  { name: 'service overwhelmed', section: 'large-scale', pattern: /overwhelm|overload|surge|load[- ]?shed|throttl|rate[- ]?limit|backpressure|traffic (spike|burst)|flash (crowd|sale)|hot (key|partition|shard)|spike/i },
  { name: 'DDoS', section: 'large-scale', pattern: /ddos|denial[- ]of[- ]service|botnet|\bbots?\b|\bflood|\bwaf\b/i },
  { name: 'node down', section: 'large-scale', pattern: /(node|server|instance|host|pod|machine|broker|shard|replica|worker|container)s? (is |are |goes |go )?(down|fail|crash|die|dies|dead|lost|outage)|(node|server|instance|pod|machine|host) (failure|crash|loss)/i },
  { name: 'cluster down', section: 'large-scale', pattern: /cluster|region|data ?cent(er|re)|\baz\b|availability zone|zone (down|outage|failure)/i },
  { name: 'deployment failure', section: 'large-scale', pattern: /deploy|release|rollout|roll[- ]?back|canary|bad (push|config)|blue[- ]green/i },
];

const failures: Rule = (ctx) => {
  const step = ctx.session.steps.find((s) => s.id === 'failures')!;
  if (!step.present) return [];
  const lines = ctx.units.filter((l) => l.step === 'failures');
  const text = lines.map((l) => l.text).join('\n');
  const out: Finding[] = [];
  for (const section of ['small-scale', 'large-scale'] as const) {
    const title = section === 'small-scale' ? 'Small-scale failures' : 'Large-scale failures';
    const entries = lines.filter((l) => l.section === section);
    if (entries.length === 0) {
      out.push(ctx.find('failures-empty', 'warning', 'failures', ctx.stepLine('failures', section), title, `${title} has no entries`, `one line per case: \`- <failure>: <detection and mitigation>\` (${CATEGORIES.filter((c) => c.section === section).map((c) => c.name).join(', ')})`));
      continue;
    }
    const externals = ctx.session.components.filter((c) => c.type === 'external');
    for (const cat of CATEGORIES.filter((c) => c.section === section)) {
      if (cat.pattern.test(text)) continue;
      if (cat.name === 'third-party API down' && lines.some((l) => DOWN.test(l.text) && externals.some((c) => mentionsLoosely(l.text, c)))) continue;
      out.push(ctx.find('failure-category-missing', 'warning', 'failures', ctx.stepLine('failures', section), cat.name, `${title} does not cover ${cat.name}`, `add \`- ${cat.name}: <how you detect it and how you mitigate it>\``));
    }
  }
  return out;
};

const DOWN = /down|outage|unavailable|fail|timeout|times out|slow|error|degrad|unreachable|dies|crash|not respond|\bstops?\b|stall|offline|backs? up|lags?\b|goes away|rejects?/i;

const externalNoDown: Rule = (ctx) => {
  if (!ctx.session.steps.find((s) => s.id === 'failures')!.present) return [];
  const lines = ctx.units.filter((l) => l.step === 'failures' && DOWN.test(l.text));
  return ctx.session.components
    .filter((c) => c.type === 'external')
    .filter((c) => !lines.some((l) => mentionsLoosely(l.text, c)))
    .map((c) => ctx.find('external-no-down', 'warning', 'failures', c.line ?? firstUse(ctx, c), c.name, `nothing says what happens when ${c.name} is down`, `add \`- ${c.name} down: <detection, fallback, what the user sees>\` to step 7`));
};

const LOSS = /los[st]|drop|duplicate|exactly[- ]once|at[- ]least[- ]once|idempoten|outbox|\bdlq\b|dead[- ]letter|redeliver|replay|offset|\back/i;

const queueNoLoss: Rule = (ctx) => {
  if (!ctx.session.steps.find((s) => s.id === 'failures')!.present) return [];
  const queues = ctx.session.components.filter((c) => c.type === 'queue');
  const lines = ctx.units.filter((l) => l.step === 'failures' && LOSS.test(l.text));
  return queues
    .filter((q) => !lines.some((l) => mentions(l.text, q) || (queues.length === 1 && /message|event|queue|topic|stream/i.test(l.text))))
    .map((q) => ctx.find('queue-no-loss', 'warning', 'failures', q.line ?? firstUse(ctx, q), q.name, `nothing covers lost or duplicated messages on ${q.name}`, `add \`- Message loss on ${q.name}: <acks, retries, idempotent consumers, a dead-letter queue>\``));
};

const estimateContradiction = (estimate: Estimate): Rule => (ctx) => {
  const c = estimate.computed;
  if (!c) return [];
  return estimate.quoted.flatMap((q) => {
    // A quote with its own working is judged by that working: it may be about another
    // scenario (an on-sale peak) than the inputs describe.
    if (q.selfConsistent === true) return [];
    const expected = candidates(c, q.kind, q.label);
    if (expected.length === 0) return [];
    const fits = q.values.some((v) => expected.some((x) => v / x <= 10 && x / v <= 10));
    if (fits) return [];
    const subject = q.text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
    return [ctx.find('estimate-contradiction', 'warning', 'estimation', q.line, subject, `"${clip(subject)}" is more than 10× off what your inputs give`, `recompute it from the inputs: ${describeExpected(q.kind, expected)}`, { quoted: q.values, expected })];
  });
};

function describeExpected(kind: string, values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const f = (n: number) => (kind === 'qps' ? `${Math.round(n).toLocaleString('en-US')}/s` : `${(n / 1e9).toPrecision(3)} GB${kind === 'bandwidth' ? '/s' : ''}`);
  return lo === hi ? `about ${f(lo)}` : `between ${f(lo)} and ${f(hi)}`;
}

const overBudget: Rule = (ctx) => {
  const timing = readTiming(ctx.session.frontmatter.raw);
  return STEPS.flatMap((def) => {
    const active = timing.steps[def.id]?.active;
    const budget = ctx.session.frontmatter.budget[def.id];
    if (active === undefined || budget === undefined || active <= budget * 60) return [];
    const over = Math.round(active / 60 - budget);
    return [ctx.find('step-over-budget', 'warning', def.id, ctx.stepLine(def.id), `${def.number}. ${def.title}`, `step ${def.number} (${def.title}) took ${Math.round(active / 60)} min against a budget of ${budget}`, `next time, move on after ${budget} min and come back if time is left (over by ${over} min)`, { activeSeconds: active, budgetMinutes: budget })];
  });
};

// ---------------------------------------------------------------- helpers

// Not localeCompare: the order must not depend on the machine's locale, and ICU's collator
// costs ~10 ms to start.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clip(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

function component(ctx: Ctx, name: string, byKey = false): Component | undefined {
  const key = byKey ? name : componentKey(name);
  return ctx.session.components.find((c) => componentKey(c.name) === key);
}

function firstUse(ctx: Ctx, c: Component): number {
  const key = componentKey(c.name);
  return ctx.edges.find((e) => componentKey(e.from) === key || componentKey(e.to) === key)?.line ?? 1;
}

/** A line continues the previous one when it follows it directly and starts no new block. */
function joinWrapped(lines: AnswerLine[]): AnswerLine[] {
  const out: AnswerLine[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    const starts = /^\s*([-*+]|\d+[.)])\s|^\s*(#|\||```|~~~|>)/.test(l.text);
    if (prev && !starts && prev.line + prev.text.split('\n').length === l.line && prev.step === l.step && prev.section === l.section) {
      out[out.length - 1] = { ...prev, text: `${prev.text}\n${l.text}` };
    } else out.push(l);
  }
  return out;
}

// ---------------------------------------------------------------- entry point

const SEVERITY_COST: Record<Severity, number> = { error: 15, warning: 5 };

export function checkSession(session: Session): CheckResult {
  techUse = new Map();
  wordUse = new Map();
  for (const c of session.components) {
    for (const t of techOf(c)) techUse.set(t, (techUse.get(t) ?? 0) + 1);
    for (const w of new Set(normalizeName(c.name).split(' '))) wordUse.set(`${kind(c)} ${w}`, (wordUse.get(`${kind(c)} ${w}`) ?? 0) + 1);
  }
  const edges = [...session.workflows.flatMap((w) => w.edges), ...session.wiring];
  const used = new Set(edges.flatMap((e) => [componentKey(e.from), componentKey(e.to)]));
  const units = joinWrapped(session.lines);
  const ctx: Ctx = {
    session,
    units,
    sentences: units.flatMap((u) => u.text.split(/(?<=[.!?;])\s+(?=[A-Z0-9`*])/).map((text) => ({ ...u, text }))),
    edges,
    used,
    lines: session.lines,
    stepLine(stepId, sectionId) {
      const step = session.steps.find((s) => s.id === stepId)!;
      const section = sectionId ? step.sections.find((s) => s.id === sectionId) : undefined;
      return section?.line || step.line || 1;
    },
    find(rule, severity, step, line, subject, message, suggestion, evidence) {
      return { rule, severity, step, line, column: 1, subject, message, suggestion, ...(evidence ? { evidence } : {}) };
    },
  };
  const estimate = readEstimate(session.lines);
  const rules: Rule[] = [reqNoApi, apiUnused, workflowEntry, componentsDeclared, componentUnused, componentDuplicate, diagramIsland, storeNoSchema, choiceIncomplete, nfrUnaddressed, capMissing, spof, failures, externalNoDown, queueNoLoss, estimateContradiction(estimate), overBudget];
  // Steps pre-filled from sample answers are not the candidate's: no findings, no score.
  const samples = new Set(session.frontmatter.samples);
  const findings = rules.flatMap((r) => r(ctx)).filter((f) => !samples.has(f.step)).sort((a, b) => a.line - b.line || byCodePoint(a.rule, b.rule) || byCodePoint(a.subject, b.subject));
  return { findings, scores: score(session, findings), estimate };
}

/**
 * Per step: 100 × (answered sections / the method's sections), minus 15 per error and 5 per
 * warning attributed to the step, within 0–100. Overall: the steps' scores weighted by their
 * budget minutes.
 */
export function score(session: Session, findings: Finding[]): CheckResult['scores'] {
  const steps = {} as Record<StepId, number>;
  let weighted = 0;
  let weights = 0;
  for (const def of STEPS) {
    const step = session.steps.find((s) => s.id === def.id)!;
    const expected = def.sections.length + (def.id === 'workflows' ? 1 : 0);
    const answered =
      def.sections.filter((d) => step.sections.some((s) => s.id === d.id && s.answer !== '')).length +
      (def.id === 'workflows' && step.sections.some((s) => s.id.startsWith('workflow-') && s.answer !== '') ? 1 : 0);
    const status = stepStatus(step, def);
    const coverage = status === 'not answered' ? 0 : (100 * Math.max(answered, status === 'partly answered' ? 0.5 : 0)) / expected;
    const cost = findings.filter((f) => f.step === def.id).reduce((sum, f) => sum + SEVERITY_COST[f.severity], 0);
    steps[def.id] = Math.round(Math.max(0, Math.min(100, coverage - cost)));
    if (session.frontmatter.samples.includes(def.id)) continue;
    const weight = session.frontmatter.budget[def.id] ?? def.minutes;
    weighted += steps[def.id] * weight;
    weights += weight;
  }
  return { overall: weights ? Math.round(weighted / weights) : 0, steps };
}
