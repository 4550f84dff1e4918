// Where an answer typed at `sdp practice` goes in the session: below the section's hint
// block, as if typed in an editor. Pure: returns the edit; the caller writes it.
import type { Edit } from './edit.js';
import { STEPS, type StepId } from '../method.js';
import type { Session } from '../session.js';

export interface AnswerTarget {
  step: StepId;
  /** A method section id, or `workflow` for a new workflow. */
  section: string;
  /** For a workflow: its name. */
  name?: string;
}

export function answerEdit(source: string, session: Session, target: AnswerTarget, answer: string): Edit {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const body = answer.replace(/\r?\n/g, eol).replace(/\s+$/, '');
  const step = session.steps.find((s) => s.id === target.step)!;
  const def = STEPS.find((s) => s.id === target.step)!;
  const lineEnd = (offset: number) => source.indexOf('\n', offset) + 1 || source.length;

  if (target.section === 'workflow') {
    const heading = `### Workflow: ${target.name?.trim() || 'Workflow'}`;
    // The template's empty `### Workflow 1` takes the first one; later ones go before Components.
    const empty = step.sections.find((s) => s.id.startsWith('workflow-') && s.answer === '' && /^Workflow \d+$/.test(s.title));
    if (empty) {
      const block = session.owned.find((b) => b.span.start >= empty.span.start && b.span.end <= empty.span.end);
      const at = block ? block.span.end : lineEnd(empty.span.start);
      const headingEnd = lineEnd(empty.span.start);
      return { start: empty.span.start, end: at, text: `${heading}${eol}${source.slice(headingEnd, at)}${eol}${body}${eol}` };
    }
    const components = step.sections.find((s) => s.id === 'components');
    const at = components ? components.span.start : step.present ? step.span.end : source.length;
    return { start: at, end: at, text: `${heading}${eol}${eol}${body}${eol}${eol}` };
  }

  const block = session.owned.find((b) => b.kind === 'hint' && b.key === `${target.step}/${target.section}`);
  if (block) return { start: block.span.end, end: block.span.end, text: `${eol}${body}${eol}` };
  const section = step.sections.find((s) => s.id === target.section);
  if (section) {
    // Below what is already there: the section's end, before the blank lines that close it.
    const at = section.span.start + source.slice(section.span.start, section.span.end).replace(/\s+$/, '').length;
    return { start: at, end: at, text: `${eol}${eol}${body}` };
  }
  const title = def.sections.find((s) => s.id === target.section)?.title ?? target.section;
  const at = step.present ? step.span.end : source.length;
  return { start: at, end: at, text: `### ${title}${eol}${eol}${body}${eol}${eol}` };
}
