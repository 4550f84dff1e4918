// Derived hints: what the earlier answers imply for each later step, each line citing its
// source. Built on the checker's findings (one implementation, two uses) plus a few
// prompts that only make sense while writing. Deterministic, no clock, no network.
import { RULES, checkSession, type CheckResult, type Finding } from '../check/index.js';
import { describeEstimate } from '../check/estimate.js';
import { STEPS, type StepId } from '../method.js';
import type { Session } from '../session.js';
import { introducedIn, quote } from './prompt.js';
import { needsIdempotency, suggestEndpoint } from './action.js';
import type { Playbook } from '../parse/playbook.js';
import { designFeatures, failuresToConsider } from './options.js';

export type DerivedHints = Record<StepId, string[]>;

const MAX_PER_STEP = 8;

/** The hint lines the registry's rules derive for one step, in registry order: the checklist ones (`last`) or the others. */
function fromRules(session: Session, findings: Finding[], step: StepId, last = false): string[] {
  return RULES.flatMap((rule) => (rule.hint?.step === step && Boolean(rule.hint.last) === last ? findings.filter((f) => f.id === rule.id).map((f) => rule.hint!.text(f, session)) : []));
}

function nfrLines(session: Session): string[] {
  return session.lines.filter((l) => l.step === 'requirements' && l.section === 'non-functional' && /\S/.test(l.text)).map((l) => l.text);
}

function functionalLines(session: Session): string[] {
  return session.lines.filter((l) => l.step === 'requirements' && l.section === 'functional' && /\S/.test(l.text)).map((l) => l.text);
}

/** Allowed downtime for an availability figure such as 99.95%. */
function downtime(nines: number): string {
  const minutes = ((100 - nines) / 100) * 365 * 24 * 60;
  return minutes >= 120 ? `${(minutes / 60).toFixed(1)} h a year` : `${Math.round(minutes)} min a year`;
}

