import { STEPS } from '../../src/core/method.js';
import { parseSession } from '../../src/core/parse/parse.js';
import type { Example } from '../../src/core/check/rule.js';

/** A session with the given answers: keys are `step/section`, `workflows` for the raw step body, `frontmatter` for extra frontmatter lines. */
export function exampleSession(answers: Example) {
  const out = ['---', 'sdp: 1', 'question: test', 'title: Test', ...(answers.frontmatter ? [answers.frontmatter] : []), '---', '# Test'];
  for (const step of STEPS) {
    out.push(`## ${step.number}. ${step.title}`);
    if (step.id === 'workflows' && answers.workflows) out.push(answers.workflows);
    for (const s of step.sections) out.push(`### ${s.title}`, answers[`${step.id}/${s.id}`] ?? '');
  }
  return parseSession(`${out.join('\n')}\n`);
}
