// The coverage score: how much of the method a session answers, less what its findings cost.
import { STEPS, type StepId } from '../method.js';
import type { Severity } from '../messages.js';
import type { Session } from '../session.js';
import { stepStatus } from '../derive/status.js';
import type { Finding } from './rule.js';

export type Scores = { overall: number; steps: Record<StepId, number> };

const SEVERITY_COST: Record<Severity, number> = { error: 15, warning: 5 };

/**
 * Per step: 100 × (answered sections / the method's sections), minus 15 per error and 5 per
 * warning attributed to the step, within 0–100. Overall: the steps' scores weighted by their
 * budget minutes.
 */
export function score(session: Session, findings: Finding[]): Scores {
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
