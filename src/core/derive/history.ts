// The practice log read back: each attempt (a session file, in the folder or in git's history)
// as figures, what each attempt was told it missed, and how those findings fare across the
// attempts at one question. Pure: sessions, checks and the clock come in as arguments.
import type { CheckResult } from '../check/index.js';
import { STEPS, type StepId } from '../method.js';
import type { Grade, HireSignal } from '../parse/grade.js';
import type { Session } from '../session.js';
import { normalizeName, slug } from '../text.js';
import { readTiming } from './timing.js';
import { stepStatus } from './status.js';

/** The grade as kept in the session's frontmatter (`grade:`, written by `sdp feedback`). */
export interface StoredGrade {
  imported: string;
  overall?: number;
  hire?: HireSignal;
  steps: Partial<Record<StepId, number>>;
  keyPoints: Record<string, number>;
  followUps: Record<string, number>;
  findings: { id: string; step: StepId | 'overall'; text: string }[];
}

export type FindingSource = 'check' | 'depth' | 'grade';

export interface AttemptFinding {
  /** Stable for the same problem across attempts at one question. */
  id: string;
  step: StepId | 'overall';
  text: string;
  source: FindingSource;
  /** A check finding's severity: errors are carried before warnings. */
  severity?: 'error' | 'warning';
}

export interface Attempt {
  /** Where it was read: a path, or `path@commit` for one only in git's history. */
  file: string;
  question: string;
  title: string;
  started?: string;
  level: string;
  /** Steps the candidate answered themselves (sample answers left out). */
  answered: StepId[];
  samples: StepId[];
  budget: Partial<Record<StepId, number>>;
  /** Active seconds per step, from the timing block. */
  active: Partial<Record<StepId, number>>;
  activeTotal: number;
  coverage: number;
  stepCoverage: Record<StepId, number>;
  depth?: { covered: number; counted: number };
  grade?: StoredGrade;
  findings: AttemptFinding[];
}

/** A score under this (of 5) is a finding the next attempt should hear about. */
const WEAK_GRADE = 3;
const MAX_FINDINGS = 40;

export function attemptOf(file: string, session: Session, check: CheckResult, depth?: { covered: number; counted: number; missed: { id: string; point: string; steps: StepId[] }[] }): Attempt {
  const fm = session.frontmatter;
  const timing = readTiming(fm.raw);
  const grade = readStoredGrade(fm.raw.grade);
  const answered = STEPS.filter(
    (d) =>
      !fm.samples.includes(d.id) &&
      stepStatus(
        session.steps.find((s) => s.id === d.id)!,
        d,
      ) !== 'not answered',
  ).map((d) => d.id);
  const findings: AttemptFinding[] = [];
  for (const f of check.findings) {
    findings.push({ id: `check:${f.id}:${slug(f.subject).slice(0, 60)}`, step: f.step, text: f.text, source: 'check', severity: f.severity });
  }
  for (const m of depth?.missed ?? []) {
    findings.push({ id: `depth:${m.id}`, step: m.steps[0] ?? 'overall', text: `missed key point: ${m.point}`, source: 'depth' });
  }
  for (const g of grade?.findings ?? []) findings.push({ ...g, source: 'grade' });
  const active: Attempt['active'] = {};
  for (const d of STEPS) if (timing.steps[d.id]) active[d.id] = timing.steps[d.id]!.active;
  return {
    file,
    question: fm.question,
    title: fm.title,
    started: fm.started,
    level: typeof fm.raw.level === 'string' ? fm.raw.level : 'senior',
    answered,
    samples: fm.samples,
    budget: fm.budget,
    active,
    activeTotal: timing.active,
    coverage: check.scores.overall,
    stepCoverage: check.scores.steps,
    ...(depth ? { depth: { covered: depth.covered, counted: depth.counted } } : {}),
    ...(grade ? { grade } : {}),
    findings,
  };
}

