// Options a candidate may not know yet: the playbook's tactics that serve a concern the answer
// leaves open, the alternatives to a tactic it chose, and the failure modes its own design
// makes relevant. Pure: the playbook and the answer's text come in as arguments.
import type { Category, Concern, FailureMode, Feature, Playbook, Tactic } from '../parse/playbook.js';
import type { Session } from '../session.js';
import { NFR_FAMILIES } from '../check/match.js';

/** Where to look first for a concern: availability is replication and failover before sharding. */
const HOME: Record<Concern, Category> = {
  latency: 'efficiency',
  availability: 'reliability',
  consistency: 'consistency',
  throughput: 'scalability',
  durability: 'reliability',
  cost: 'efficiency',
  security: 'security',
  operability: 'operability',
  experience: 'experience',
};

export function uses(t: Tactic | FailureMode, text: string): boolean {
  return t.signals.some((s) => s.test(text));
}

/** Tactics that serve `concern`, best first: its home category, then how central the concern is to the tactic. */
export function tacticsFor(playbook: Playbook, concern: Concern): Tactic[] {
  const rank = (t: Tactic) => (t.category === HOME[concern] ? 0 : 10) + t.serves.indexOf(concern);
  return playbook.tactics.filter((t) => t.serves.includes(concern)).sort((a, b) => rank(a) - rank(b));
}

/** Up to `n` tactics for a concern that the answer does not use yet. */
export function offerFor(playbook: Playbook, concern: Concern, answer: string, n = 3): Tactic[] {
  return tacticsFor(playbook, concern)
    .filter((t) => !uses(t, answer))
    .slice(0, n);
}

/** The tactic a choice names, if the playbook knows it. */
export function tacticNamed(playbook: Playbook, choice: string): Tactic | undefined {
  return playbook.tactics.find((t) => uses(t, choice));
}

/** What the design has that makes a failure mode worth a line in step 7. */
export function designFeatures(session: Session): Set<Feature> {
  const out = new Set<Feature>(['always']);
  const text = session.lines.map((l) => l.text).join('\n');
  const names = session.components.map((c) => `${c.name} ${c.responsibility}`).join('\n');
  for (const c of session.components) {
    if (c.type === 'queue') out.add('queue');
    if (c.type === 'cache') out.add('cache');
    if (c.type === 'database') out.add('database');
    if (c.type === 'storage') out.add('storage');
    if (c.type === 'external') out.add('external');
    if (c.type === 'gateway' || c.type === 'load-balancer') out.add('gateway');
  }
  if (/kafka|kinesis|pulsar|\bstream(s|ing)?\b/i.test(names)) out.add('stream');
  if (/multi[- ]?region|active[- ]active|(second|other|another|secondary) region|cross[- ]region|geo[- ]?replicat/i.test(text)) out.add('multi-region');
  if (/\bretr(y|ies|ied)\b/i.test(text)) out.add('retries');
  if (/connection pool|pgbouncer|pool of connections/i.test(text)) out.add('connection-pool');
  if (/websocket|server[- ]sent events|\bsse\b|long[- ]poll|persistent connection/i.test(text)) out.add('realtime');
  return out;
}

/** Failure modes the design makes relevant that step 7 does not cover yet (the method's named ones are the rules' business). */
export function failuresToConsider(playbook: Playbook, session: Session): FailureMode[] {
  const features = designFeatures(session);
  const step7 = session.lines
    .filter((l) => l.step === 'failures')
    .map((l) => l.text)
    .join('\n');
  return playbook.failures.filter((f) => !f.required && f.when.some((w) => w !== 'always' && features.has(w)) && !uses(f, step7));
}

// ---------------------------------------------------------------- the practice menu (step 6)

export interface MenuItem {
  tactic: Tactic;
  concern: Concern;
  /** The candidate's requirement it answers, as written. */
  requirement: string;
}

/**
 * Tactics that fit the candidate's own non-functional requirements and that the answer does not
 * use yet: two per requirement and concern, each tactic once, routed by concern (availability
 * leads to replication and failover, not to sharding).
 */
export function menuFor(playbook: Playbook, session: Session, max = 9): MenuItem[] {
  const answer = session.lines.map((l) => l.text).join('\n');
  const out: MenuItem[] = [];
  for (const l of session.lines.filter((x) => x.step === 'requirements' && x.section === 'non-functional' && /\S/.test(x.text))) {
    const requirement = l.text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
    for (const family of NFR_FAMILIES.filter((f) => f.need.test(requirement))) {
      for (const tactic of offerFor(playbook, family.concern, answer, 4)
        .filter((t) => !out.some((o) => o.tactic.id === t.id))
        .slice(0, 2)) {
        out.push({ tactic, concern: family.concern, requirement });
      }
    }
  }
  return out.slice(0, max);
}

/** The step 6 section a tactic's choice belongs in. */
export function sectionFor(t: Tactic): string {
  return { scalability: 'scalability', efficiency: 'efficiency', consistency: 'cap', experience: 'ux', reliability: 'resilience', security: 'resilience', operability: 'resilience' }[t.category];
}

/** A `- Choice:` with its Why and Trade-off left for the candidate, the playbook's alternatives to weigh. */
export function choiceSkeleton(item: MenuItem, playbook: Playbook): string {
  const alternatives = item.tactic.alternatives.map((id) => playbook.tactics.find((t) => t.id === id)?.name ?? id);
  return [`- Choice: ${item.tactic.name} for "${item.requirement}"`, '  - Why:', `  - Alternatives: ${alternatives.join('; ')}`, '  - Trade-off:'].join('\n');
}
