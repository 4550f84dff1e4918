// sdp stats: every attempt as a row (date, question, level, time against budget, coverage,
// depth, grade), the findings that keep coming back, and reports/stats.svg.
import path from 'node:path';
import { chronological, trackFindings, type Attempt } from '../core/derive/history.js';
import { statsChart } from '../core/draw/chart.js';
import { STEPS } from '../core/method.js';
import { writeOwned } from '../io/safe-write.js';
import { readLog } from '../io/history.js';
import type { CommandContext } from './context.js';

export const STATS_SCHEMA = 'sdp-stats/1';

export interface StatsOptions {
  dir: string;
  out: string;
  question?: string;
  json?: boolean;
}

export async function statsCommand(ctx: CommandContext, opts: StatsOptions): Promise<number> {
  const question = opts.question === undefined ? undefined : String(opts.question);
  const log = await readLog(ctx.cwd, opts.dir, question);
  const attempts = chronological(log.attempts);
  const questions = [...new Set(attempts.map((a) => a.question))].sort();
  const findings = Object.fromEntries(questions.map((q) => [q, trackFindings(attempts.filter((a) => a.question === q))]));

  const outDir = path.resolve(ctx.cwd, opts.out);
  const chart = path.join(outDir, 'stats.svg');
  await writeOwned(chart, statsChart(attempts), outDir);
  const chartShown = path.relative(ctx.cwd, chart) || chart;

  if (opts.json) {
    ctx.term.out(
      JSON.stringify(
        {
          schema: STATS_SCHEMA,
          git: log.git,
          chart: chartShown,
          attempts: attempts.map((a) => ({
            file: a.file,
            question: a.question,
            started: a.started ?? null,
            level: a.level,
            activeSeconds: a.activeTotal,
            budgetMinutes: budgetOf(a),
            steps: STEPS.map((d) => ({
              id: d.id,
              activeSeconds: a.active[d.id] ?? null,
              budgetMinutes: a.budget[d.id] ?? null,
              sample: a.samples.includes(d.id),
              coverage: a.stepCoverage[d.id],
              grade: a.grade?.steps[d.id] ?? null,
            })),
            coverage: a.coverage,
            depth: a.depth ?? null,
            grade: a.grade ? { overall: a.grade.overall ?? null, hire: a.grade.hire ?? null } : null,
          })),
          findings,
          skipped: log.skipped,
        },
        null,
        2,
      ),
    );
    return 0;
  }

  if (attempts.length === 0) {
    ctx.term.out(`No attempts${question ? ` at ${question}` : ''} in ${opts.dir}/${log.git ? ' or its git history' : ''}. Start one with: sdp new <question>`);
  } else {
    const rows = attempts.map((a) => [
      a.started ? a.started.slice(0, 10) : '—',
      a.question,
      a.level,
      `${minutes(a.activeTotal)}/${budgetOf(a)} min`,
      over(a),
      `${a.coverage}`,
      a.depth ? `${a.depth.covered}/${a.depth.counted}` : '—',
      a.grade?.overall !== undefined ? `${a.grade.overall}/5` : '—',
    ]);
    table(ctx, ['date', 'question', 'level', 'time', 'over budget', 'coverage', 'depth', 'grade'], rows);
    for (const q of questions) {
      const open = findings[q].filter((f) => f.status !== 'resolved');
      const resolved = findings[q].length - open.length;
      const again = open.filter((f) => f.status === 'affirmed');
      ctx.term.out(`${q}: ${open.length} open finding${open.length === 1 ? '' : 's'} (${again.length} raised again), ${resolved} resolved`);
      for (const f of again.slice(0, 3)) ctx.term.out(`  again ×${f.raised}: ${f.text}`);
    }
  }
  for (const s of log.skipped) ctx.term.err(`skipped ${s.file}: ${s.why}`);
  ctx.term.out(`Chart: ${chartShown}`);
  return 0;
}

function budgetOf(a: Attempt): number {
  return STEPS.reduce((sum, d) => sum + (a.samples.includes(d.id) ? 0 : (a.budget[d.id] ?? 0)), 0);
}

function minutes(seconds: number): string {
  return seconds < 60 && seconds > 0 ? '<1' : String(Math.round(seconds / 60));
}

/** The steps whose active time ran past their budget, by number: "4,5". */
function over(a: Attempt): string {
  const steps = STEPS.filter((d) => (a.active[d.id] ?? 0) > (a.budget[d.id] ?? Infinity) * 60).map((d) => d.number);
  return steps.length ? `step ${steps.join(',')}` : '—';
}

function table(ctx: CommandContext, head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  ctx.term.out(line(head));
  for (const r of rows) ctx.term.out(line(r));
}
