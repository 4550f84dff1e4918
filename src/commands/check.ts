import { checkSession, type CheckResult, type Finding } from '../core/check/index.js';
import { countWords, formatMessage } from '../core/messages.js';
import { describeEstimate } from '../core/check/estimate.js';
import { STEPS } from '../core/method.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import { loadPlaybook } from '../io/bank.js';
import type { CommandContext } from './context.js';

export interface CheckOptions {
  dir: string;
  json?: boolean;
  strict?: boolean;
}

/** Version of the --json shape; bump it when a field changes meaning or goes away. */
export const CHECK_SCHEMA = 'sdp-check/1';

/** A finding as `sdp-check/1` spells it: `rule`, `message` and `suggestion` are the model's `id`, `text` and `hint`. */
export function findingJson(f: Finding): object {
  return { rule: f.id, severity: f.severity, step: f.step, line: f.line, column: f.column, subject: f.subject, message: f.text, suggestion: f.hint, ...(f.evidence ? { evidence: f.evidence } : {}) };
}

export function checkJson(file: string, question: string, result: CheckResult): object {
  const counts = { error: result.findings.filter((f) => f.severity === 'error').length, warning: result.findings.filter((f) => f.severity === 'warning').length };
  return {
    schema: CHECK_SCHEMA,
    file,
    question,
    scores: result.scores,
    estimate: { figures: result.estimate.figures, computed: result.estimate.computed ?? null, summary: describeEstimate(result.estimate) },
    counts,
    findings: result.findings.map(findingJson),
  };
}

export async function checkCommand(ctx: CommandContext, given: string | undefined, opts: CheckOptions): Promise<number> {
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const { session, shown } = await loadSession(ctx.cwd, file);
  const result = checkSession(session, { playbook: await loadPlaybook(ctx.cwd) });
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const failed = errors > 0 || (Boolean(opts.strict) && result.findings.length > 0);

  if (opts.json) {
    ctx.term.out(JSON.stringify(checkJson(shown, session.frontmatter.question, result), null, 2));
    return failed ? 1 : 0;
  }
  for (const m of [...session.diagnostics, ...result.findings]) ctx.term.out(formatMessage(shown, m));
  if (result.findings.length) ctx.term.out('');
  const estimate = describeEstimate(result.estimate);
  if (estimate.length) ctx.term.out(`Estimates from your figures: ${estimate.join('; ')}`);
  const samples = session.frontmatter.samples;
  const perStep = STEPS.map((s) => `${s.number}. ${s.title} ${samples.includes(s.id) ? 'sample' : result.scores.steps[s.id]}`).join(' · ');
  ctx.term.out(`Coverage ${result.scores.overall}/100: ${perStep}`);
  if (samples.length) ctx.term.out(`Steps ${samples.map((id) => STEPS.find((s) => s.id === id)!.number).join(', ')} hold sample answers: not checked or scored.`);
  const warnings = result.findings.length - errors;
  ctx.term.out(result.findings.length === 0 ? 'No findings.' : `${countWords({ error: errors, warning: warnings })}.`);
  return failed ? 1 : 0;
}