// ---------------------------------------------------------------- the stored grade

/**
 * The grade reduced to what later attempts compare against. A weak section (score under 3,
 * or a key point not covered) becomes one finding with a stable id: the grader words the
 * same gap differently each time, but the section it scores is the same.
 */
export function storedGradeOf(grade: Grade, imported: string): StoredGrade {
  const findings: StoredGrade['findings'] = [];
  const weak = (score: number | null, covered?: string) => (score !== null && score < WEAK_GRADE) || covered === 'no' || covered === 'partly';
  for (const d of STEPS) {
    const g = grade.steps[d.id];
    if (g && weak(g.score)) findings.push({ id: `grade:step:${d.id}`, step: d.id, text: g.findings[0] ?? `the grader scored step ${d.number} (${d.title}) ${g.score}/5` });
  }
  for (const [id, g] of Object.entries(grade.keyPoints)) {
    if (weak(g.score, g.covered)) findings.push({ id: `grade:key-point:${id}`, step: 'overall', text: g.findings[0] ?? `key point ${id} scored ${g.score ?? '–'}/5` });
  }
  for (const [id, g] of Object.entries(grade.followUps)) {
    if (weak(g.score)) findings.push({ id: `grade:follow-up:${id}`, step: 'overall', text: g.findings[0] ?? `follow-up ${id} scored ${g.score ?? '–'}/5` });
  }
  const scores = <T extends { score: number | null }>(items: Record<string, T | undefined>) =>
    Object.fromEntries(Object.entries(items).flatMap(([k, v]) => (v && v.score !== null ? [[k, v.score]] : [])));
  return {
    imported,
    ...(grade.overall?.score ? { overall: grade.overall.score } : {}),
    ...(grade.overall?.hire ? { hire: grade.overall.hire } : {}),
    steps: scores(grade.steps),
    keyPoints: scores(grade.keyPoints),
    followUps: scores(grade.followUps),
    findings: findings.slice(0, MAX_FINDINGS).map((f) => ({ ...f, text: clip(f.text, 300) })),
  };
}

/** The `grade:` frontmatter block: JSON-quoted strings (valid YAML), keys in a fixed order. */
export function renderStoredGrade(g: StoredGrade, eol = '\n'): string {
  const q = (s: string) => JSON.stringify(s);
  const map = (m: Record<string, number>) =>
    Object.keys(m).length
      ? `{ ${Object.entries(m)
          .map(([k, v]) => `${q(k)}: ${v}`)
          .join(', ')} }`
      : '{}';
  const lines = ['grade:', `  imported: ${q(g.imported)}`];
  if (g.overall !== undefined) lines.push(`  overall: ${g.overall}`);
  if (g.hire) lines.push(`  hire: ${q(g.hire)}`);
  lines.push(`  steps: ${map(g.steps)}`, `  key_points: ${map(g.keyPoints)}`, `  follow_ups: ${map(g.followUps)}`);
  if (g.findings.length === 0) lines.push('  findings: []');
  else {
    lines.push('  findings:');
    for (const f of g.findings) lines.push(`    - { id: ${q(f.id)}, step: ${q(f.step)}, text: ${q(f.text)} }`);
  }
  return lines.join(eol) + eol;
}

/** The frontmatter's `grade:` read back, tolerant of hand edits: what does not fit is left out. */
export function readStoredGrade(raw: unknown): StoredGrade | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.imported !== 'string') return undefined;
  const score = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5 ? v : undefined);
  const scores = (v: unknown) => {
    const out: Record<string, number> = {};
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (score(x) !== undefined) out[k] = x as number;
    return out;
  };
  const steps: StoredGrade['steps'] = {};
  for (const [k, v] of Object.entries(scores(r.steps))) if (STEPS.some((d) => d.id === k)) steps[k as StepId] = v;
  const findings = Array.isArray(r.findings)
    ? r.findings.flatMap((f) => {
        const x = f as Record<string, unknown>;
        const step = x.step === 'overall' || STEPS.some((d) => d.id === x.step) ? (x.step as StepId | 'overall') : undefined;
        return f && typeof x.id === 'string' && typeof x.text === 'string' && step ? [{ id: x.id, step, text: x.text }] : [];
      })
    : [];
  const overall = score(r.overall);
  const hire = typeof r.hire === 'string' ? (r.hire as HireSignal) : undefined;
  return { imported: r.imported, ...(overall ? { overall } : {}), ...(hire ? { hire } : {}), steps, keyPoints: scores(r.key_points), followUps: scores(r.follow_ups), findings };
}

