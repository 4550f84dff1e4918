import { checkSession } from '../core/check/index.js';
import { countWords } from '../core/messages.js';
import { STEPS } from '../core/method.js';
import { formatDuration } from '../core/write/report.js';
import { nextSection, stepStatus } from '../core/derive/status.js';
import { readTiming } from '../core/derive/timing.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import { loadDepth, loadPlaybook } from '../io/bank.js';
import { depthSummary } from '../core/check/depth.js';
import type { CommandContext } from './context.js';

export const STATUS_SCHEMA = 'sdp-status/1';

export async function statusCommand(ctx: CommandContext, given: string | undefined, opts: { dir: string; json?: boolean }): Promise<number> {
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const { session, shown } = await loadSession(ctx.cwd, file);
  const fm = session.frontmatter;
  const timing = readTiming(fm.raw);
  const check = checkSession(session, { playbook: await loadPlaybook(ctx.cwd) });
  const next = nextSection(session);
  const depth = await loadDepth(ctx.cwd, session);
  const steps = STEPS.map((def) => {
    const sample = fm.samples.includes(def.id);
    return {
      id: def.id,
      number: def.number,
      title: def.title,
      status: sample
        ? 'sample answer'
        : stepStatus(
            session.steps.find((s) => s.id === def.id)!,
            def,
          ),
      activeSeconds: timing.steps[def.id]?.active ?? null,
      budgetMinutes: fm.budget[def.id] ?? null,
      coverage: sample ? null : check.scores.steps[def.id],
    };
  });
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const nextText = next ? `write ${next.title} in step ${next.step.number} (${next.step.title})` : 'every section has an answer: run `sdp check`, then `sdp build`';

  if (opts.json) {
    ctx.term.out(
      JSON.stringify(
        {
          schema: STATUS_SCHEMA,
          file: shown,
          question: fm.question,
          title: fm.title,
          steps,
          coverage: check.scores.overall,
          counts: { error: errors, warning: check.findings.length - errors },
          depth: depth ? { level: depth.level, covered: depth.covered, counted: depth.counted } : null,
          next: next ? { step: next.step.id, section: next.section, text: nextText } : null,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  ctx.term.out(`${fm.title} · ${shown}`);
  const width = Math.max(...STEPS.map((s) => `${s.number}. ${s.title}`.length));
  for (const s of steps) {
    const time =
      s.status === 'sample answer'
        ? ''
        : `${s.activeSeconds === null ? '—' : formatDuration(s.activeSeconds * 1000)} of ${s.budgetMinutes ?? '—'} min${s.activeSeconds !== null && s.budgetMinutes !== null && s.activeSeconds > s.budgetMinutes * 60 ? ' (over)' : ''}`;
    ctx.term.out(`  ${`${s.number}. ${s.title}`.padEnd(width)}  ${s.status.padEnd(15)}  ${time}`.trimEnd());
  }
  const depthText = depth ? ` · ${depthSummary(depth)}` : '';
  ctx.term.out(`Coverage ${check.scores.overall}/100${depthText} · ${countWords({ error: errors, warning: check.findings.length - errors })} (sdp check lists them)`);
  ctx.term.out(`Next: ${nextText}`);
  return 0;
}