export function deriveHints(session: Session, check: CheckResult = checkSession(session), playbook?: Playbook): DerivedHints {
  const f = check.findings;
  const out = Object.fromEntries(STEPS.map((s) => [s.id, [] as string[]])) as DerivedHints;
  const nfrs = nfrLines(session);
  const functional = functionalLines(session);

  // Estimation ← requirements, and the calculator.
  for (const line of nfrs) {
    const availability = /(\d{2}(?:\.\d+)?)\s*%/.exec(line);
    if (availability && /availab|uptime/i.test(line))
      out.estimation.push(`${availability[1]}% availability allows ${downtime(Number(availability[1]))} of downtime (from your requirement ${quote(line)})`);
    const latency = /p?(\d{2,3})?\s*(?:latency)?[^\d]{0,20}?(\d+)\s*ms/i.exec(line);
    if (latency && /latenc|p9\d|ms/i.test(line)) out.estimation.push(`a ${latency[2]} ms budget: count the hops of the slowest workflow against it (from your requirement ${quote(line)})`);
  }
  const calc = describeEstimate(check.estimate);
  if (calc.length) out.estimation.push(`from your figures: ${calc.join('; ')}`);
  else if (session.steps.find((s) => s.id === 'estimation')!.present)
    out.estimation.push(
      'write figures as `name: value` (`DAU: 10M`, `reads per user per day: 20`, `object size: 2 KB`, `retention: 5 years`, `peak factor: 3`) and the hint computes QPS, storage and bandwidth',
    );

  // API ← requirements.
  out.api.push(...fromRules(session, f, 'api'));
  if (session.endpoints.filter((e) => e.external).length === 0) {
    // Only for requirements whose verb and object say what the endpoint is: no paths from stray words.
    for (const line of functional) {
      const s = suggestEndpoint(line);
      if ('endpoint' in s && out.api.length < 5) out.api.push(`\`${s.endpoint}\` for ${quote(line)} (from your requirement)`);
    }
  }
  const reqText = [...functional, ...nfrs].join('\n');
  const apiText = session.lines
    .filter((l) => l.step === 'api')
    .map((l) => l.text)
    .join('\n');
  if (/feed|timeline|list|search|browse|history|results/i.test(reqText) && !/cursor|page|limit|offset/i.test(apiText))
    out.api.push('lists and feeds need pagination: a cursor and a limit (from your requirements)');
  const claims = functional.filter(needsIdempotency);
  if (claims.length && !/idempoten/i.test(apiText)) out.api.push(`${quote(claims[0])} must not happen twice when a request is retried: an idempotency key (from your requirement)`);
  if (/abuse|rate|spam|bot|ddos|scale|million|billion/i.test(reqText) && !/rate.?limit|429|throttl/i.test(apiText))
    out.api.push('say how clients are rate limited (429 with Retry-After) (from your non-functional requirements)');

  // Workflows ← API.
  out.workflows.push(...fromRules(session, f, 'workflows'));

  // Architecture ← workflows.
  const inWorkflows = session.components.filter((c) => session.workflows.some((w) => w.edges.some((e) => e.from === c.name || e.to === c.name)));
  if (inWorkflows.length) out.architecture.push(`components in your workflows: ${inWorkflows.map((c) => `${c.name} (${c.type})`).join(', ')}`);
  out.architecture.push(...fromRules(session, f, 'architecture'));

  // Optimizations ← requirements + architecture.
  const figures = check.estimate.figures;
  const readHeavy = figures.readsPerDay > 0 && figures.writesPerDay > 0 && figures.readsPerDay / figures.writesPerDay >= 10;
  if (readHeavy && !session.components.some((c) => c.type === 'cache' || c.type === 'cdn'))
    out.optimizations.push(`reads outnumber writes ${Math.round(figures.readsPerDay / figures.writesPerDay)}:1 and there is no cache or CDN yet (from step 2)`);
  out.optimizations.push(...fromRules(session, f, 'optimizations'));
  const stores = session.components.filter((c) => c.type === 'database');
  if (stores.length && session.lines.every((l) => l.section !== 'cap')) out.optimizations.push(`state the CAP choice for each data store: ${stores.map((c) => c.name).join(', ')}`);

  // Edge cases and failures ← architecture.
  const failureText = session.lines
    .filter((l) => l.step === 'failures')
    .map((l) => l.text.toLowerCase())
    .join('\n');
  out.failures.push(...fromRules(session, f, 'failures'));
  for (const c of session.components.filter((x) => x.type === 'cache' && !failureText.includes(x.name.toLowerCase())))
    out.failures.push(`${c.name}: a stampede after a restart, and misses under a cold start? (from ${introducedIn(session, c.name)})`);
  // Only where nothing says yet how the store survives a node (the spof rule's finding): a line in step 6 that does answers it.
  const unguarded = new Set(f.filter((x) => x.id === 'spof').map((x) => x.subject));
  for (const c of stores.filter((x) => unguarded.has(x.name) && !failureText.includes(x.name.toLowerCase())))
    out.failures.push(`${c.name}: how does it fail over, and what is lost? (from ${introducedIn(session, c.name)})`);
  // The catalogue's failure modes this design makes relevant (a queue: poison messages; a cache: a stampede).
  if (playbook) {
    const features = designFeatures(session);
    for (const mode of failuresToConsider(playbook, session).slice(0, 3)) {
      const because = mode.when.find((w) => features.has(w));
      out.failures.push(
        `${mode.name} (your design has ${because === 'multi-region' ? 'more than one region' : because === 'realtime' ? 'open connections' : `a ${because}`}): ${mode.detect.replace(/\.$/, '')}; mitigate with ${mode.mitigate.slice(0, 2).join(', ').toLowerCase()}`,
      );
    }
  }
  out.failures.push(...fromRules(session, f, 'failures', true));

  for (const id of Object.keys(out) as StepId[]) {
    const unique = [...new Set(out[id])];
    out[id] = unique.length > MAX_PER_STEP ? [...unique.slice(0, MAX_PER_STEP - 1), `and ${unique.length - MAX_PER_STEP + 1} more: run \`sdp check\``] : unique;
  }
  return out;
}
