// How far a step is answered: used by the report, the checker's scores and later `sdp status`.
import { STEPS, type StepDef } from '../method.js';
import type { Session, Step } from '../session.js';

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

export interface NextSection {
  step: StepDef;
  /** The method's section id, or `workflow` for the first workflow. */
  section: string;
  title: string;
}

/**
 * The sections the candidate has not answered yet, in the method's order, sample steps left
 * out. With `anotherWorkflow`, step 4 also offers one more workflow once one is written
 * (the terminal mode asks for workflows until an empty answer).
 */
export function openSections(session: Session, anotherWorkflow = false): NextSection[] {
  const out: NextSection[] = [];
  for (const def of STEPS) {
    if (session.frontmatter.samples.includes(def.id)) continue;
    const step = session.steps.find((s) => s.id === def.id)!;
    if (def.id === 'workflows') {
      const written = step.sections.filter((s) => s.id.startsWith('workflow-') && s.answer !== '').length;
      if (written === 0) out.push({ step: def, section: 'workflow', title: 'a first workflow' });
      else if (anotherWorkflow) out.push({ step: def, section: 'workflow', title: `Workflow ${written + 1} (empty answer when there are no more)` });
    }
    for (const sec of def.sections) {
      if (!step.sections.some((s) => s.id === sec.id && s.answer !== '')) out.push({ step: def, section: sec.id, title: sec.title });
    }
  }
  return out;
}

/** The first section the candidate has not answered yet. */
export function nextSection(session: Session): NextSection | undefined {
  return openSections(session)[0];
}
