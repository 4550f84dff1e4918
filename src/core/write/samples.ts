// Sample answers: a preset's strong answers for steps 1–6, kept as a session file under
// templates/samples/. `sdp new --start-step N` copies steps 1…N-1 into a new session;
// `sdp sample` prints them.
import { applyEdits, type Edit } from './edit.js';
import { frontmatterKeyEdit } from '../parse/blocks.js';
import { STEPS, type StepId } from '../method.js';
import { parseSession } from '../parse/parse.js';
import type { Session } from '../session.js';

/** The steps before `startStep`, which a session started there takes from the sample. */
export function stepsBefore(startStep: number): StepId[] {
  return STEPS.filter((s) => s.number < startStep).map((s) => s.id);
}

/**
 * The new session's text with the sample's answers for `steps` put under their hint blocks,
 * the sample's workflows in place of the empty one, and `samples:` in the frontmatter.
 */
export function prefill(template: string, sample: Session, steps: StepId[]): string {
  if (steps.length === 0) return template;
  const session = parseSession(template);
  const edits: Edit[] = [];
  const endOf = (key: string) => session.owned.find((b) => b.kind === 'hint' && b.key === key)?.span.end;

  for (const id of steps) {
    const from = sample.steps.find((s) => s.id === id)!;
    const to = session.steps.find((s) => s.id === id)!;
    if (from.preamble) {
      const at = endOf(id);
      if (at !== undefined) edits.push({ start: at, end: at, text: `\n${from.preamble}\n` });
    }
    if (id === 'workflows') {
      // The template's empty `### Workflow 1` gives way to the sample's workflows.
      const empty = to.sections.find((s) => s.id === 'workflow-1');
      const components = to.sections.find((s) => s.id === 'components');
      const flows = from.sections
        .filter((s) => s.id.startsWith('workflow-') && s.answer)
        .map((s) => `### Workflow: ${s.title}\n\n${s.answer}\n\n`)
        .join('');
      if (empty && components && flows) edits.push({ start: empty.span.start, end: components.span.start, text: flows });
    }
    for (const section of from.sections) {
      if (!section.known || !section.answer) continue;
      const at = endOf(`${id}/${section.id}`);
      if (at !== undefined) edits.push({ start: at, end: at, text: `\n${section.answer}\n` });
    }
  }
  const samples = frontmatterKeyEdit(template, session.bodyStart, 'samples', `samples: [${steps.join(', ')}]\n`);
  if (samples) edits.push(samples);
  return applyEdits(template, edits);
}

/** The sample's answers as markdown, for `sdp sample`: every step, or one. */
export function renderSample(sample: Session, step?: number): string {
  const out: string[] = [];
  for (const def of STEPS) {
    if (step !== undefined && def.number !== step) continue;
    const s = sample.steps.find((x) => x.id === def.id)!;
    const sections = s.sections.filter((x) => x.answer);
    if (!s.preamble && sections.length === 0) continue;
    out.push(`## ${def.number}. ${def.title}`, '');
    if (s.preamble) out.push(s.preamble, '');
    for (const x of sections) out.push(`### ${x.id.startsWith('workflow-') ? `Workflow: ${x.title}` : x.title}`, '', x.answer, '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
