// renderSession: a new session file for a question. The static prompts and the
// question's own prompts go into tool-owned hint blocks; answers go between them.
import { hintBlock, questionBlock } from '../parse/blocks.js';
import { FORMAT_VERSION, STEPS, type StepId } from '../method.js';
import type { Question } from '../parse/questions.js';

/** Preset text that must stay on its line (a title in a heading): its line breaks become spaces. */
function oneLine(text: string): string {
  return text.split(/\r\n|\r|\n/).join(' ');
}

export function stepHintLines(question: Question, step: StepId, minutes: number): string[] {
  const def = STEPS.find((s) => s.id === step)!;
  const specific = question.prompts[step] ?? [];
  const lines = [`**${def.title}** (${minutes} min): ${def.prompt}`];
  if (specific.length) lines.push('', `For ${oneLine(question.title).replace(/^Design\s+/i, '')}:`, ...specific.map((p) => `- ${p}`));
  return lines;
}

export interface NewSession {
  question: Question;
  /** ISO time the session starts. */
  started: string;
  budget: Record<StepId, number>;
  /** Per step, what earlier attempts at this question left open (`sdp new` reads the log). */
  carried?: Partial<Record<StepId, string[]>>;
}

export function renderSession({ question, started, budget, carried = {} }: NewSession): string {
  const out: string[] = [];
  out.push(
    '---',
    `sdp: ${FORMAT_VERSION}`,
    `question: ${question.id}`,
    `title: ${JSON.stringify(question.title)}`,
    `started: ${JSON.stringify(started)}`,
    'budget:',
    ...STEPS.map((s) => `  ${s.id}: ${budget[s.id]}`),
    '---',
    '',
    `# ${oneLine(question.title)}`,
    '',
    questionBlock(question.id, question.scope),
  );
  for (const step of STEPS) {
    out.push(`## ${step.number}. ${step.title}`, '', hintBlock(step.id, stepHintLines(question, step.id, budget[step.id])));
    // A block of its own: watch rewrites the step's block from this attempt's answers, and
    // must not drop what the earlier attempts said.
    const earlier = carried[step.id] ?? [];
    if (earlier.length) out.push(hintBlock(`${step.id}/earlier`, ['**From your earlier attempts**, still open:', ...earlier.map((l) => `- ${l}`)]));
    if (step.id === 'workflows') {
      out.push(
        '### Workflow 1',
        '',
        hintBlock('workflows/workflow-1', [
          'Rename this heading after the flow (`### Workflow: Book a stay`) and write one hop per line:',
          '`Guest -> API Gateway: POST /bookings`. Add a `### Workflow: …` section per happy path.',
        ]),
      );
    }
    for (const section of step.sections) {
      out.push(`### ${section.title}`, '', hintBlock(`${step.id}/${section.id}`, [section.prompt]));
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
