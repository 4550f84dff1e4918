// Per-step edit timing, derived from successive parses of the session, and kept in the
// frontmatter's `timing:` block (a region sdp owns). Pure: the time comes in as an argument.
import type { Edit } from '../write/edit.js';
import { frontmatterKeyEdit } from '../parse/blocks.js';
import { STEPS, type StepId } from '../method.js';
import type { Session } from '../session.js';

export interface StepTiming {
  first?: string;
  last?: string;
  /** Seconds of editing, idle gaps left out. */
  active: number;
}

export interface Timing {
  last?: string;
  active: number;
  steps: Partial<Record<StepId, StepTiming>>;
}

export const DEFAULT_IDLE_SECONDS = 5 * 60;

/** What the candidate wrote in each step, hint blocks left out: compared between saves. */
export function stepTexts(session: Session): Record<StepId, string> {
  const out = {} as Record<StepId, string>;
  for (const step of session.steps) out[step.id] = [step.preamble, ...step.sections.map((s) => `${s.id}\n${s.answer}`)].join('\n\u0000');
  return out;
}

export function changedSteps(before: Record<StepId, string>, after: Record<StepId, string>): StepId[] {
  return STEPS.map((s) => s.id).filter((id) => before[id] !== after[id]);
}

/** The timing block of a session's frontmatter, tolerant of missing or hand-edited values. */
export function readTiming(raw: Record<string, unknown>): Timing {
  const t = (raw.timing ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const str = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : undefined);
  const steps: Timing['steps'] = {};
  const rawSteps = (t.steps ?? {}) as Record<string, Record<string, unknown>>;
  for (const s of STEPS) {
    const r = rawSteps[s.id];
    if (r && typeof r === 'object') steps[s.id] = { first: str(r.first_edit), last: str(r.last_edit), active: num(r.active_seconds) };
  }
  return { last: str(t.last_edit), active: num(t.active_seconds), steps };
}

/**
 * Record an edit of `changed` steps at `now`. The time since the previous edit anywhere in
 * the session counts as active when it is within the idle threshold, and goes to the steps
 * edited now (split evenly when a save touches several).
 */
export function recordEdit(timing: Timing, changed: StepId[], now: Date, since: string | undefined, idleSeconds = DEFAULT_IDLE_SECONDS): Timing {
  if (changed.length === 0) return timing;
  const at = now.toISOString();
  const previous = timing.last ?? since;
  const gap = previous ? (now.getTime() - Date.parse(previous)) / 1000 : Infinity;
  const credit = gap >= 0 && gap <= idleSeconds ? gap : 0;
  const steps = { ...timing.steps };
  for (const id of changed) {
    const s = steps[id] ?? { active: 0 };
    steps[id] = { first: s.first ?? at, last: at, active: round(s.active + credit / changed.length) };
  }
  return { last: at, active: round(timing.active + credit), steps };
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

/** The `timing:` block as YAML text, keys in a fixed order, timestamps quoted. */
export function renderTiming(timing: Timing, eol = '\n'): string {
  const lines = ['timing:'];
  if (timing.last) lines.push(`  last_edit: "${timing.last}"`);
  lines.push(`  active_seconds: ${timing.active}`);
  const steps = STEPS.filter((s) => timing.steps[s.id]);
  if (steps.length) {
    lines.push('  steps:');
    for (const s of steps) {
      const t = timing.steps[s.id]!;
      const parts = [t.first && `first_edit: "${t.first}"`, t.last && `last_edit: "${t.last}"`, `active_seconds: ${t.active}`].filter(Boolean);
      lines.push(`    ${s.id}: { ${parts.join(', ')} }`);
    }
  }
  return lines.join(eol) + eol;
}

/**
 * The edit that puts `timing` into the frontmatter's `timing:` block (replaced, or inserted
 * before the closing `---`).
 */
export function timingEdit(source: string, bodyStart: number, timing: Timing): Edit | undefined {
  return frontmatterKeyEdit(source, bodyStart, 'timing', renderTiming(timing, source.includes('\r\n') ? '\r\n' : '\n'));
}

export interface Overrun {
  step: StepId;
  activeSeconds: number;
  budgetMinutes: number;
}

/** The steps whose active time has passed their budget (sample steps are never timed). */
export function overruns(timing: Timing, budget: Partial<Record<StepId, number>>): Overrun[] {
  return STEPS.flatMap((s) => {
    const active = timing.steps[s.id]?.active ?? 0;
    const minutes = budget[s.id] ?? s.minutes;
    return active > minutes * 60 ? [{ step: s.id, activeSeconds: active, budgetMinutes: minutes }] : [];
  });
}

/**
 * The nudge to move on, for the hint block of the step after the one that ran over: that is
 * where the candidate should go, and the block watch may write while they type above it.
 */
export function pacingNudges(over: Overrun[]): Partial<Record<StepId, string>> {
  const out: Partial<Record<StepId, string>> = {};
  for (const o of over) {
    const i = STEPS.findIndex((s) => s.id === o.step);
    const next = STEPS[i + 1];
    if (!next) continue;
    out[next.id] = `step ${i + 1} (${STEPS[i].title}) is over its ${o.budgetMinutes}-min budget at ${Math.round(o.activeSeconds / 60)} min: move on to this step, and come back if time is left`;
  }
  return out;
}
