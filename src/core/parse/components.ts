// Component types: the tags a candidate may write, and inference from a name when
// there is no tag. Order matters: the first family whose pattern matches wins.
import type { ComponentType } from '../session.js';
import { normalizeName } from '../text.js';

export const COMPONENT_TYPES: ComponentType[] = ['client', 'service', 'gateway', 'load-balancer', 'database', 'cache', 'queue', 'storage', 'cdn', 'external'];

const TAG_SYNONYMS: Record<string, ComponentType> = {
  db: 'database',
  datastore: 'database',
  'data store': 'database',
  store: 'database',
  lb: 'load-balancer',
  'load balancer': 'load-balancer',
  loadbalancer: 'load-balancer',
  'api gateway': 'gateway',
  'message queue': 'queue',
  mq: 'queue',
  stream: 'queue',
  topic: 'queue',
  'pub-sub': 'queue',
  pubsub: 'queue',
  blob: 'storage',
  'object storage': 'storage',
  'object store': 'storage',
  'third-party': 'external',
  'third party': 'external',
  '3rd-party': 'external',
  ext: 'external',
  app: 'client',
  ui: 'client',
  user: 'client',
  worker: 'service',
  svc: 'service',
};

/** A written tag (`database`, `DB`, `load balancer`) to a type, or undefined. */
export function typeFromTag(tag: string): ComponentType | undefined {
  const t = tag.trim().toLowerCase();
  if ((COMPONENT_TYPES as string[]).includes(t)) return t as ComponentType;
  return TAG_SYNONYMS[t];
}

const INFERENCE: [ComponentType, RegExp][] = [
  ['cdn', /\bcdn\b|cloudfront|akamai|fastly|edge cache/],
  ['load-balancer', /load[ -]?balanc|\blb\b|\balb\b|\belb\b|\bnlb\b|haproxy|nginx/],
  ['external', /third[ -]?party|3rd[ -]?party|external|provider|stripe|paypal|braintree|adyen|twilio|sendgrid|\bapns\b|\bfcm\b|\bbank\b|\bpsp\b|\bsms\b|maps api|google maps/],
  ['cache', /cache|redis|memcache/],
  ['queue', /queue|kafka|\bsqs\b|\bsns\b|rabbit|\bmq\b|pub[ /-]?sub|kinesis|stream|event bus|message bus|\btopic\b|\blog\b/],
  ['storage', /\bs3\b|blob|object stor|bucket|file stor|\bhdfs\b|\bgcs\b|storage|data lake/],
  ['database', /\bdb\b|database|postgres|mysql|\bsql\b|dynamo|cassandra|mongo|hbase|bigtable|spanner|cockroach|\bstore\b|datastore|\btable\b|ledger|warehouse|elasticsearch|opensearch|\bindex\b/],
  ['gateway', /gateway|ingress|\bedge\b/],
  ['service', /service|server|\bsvc\b|worker|\bapi\b|backend|processor|handler|scheduler|engine|manager|aggregator|crawler|consumer|producer|job\b|cron|matcher|dispatcher|\bapp server\b/],
  ['client', /client|browser|\bapp\b|mobile|\bweb\b|\buser\b|\busers\b|guest|rider|driver|customer|frontend|\bui\b|viewer|buyer|seller|player|host\b|admin/],
];

export function inferType(name: string): ComponentType {
  const n = name.toLowerCase();
  for (const [type, pattern] of INFERENCE) if (pattern.test(n)) return type;
  return 'service';
}

/** Types that keep state: candidates for single points of failure and schemas. */
export function isDataStore(type: ComponentType): boolean {
  return type === 'database' || type === 'cache' || type === 'queue' || type === 'storage';
}

// The checker asks for the key of the same few names thousands of times.
const keys = new Map<string, string>();

/** Identity of a component: case, spacing, dashes, a leading "the", "Svc" and a plural do not make a new one. */
export function componentKey(name: string): string {
  let key = keys.get(name);
  if (key === undefined) {
    if (keys.size > 10_000) keys.clear();
    keys.set(name, (key = keyOf(name)));
  }
  return key;
}

