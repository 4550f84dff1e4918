import { checkSession, type CheckResult, type Finding } from '../core/check/check.js';
import { formatDiagnostic } from '../core/errors.js';
import { describeEstimate } from '../core/check/estimate.js';
import { STEPS } from '../core/method.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import type { CommandContext } from './context.js';

export interface CheckOptions {
  dir: string;
  json?: boolean;
  strict?: boolean;
}

/** Version of the --json shape; bump it when a field changes meaning or goes away. */
export const CHECK_SCHEMA = 'sdp-check/1';

export function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}. Try: ${f.suggestion}.`;
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
    findings: result.findings,
  };
}

export async function checkCommand(ctx: CommandContext, given: string | undefined, opts: CheckOptions): Promise<number> {
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const { session, shown } = await loadSession(ctx.cwd, file);
  const result = checkSession(session);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const failed = errors > 0 || (Boolean(opts.strict) && result.findings.length > 0);

  if (opts.json) {
    ctx.term.out(JSON.stringify(checkJson(shown, session.frontmatter.question, result), null, 2));
    return failed ? 1 : 0;
  }
  for (const d of session.diagnostics) ctx.term.out(formatDiagnostic(shown, d));
  for (const f of result.findings) ctx.term.out(formatFinding(shown, f));
  if (result.findings.length) ctx.term.out('');
  const estimate = describeEstimate(result.estimate);
  if (estimate.length) ctx.term.out(`Estimates from your figures: ${estimate.join('; ')}`);
  const samples = session.frontmatter.samples;
  const perStep = STEPS.map((s) => `${s.number}. ${s.title} ${samples.includes(s.id) ? 'sample' : result.scores.steps[s.id]}`).join(' · ');
  ctx.term.out(`Coverage ${result.scores.overall}/100: ${perStep}`);
  if (samples.length) ctx.term.out(`Steps ${samples.map((id) => STEPS.find((s) => s.id === id)!.number).join(', ')} hold sample answers: not checked or scored.`);
  const warnings = result.findings.length - errors;
  ctx.term.out(result.findings.length === 0 ? 'No findings.' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return failed ? 1 : 0;
}