// ---------------------------------------------------------------- findings across attempts

export type FindingStatus = 'open' | 'resolved' | 'affirmed';

export interface TrackedFinding {
  id: string;
  step: StepId | 'overall';
  text: string;
  source: FindingSource;
  severity?: 'error' | 'warning';
  status: FindingStatus;
  /** How many attempts raised it. */
  raised: number;
  firstSeen: string;
  lastSeen: string;
}

/** Attempts in the order they were made: by start time, then by file. */
export function chronological(attempts: Attempt[]): Attempt[] {
  return [...attempts].sort((a, b) => (a.started ?? '').localeCompare(b.started ?? '') || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Could this attempt have raised the finding? Only where it answered the step, or was graded. */
function considers(a: Attempt, f: Pick<AttemptFinding, 'source' | 'step'>): boolean {
  if (f.source === 'grade') return a.grade !== undefined;
  if (f.step === 'overall') return a.answered.length > 0;
  return a.answered.includes(f.step);
}

/**
 * Every finding of one question's attempts with its status: resolved when the latest attempt
 * that could raise it did not; affirmed when raised again by more than one attempt; open when
 * raised once and not checked since.
 */
export function trackFindings(attempts: Attempt[]): TrackedFinding[] {
  const ordered = chronological(attempts);
  const byId = new Map<string, TrackedFinding>();
  for (const a of ordered) {
    const when = a.started ?? '';
    const raisedNow = new Map(a.findings.map((f) => [f.id, f]));
    for (const f of raisedNow.values()) {
      const t = byId.get(f.id);
      if (!t) byId.set(f.id, { id: f.id, step: f.step, text: f.text, source: f.source, ...(f.severity ? { severity: f.severity } : {}), status: 'open', raised: 1, firstSeen: when, lastSeen: when });
      else Object.assign(t, { raised: t.raised + 1, status: 'affirmed', text: f.text, lastSeen: when });
    }
    for (const t of byId.values()) if (!raisedNow.has(t.id) && considers(a, t)) t.status = 'resolved';
  }
  const order: Record<FindingStatus, number> = { affirmed: 0, open: 1, resolved: 2 };
  return [...byId.values()].sort((x, y) => order[x.status] - order[y.status] || stepIndex(x.step) - stepIndex(y.step) || (x.id < y.id ? -1 : 1));
}

/** Who raised a finding, as the candidate knows them. */
function whoSaid(t: TrackedFinding): string {
  if (t.source === 'check') return 'sdp check';
  if (t.source === 'depth') return 'the rubric';
  const [, kind, key] = t.id.split(':');
  return kind === 'key-point' ? `the grader on key point ${key}` : kind === 'follow-up' ? `the grader on follow-up ${key}` : 'the grader';
}

function stepIndex(step: StepId | 'overall'): number {
  return step === 'overall' ? STEPS.length : STEPS.findIndex((d) => d.id === step);
}

/** What the next attempt's hint blocks carry: open and affirmed findings per step, a few each. */
export function carriedHints(tracked: TrackedFinding[], perStep = 3): Partial<Record<StepId, string[]>> {
  const out: Partial<Record<StepId, string[]>> = {};
  // The grader's and the rubric's gaps first, then the checker's errors, then its warnings.
  const weight = (t: TrackedFinding) => (t.source === 'grade' ? 0 : t.source === 'depth' ? 1 : t.severity === 'error' ? 2 : 3);
  const ranked = [...tracked].sort((a, b) => (a.status === 'affirmed' ? 0 : 1) - (b.status === 'affirmed' ? 0 : 1) || weight(a) - weight(b));
  for (const t of ranked) {
    if (t.status === 'resolved') continue;
    const step: StepId = t.step === 'overall' ? 'architecture' : t.step;
    const list = (out[step] ??= []);
    if (list.length >= perStep) continue;
    const again = t.raised > 1 ? ` (raised in ${t.raised} attempts)` : '';
    list.push(`Last time${again}, ${whoSaid(t)}: ${clip(t.text, 160)}`);
  }
  return out;
}

// ---------------------------------------------------------------- what to practise next

export interface Recommendation {
  question: string;
  title: string;
  step?: StepId;
  reason: string;
  /** Higher is more urgent; for sorting and tests. */
  priority: number;
}

/**
 * The question to practise next: the weakest recent score, weighted by how long ago it was
 * tried (practice spaced out beats practice piled up); a question never tried comes in when
 * every tried one is recent and decent.
 */
export function recommend(attempts: Attempt[], questions: { id: string; title: string }[], now: Date): Recommendation[] {
  const out: Recommendation[] = [];
  for (const q of questions) {
    const mine = chronological(attempts.filter((a) => a.question === q.id));
    const last = mine[mine.length - 1];
    if (!last) {
      out.push({ question: q.id, title: q.title, reason: 'never tried', priority: 0.45 });
      continue;
    }
    const days = last.started ? Math.max(0, (now.getTime() - Date.parse(last.started)) / 86_400_000) : 30;
    // The grader's word when there is one; else form and depth together (coverage alone says "done" too early).
    const score =
      last.grade?.overall !== undefined ? (last.grade.overall - 1) / 4 : last.depth && last.depth.counted ? (last.coverage / 100 + last.depth.covered / last.depth.counted) / 2 : last.coverage / 100;
    // A step left empty is the weakest of all; a step given to sample answers is not the candidate's.
    const steps = STEPS.filter((d) => !last.samples.includes(d.id));
    const weakest = steps.map((d) => ({ d, s: last.grade?.steps[d.id] !== undefined ? (last.grade.steps[d.id]! - 1) / 4 : last.stepCoverage[d.id] / 100 })).sort((a, b) => a.s - b.s)[0];
    const over = STEPS.find((d) => (last.active[d.id] ?? 0) > (last.budget[d.id] ?? Infinity) * 60);
    const staleness = Math.min(1, days / 14);
    const priority = (1 - score) * 0.7 + staleness * 0.3;
    const scoreText =
      last.grade?.overall !== undefined ? `graded ${last.grade.overall}/5` : `coverage ${last.coverage}/100${last.depth ? `, depth ${last.depth.covered} of ${last.depth.counted}` : ''}`;
    const when = days < 1 ? 'today' : `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'} ago`;
    const parts = [`last tried ${when}, ${scoreText}`];
    if (weakest) parts.push(`weakest step ${weakest.d.number} (${weakest.d.title}) at ${Math.round(weakest.s * 100)}%`);
    if (over) parts.push(`step ${over.number} ran over its budget`);
    out.push({ question: q.id, title: q.title, ...(weakest ? { step: weakest.d.id } : {}), reason: parts.join('; '), priority: Math.round(priority * 1000) / 1000 });
  }
  return out.sort((a, b) => b.priority - a.priority || (a.question < b.question ? -1 : 1));
}

function clip(text: string, n: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/** Two attempts are one when they are the same session (question and start), wherever read. */
export function attemptKey(a: Pick<Attempt, 'question' | 'started' | 'file'>): string {
  return a.started ? `${a.question} ${a.started}` : normalizeName(a.file);
}