function keyOf(name: string): string {
  // Names made only of symbols or emoji normalise to nothing: keep them as typed.
  const words = normalizeName(name.replace(/([a-z0-9])([A-Z])/g, '$1 $2'))
    .replace(/^(?:the|a|an) /, '')
    .replace(/\bsvc\b/g, 'service');
  // "Transcode Workers" and "Transcode Worker" are one component.
  return words.replace(/ /g, '').replace(/(?<=[a-z]{3}[^s])s$/, '') || `=${name.trim().toLowerCase()}`;
}

// ---------------------------------------------------------------- names as written

/** What a written component name stands for. */
export interface NameRef {
  /** The component's name, annotations taken off. */
  name: string;
  /** `Chat Server (A, B)`: the instances named, so the component runs more than one. */
  instances?: string[];
  /** `Inbox DB (other region)`: the replica meant, so the name is the same component. */
  replica?: string;
}

/** A parenthesised note that names a copy of the component, not another component. */
const REPLICA_NOTE =
  /^(?:(?:an?|the)\s+)?(?:(?:other|another|second|remote|backup|dr|secondary|standby|stand-by|passive|hot|warm|cold|read|async|sync|cross[- ]region|geo|failover)[- ]?)*(?:regions?|replicas?|standby|stand-by|secondary|followers?|mirror|copy|dc|data ?cent(?:er|re)|zones?|azs?|site|backup|failover|read[- ]only)(?:\s+(?:\d+|[a-z]))?$|^[a-z]{2}(?:-[a-z]+)+(?:-?\d)?$/i;
/** `(A, B)`, `(B)`, `(x3)`, `(3 instances)`, `(1..N)`: instances of one component. */
const INSTANCES =
  /^(?:[A-Z]|\d{1,2}|#\d{1,2}|[A-Za-z0-9]{1,3}(?:\s*(?:,|\/|and|&)\s*[A-Za-z0-9]{1,3})+|[x×]\s*\d+|\d+\s*[x×]|\d+\+?\s+(?:instances|nodes|replicas|copies|hosts|pods|servers)|\d+\s*\.\.\s*[nN\d]+)$/;
/** Separators of a list of components: `A, B`, `A / B`, `A and B`, `A & B`, `A + B`. */
const LIST_SEPARATOR = /\s*,\s*(?:and\s+)?|\s+\/\s+|\s+(?:and|&|\+)\s+/;

/**
 * Read a written name: a list of components (`Sender App, Recipient App`), instances of one
 * (`Chat Server (A, B)`), or a replica of one (`Inbox DB (other region)`). A list is read as
 * such only when every part is a name of two words or more, so `Search and Discovery
 * Service`, `Pub/Sub` and `Trust & Safety` stay one component.
 */
export function readNames(written: string): NameRef[] {
  const text = written.replace(/\s+/g, ' ').trim();
  const paren = /^(.+?)\s*\(([^()]{1,40})\)$/.exec(text);
  if (paren) {
    const note = paren[2].trim();
    if (REPLICA_NOTE.test(note)) return readNames(paren[1]).map((r) => ({ ...r, replica: note }));
    if (INSTANCES.test(note)) return readNames(paren[1]).map((r) => ({ ...r, instances: note.split(/\s*(?:,|\/|\band\b|&)\s*/).filter(Boolean) }));
  }
  // Separators inside parentheses (`Chat Server (A, B), Inbox DB`) do not split the list.
  const masked = text.replace(/\([^()]*\)/g, (m) => '\u0000'.repeat(m.length));
  const parts: string[] = [];
  let at = 0;
  for (const m of masked.matchAll(new RegExp(LIST_SEPARATOR.source, 'g'))) {
    parts.push(text.slice(at, m.index).trim());
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at).trim());
  if (parts.length > 1 && parts.every((p) => p.split(' ').length >= 2 && !/^(?:and|or)\b/i.test(p))) return parts.flatMap(readNames);
  return [{ name: text }];
}
