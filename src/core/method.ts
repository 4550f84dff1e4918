// The structured method: seven steps, their sections and the static prompts.
// One definition feeds the template, the parser's heading matcher and the report,
// so a renamed section cannot drift between them.

export type StepId = 'requirements' | 'estimation' | 'api' | 'workflows' | 'architecture' | 'optimizations' | 'failures';

export interface SectionDef {
  id: string;
  title: string;
  /** Lower-case words a renamed heading may use instead of the title. */
  aliases: string[];
  prompt: string;
}

export interface StepDef {
  id: StepId;
  number: number;
  title: string;
  aliases: string[];
  /** Share of the total budget, in minutes out of 45. */
  minutes: number;
  prompt: string;
  sections: SectionDef[];
}

export const FORMAT_VERSION = 1;
export const DEFAULT_BUDGET_MINUTES = 45;

export const STEPS: StepDef[] = [
  {
    id: 'requirements',
    number: 1,
    title: 'Requirements',
    aliases: ['requirement', 'reqs', 'scope', 'requirements and scope'],
    minutes: 5,
    prompt: 'Pin down what to build before how. One bullet per requirement; make non-functional ones measurable (availability, latency percentiles, consistency, scale).',
    sections: [
      {
        id: 'functional',
        title: 'Functional',
        aliases: ['functional requirements', 'features'],
        prompt: 'What users can do, one bullet each, as "Users can …". Keep to the 3–5 that matter.',
      },
      {
        id: 'non-functional',
        title: 'Non-functional',
        aliases: ['non functional', 'nonfunctional', 'non-functional requirements', 'nfr', 'nfrs', 'quality attributes'],
        prompt:
          'Availability, latency (p99), consistency, durability, scale, security. Give numbers, per flow where they differ: `Browsing: 99.99% available, results may be a minute stale` / `Booking: strongly consistent, never double-book`.',
      },
      {
        id: 'out-of-scope',
        title: 'Out of scope',
        aliases: ['out-of-scope', 'non-goals', 'not in scope', 'excluded'],
        prompt: 'What you deliberately leave out, so the interviewer can object now rather than later.',
      },
    ],
  },
  {
    id: 'estimation',
    number: 2,
    title: 'Estimation',
    aliases: ['estimations', 'estimates', 'back of the envelope', 'back-of-the-envelope', 'capacity', 'capacity estimation', 'scale'],
    minutes: 4,
    prompt: 'Back of the envelope: write figures as "name: value" (DAU: 100M) so they can be checked. Round hard; the point is the order of magnitude and what it forces on the design.',
    sections: [
      {
        id: 'traffic',
        title: 'Users and traffic',
        aliases: ['traffic', 'users', 'qps', 'throughput', 'users and traffic'],
        prompt: 'DAU, actions per user per day, read:write ratio, peak factor → average and peak QPS.',
      },
      {
        id: 'storage',
        title: 'Storage',
        aliases: ['data', 'data size'],
        prompt: 'Object size × objects per day × retention → total storage; replication factor.',
      },
      {
        id: 'bandwidth',
        title: 'Bandwidth',
        aliases: ['network', 'egress', 'ingress'],
        prompt: 'QPS × payload size, in and out; does any of it need a CDN?',
      },
    ],
  },
  {
    id: 'api',
    number: 3,
    title: 'API design',
    aliases: ['api', 'apis', 'interface', 'interfaces', 'endpoints', 'api design'],
    minutes: 5,
    prompt: 'One endpoint per functional requirement. Each as `METHOD /path` with request → response. Ensure API → workflows → diagram is functionally complete.',
    sections: [
      {
        id: 'external',
        title: 'External',
        aliases: ['external api', 'public', 'public api', 'client-facing', 'client facing'],
        prompt: 'Client-facing endpoints: `{api}`. Pagination, idempotency keys, auth.',
      },
      {
        id: 'internal',
        title: 'Internal',
        aliases: ['internal api', 'service to service', 'rpc', 'private'],
        prompt: 'Calls between services (RPC or events), with what each carries.',
      },
    ],
  },
  {
    id: 'workflows',
    number: 4,
    title: 'Workflows',
    aliases: ['workflow', 'flows', 'happy path', 'happy paths', 'data flow'],
    minutes: 8,
    prompt: 'One sub-section per happy-path workflow (`### Workflow: <name>`), end to end, one line per hop: `ComponentA -> ComponentB: action`. Then list the components.',
    sections: [
      {
        id: 'components',
        title: 'Components',
        aliases: ['component', 'major components', 'services', 'building blocks'],
        prompt: 'One bullet per component: `- Name [type]: responsibility`. Types: client, service, gateway, load-balancer, database, cache, queue, storage, cdn, external.',
      },
    ],
  },
  {
    id: 'architecture',
    number: 5,
    title: 'Architecture',
    aliases: ['high-level design', 'high level design', 'hld', 'system design', 'architecture and data model'],
    minutes: 10,
    prompt: 'Wire the components into one picture, give every data store a schema, and for each choice, talk about implementation choices with reason and trade-offs against alternatives.',
    sections: [
      {
        id: 'wiring',
        title: 'Wiring',
        aliases: ['edges', 'connections', 'diagram', 'links'],
        prompt: 'Edges beyond the workflows (replication, async consumers, CDN origin): `A -> B: label`.',
      },
      {
        id: 'data-model',
        title: 'Data model',
        aliases: ['data models', 'schema', 'schemas', 'database schema', 'storage model', 'data'],
        prompt: 'A schema per data store: `Table: field type, …`, SQL, or a markdown table. Keys and indexes.',
      },
      {
        id: 'choices',
        title: 'Choices',
        aliases: ['design choices', 'decisions', 'trade-offs', 'tradeoffs', 'technology choices'],
        prompt: '`- Choice: …` with nested `- Why: …`, `- Alternatives: …`, `- Trade-off: …`.',
      },
    ],
  },
  {
    id: 'optimizations',
    number: 6,
    title: 'Optimizations',
    aliases: ['optimisations', 'optimization', 'optimisation', 'deep dive', 'deep dives', 'scaling'],
    minutes: 7,
    prompt: 'Each item as `- Choice: …` with `- Why`, `- Alternatives`, `- Trade-off`. Tie every item to a non-functional requirement.',
    sections: [
      {
        id: 'cap',
        title: 'CAP and consistency',
        aliases: ['cap', 'consistency', 'cap theorem', 'consistency model'],
        prompt: 'Per data store: consistency or availability under partition, and why the product can live with it.',
      },
      {
        id: 'scalability',
        title: 'Scalability',
        aliases: ['scale', 'scaling', 'partitioning', 'sharding'],
        prompt: 'Sharding keys, horizontal scaling, async work, hot keys.',
      },
      {
        id: 'efficiency',
        title: 'Efficiency',
        aliases: ['performance', 'latency', 'cost'],
        prompt: 'Caching, indexes, precomputation, batching, compression, cost.',
      },
      {
        id: 'resilience',
        title: 'Resilience and single points of failure',
        aliases: ['resilience', 'reliability', 'availability', 'spof', 'single points of failure', 'fault tolerance'],
        prompt: 'Replicas, failover, multi-AZ, retries with backoff, circuit breakers; name every single point of failure and remove it.',
      },
      {
        id: 'ux',
        title: 'User experience',
        aliases: ['ux', 'user experience', 'client', 'frontend'],
        prompt: 'Responsiveness, feedback, optimistic updates, lazy loading, client caching.',
      },
    ],
  },
  {
    id: 'failures',
    number: 7,
    title: 'Edge cases and failures',
    aliases: ['edge cases', 'failures', 'failure modes', 'failure handling', 'edge cases and failure'],
    minutes: 6,
    prompt: 'One line per case: `- <failure>: <how you detect it and how you mitigate it>`.',
    sections: [
      {
        id: 'edge-cases',
        title: 'Edge cases',
        aliases: ['edge case', 'corner cases'],
        prompt: 'Inputs and timings the happy path ignores: duplicates, retries, empty and huge inputs, clock skew.',
      },
      {
        id: 'small-scale',
        title: 'Small-scale failures',
        aliases: ['small scale', 'small-scale', 'small scale failures', 'local failures'],
        prompt: 'Memory leak, cache misses, message loss, race condition and deadlock, cascading failure.',
      },
      {
        id: 'large-scale',
        title: 'Large-scale failures',
        aliases: ['large scale', 'large-scale', 'large scale failures', 'outages', 'disasters'],
        prompt: 'Third-party API down, service overwhelmed, DDoS, node down, cluster down, failed deployment.',
      },
    ],
  },
];

export function stepById(id: StepId): StepDef {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`unknown step ${id}`);
  return step;
}

/** Split a total budget over the steps in proportion to their default minutes, summing exactly to the total. */
export function splitBudget(totalMinutes: number): Record<StepId, number> {
  const base = STEPS.reduce((sum, s) => sum + s.minutes, 0);
  const exact = STEPS.map((s) => (s.minutes * totalMinutes) / base);
  const floors = exact.map(Math.floor);
  let left = totalMinutes - floors.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties go to the earlier step so the split is deterministic.
  const order = exact.map((x, i) => ({ i, r: x - floors[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return Object.fromEntries(STEPS.map((s, i) => [s.id, floors[i]])) as Record<StepId, number>;
}
