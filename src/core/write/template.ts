// renderSession: a new session file for a question. The static prompts and the
// question's own prompts go into tool-owned hint blocks; answers go between them.
import { hintBlock, questionBlock } from '../parse/blocks.js';
import { FORMAT_VERSION, STEPS, type StepId } from '../method.js';
import { examplesOf, type Question } from '../parse/questions.js';

/** A generic prompt with this question's examples in place of `{api}`, `{workflow}`, `{hop}`. */
export function withExamples(prompt: string, question: Pick<Question, 'examples'> | undefined): string {
  const examples = examplesOf(question);
  return prompt.replace(/\{(api|workflow|hop)\}/g, (_, key: keyof typeof examples) => examples[key]);
}
import { DEFAULT_LEVEL, type Level } from '../parse/rubric.js';

/** Preset text that must stay on its line (a title in a heading): its line breaks become spaces. */
function oneLine(text: string): string {
  return text.split(/\r\n|\r|\n/).join(' ');
}

export function stepHintLines(question: Question, step: StepId, minutes: number): string[] {
  const def = STEPS.find((s) => s.id === step)!;
  const specific = question.prompts[step] ?? [];
  const lines = [`**${def.title}** (${minutes} min): ${withExamples(def.prompt, question)}`];
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
  /** The level the candidate practises for; picks which rubric key points count. */
  level?: Level;
}

export function renderSession({ question, started, budget, carried = {}, level = DEFAULT_LEVEL }: NewSession): string {
  const out: string[] = [];
  out.push(
    '---',
    `sdp: ${FORMAT_VERSION}`,
    `question: ${question.id}`,
    `title: ${JSON.stringify(question.title)}`,
    `started: ${JSON.stringify(started)}`,
    `level: ${level}`,
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
          withExamples('Rename this heading after the flow (`### Workflow: {workflow}`) and write one hop per line:', question),
          withExamples('`{hop}`. Add a `### Workflow: …` section per happy path.', question),
        ]),
      );
    }
    for (const section of step.sections) {
      out.push(`### ${section.title}`, '', hintBlock(`${step.id}/${section.id}`, [withExamples(section.prompt, question)]));
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
