import { checkSession, type CheckResult, type Finding } from '../core/check/index.js';
import { countWords, formatMessage } from '../core/messages.js';
import { describeEstimate } from '../core/check/estimate.js';
import { STEPS } from '../core/method.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import { loadDepth, loadPlaybook } from '../io/bank.js';
import { depthSummary, type DepthResult } from '../core/check/depth.js';
import type { CommandContext } from './context.js';

export interface CheckOptions {
  dir: string;
  json?: boolean;
  strict?: boolean;
  /** Name the rubric's key points; without it only the count is shown, so the rubric is no spoiler. */
  reveal?: boolean;
}

/** Version of the --json shape; bump it when a field changes meaning or goes away. */
export const CHECK_SCHEMA = 'sdp-check/1';

/** A finding as `sdp-check/1` spells it: `rule`, `message` and `suggestion` are the model's `id`, `text` and `hint`. */
export function findingJson(f: Finding): object {
  return { rule: f.id, severity: f.severity, step: f.step, line: f.line, column: f.column, subject: f.subject, message: f.text, suggestion: f.hint, ...(f.evidence ? { evidence: f.evidence } : {}) };
}

/** Depth in --json: the count always; the points only with --reveal, like the text output. */
export function depthJson(depth: DepthResult | undefined, reveal: boolean): object | null {
  if (!depth) return null;
  const { question, level, counted, covered } = depth;
  return reveal ? depth : { question, level, counted, covered };
}

/** Every key point covered or missed, with its line and why it matters, then the pitfalls. */
export function formatDepth(depth: DepthResult): string[] {
  const out = [`${depthSummary(depth)}:`];
  for (const k of depth.keyPoints) {
    const mark = k.covered ? 'covered' : 'missed ';
    const beyond = k.expected ? '' : `, beyond ${depth.level}`;
    out.push(`  ${mark}  ${k.id} (${k.level}${beyond}): ${k.point}`);
    out.push(k.covered ? `           line ${k.line}: ${clip(k.text!)}` : `           why: ${k.why}`);
  }
  for (const p of depth.pitfalls) out.push(`  pitfall  ${p.id}, line ${p.line}: ${p.pitfall}. ${p.why}`);
  return out;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 110 ? `${line.slice(0, 107)}...` : line;
}

export function checkJson(file: string, question: string, result: CheckResult, depth?: DepthResult, reveal = false): object {
  const counts = { error: result.findings.filter((f) => f.severity === 'error').length, warning: result.findings.filter((f) => f.severity === 'warning').length };
  return {
    schema: CHECK_SCHEMA,
    file,
    question,
    scores: result.scores,
    estimate: { figures: result.estimate.figures, computed: result.estimate.computed ?? null, summary: describeEstimate(result.estimate) },
    counts,
    findings: result.findings.map(findingJson),
    depth: depthJson(depth, reveal),
  };
}

export async function checkCommand(ctx: CommandContext, given: string | undefined, opts: CheckOptions): Promise<number> {
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const { session, shown } = await loadSession(ctx.cwd, file);
  const result = checkSession(session, { playbook: await loadPlaybook(ctx.cwd) });
  const depth = await loadDepth(ctx.cwd, session);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const failed = errors > 0 || (Boolean(opts.strict) && result.findings.length > 0);

  if (opts.json) {
    ctx.term.out(JSON.stringify(checkJson(shown, session.frontmatter.question, result, depth, opts.reveal), null, 2));
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
  if (!depth) ctx.term.out(`Depth: no rubric for ${session.frontmatter.question} (add templates/rubrics/${session.frontmatter.question}.yaml to measure it).`);
  else if (opts.reveal) for (const line of formatDepth(depth)) ctx.term.out(line);
  else ctx.term.out(`${depthSummary(depth)}: key points of this question your answer covers (sdp check --reveal names them).`);
  const warnings = result.findings.length - errors;
  ctx.term.out(result.findings.length === 0 ? 'No findings.' : `${countWords({ error: errors, warning: warnings })}.`);
  return failed ? 1 : 0;
}
