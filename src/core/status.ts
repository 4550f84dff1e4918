// How far a step is answered: used by the report, the checker's scores and later `sdp status`.
import type { StepDef } from './method.js';
import type { Step } from './session.js';

export type StepStatus = 'answered' | 'partly answered' | 'not answered';

/** How much of a step has an answer: every method section, and for workflows at least one workflow. */
export function stepStatus(step: Step, def: StepDef): StepStatus {
  const expected = def.sections.map((s) => step.sections.some((x) => x.id === s.id && x.answer !== ''));
  if (def.id === 'workflows') expected.push(step.sections.some((s) => s.id.startsWith('workflow-') && s.answer !== ''));
  const done = expected.filter(Boolean).length;
  const extra = step.preamble !== '' || step.sections.some((s) => !s.known && s.answer !== '');
  if (done === expected.length) return 'answered';
  return done > 0 || extra ? 'partly answered' : 'not answered';
}
