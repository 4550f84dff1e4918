// parseGrade: the grader's answer (an LLM's reply to the report's grading request) read back
// into scores and findings. The request asks for one shape (README, "The grader's answer");
// graders drift from it (bold labels, `4/5`, a reply wrapped in a fence or in chatter,
// `###` headings, "Step 3 — API"), so the reader goes line by line, accepts those variants,
// keeps what it can read, and says by the answer's own line numbers what it could not. Pure.
import { STEPS, type StepId } from '../method.js';
import type { Message } from '../messages.js';

export type Coverage = 'yes' | 'partly' | 'no';

export interface GradeItem {
  /** 1–5, or null for `n/a` (a step holding sample answers, not graded). */
  score: number | null;
  covered?: Coverage;
  evidence: string[];
  findings: string[];
  /** The heading's line in the answer. */
  line: number;
}

export const HIRE_SIGNALS = ['strong no hire', 'no hire', 'lean no hire', 'lean hire', 'hire', 'strong hire'] as const;
export type HireSignal = (typeof HIRE_SIGNALS)[number];

export interface Grade {
  steps: Partial<Record<StepId, GradeItem>>;
  keyPoints: Record<string, GradeItem>;
  followUps: Record<string, GradeItem>;
  overall?: GradeItem & { hire?: HireSignal };
}

export interface GradeRead {
  grade: Grade;
  /** What could not be read, by line: warnings when the rest is usable, one error when nothing is. */
  problems: Message[];
}

type Kind = 'step' | 'key point' | 'follow-up' | 'overall';

const HEADING = /^\s{0,3}#{1,4}\s+(.*?)\s*#*\s*$/;
const STEP_HEADING = /^step\s*(\d)\b\s*[:.)\-–—]?\s*(.*)$/i;
const KEY_POINT_HEADING = /^key[- ]?point\s*[:.\-–—]?\s*`?([a-z0-9][a-z0-9-]*)`?/i;
const FOLLOW_UP_HEADING = /^follow[- ]?up\s*[:.\-–—]?\s*`?([a-z0-9][a-z0-9-]*)`?/i;
const OVERALL_HEADING = /^overall\b/i;
/** `- Score: 4`, `**Score:** 4/5`, `Score — 4 / 5`; the label, then the value. */
const FIELD = /^\s*(?:[-*+]\s+)?\**\s*(score|covered|evidence|findings?|hire signal|hire)\s*\**\s*[:\-–—]\s*\**\s*(.*?)\s*$/i;

export const SHAPE_HINT =
  'answer in the shape the grading request asks for: `## Step N: <title>` sections with `- Score: 1-5`, `- Evidence:` and `- Finding:` lines, then `## Key point: <id>`, `## Follow-up: <id>` and `## Overall`';

export function parseGrade(text: string, known: { keyPoints?: string[]; followUps?: string[] } = {}): GradeRead {
  const grade: Grade = { steps: {}, keyPoints: {}, followUps: {} };
  const problems: Message[] = [];
  const warn = (id: string, line: number, text: string, hint?: string) => problems.push({ id, severity: 'warning', line, column: 1, text, ...(hint ? { hint } : {}) });

  let current: { kind: Kind; key: string; item: GradeItem & { hire?: HireSignal } } | undefined;
  let field: 'evidence' | 'findings' | undefined;
  const sections: NonNullable<typeof current>[] = [];
  const scored = new Set<GradeItem>();

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const heading = HEADING.exec(raw);
    if (heading) {
      field = undefined;
      const title = heading[1].replace(/\*+/g, '').trim();
      const open = (kind: Kind, key: string) => {
        current = { kind, key, item: { score: null, evidence: [], findings: [], line } };
        sections.push(current);
      };
      let m: RegExpExecArray | null;
      if ((m = STEP_HEADING.exec(title))) {
        const def = STEPS.find((s) => s.number === Number(m![1]));
        if (def) open('step', def.id);
        else {
          warn('grade-step-unknown', line, `"${title}" names no step of the method (1-${STEPS.length})`);
          current = undefined;
        }
      } else if ((m = KEY_POINT_HEADING.exec(title))) open('key point', m[1].toLowerCase());
      else if ((m = FOLLOW_UP_HEADING.exec(title))) open('follow-up', m[1].toLowerCase());
      else if (OVERALL_HEADING.test(title)) open('overall', 'overall');
      else current = undefined;
      return;
    }
    if (!current) return;
    const f = FIELD.exec(raw);
    if (f) {
      const label = f[1].toLowerCase();
      const value = f[2].replace(/\*+$/, '').trim();
      field = undefined;
      if (label === 'score') {
        const score = readScore(value);
        if (score === undefined) {
          warn('grade-score-invalid', line, `score "${value}" is not a whole number from 1 to 5 or n/a`, 'write `- Score: 3`');
          scored.add(current.item);
        } else {
          current.item.score = score;
          scored.add(current.item);
        }
      } else if (label === 'covered') {
        const c = /^(yes|partly|partially|partial|no)\b/i.exec(value)?.[1].toLowerCase();
        if (c) current.item.covered = c.startsWith('part') ? 'partly' : (c as Coverage);
        else warn('grade-covered-invalid', line, `"Covered: ${value}" is not yes, partly or no`);
      } else if (label === 'evidence') {
        if (value) current.item.evidence.push(unquote(value));
        field = 'evidence';
      } else if (label === 'finding' || label === 'findings') {
        if (value && !/^(none|n\/a|-)\.?$/i.test(value)) current.item.findings.push(value);
        field = 'findings';
      } else {
        const hire = HIRE_SIGNALS.slice()
          .sort((a, b) => b.length - a.length)
          .find((h) => value.toLowerCase().replace(/[-_]/g, ' ').startsWith(h));
        if (hire) current.item.hire = hire;
        else warn('grade-hire-invalid', line, `hire signal "${value}" is not one of: ${HIRE_SIGNALS.join(', ')}`);
      }
      return;
    }
    // Nested bullets under `- Finding:` or `- Evidence:` belong to it.
    const nested = /^\s+[-*+]\s+(.*\S)\s*$/.exec(raw) ?? (field ? /^\s*[-*+]\s+(.*\S)\s*$/.exec(raw) : null);
    if (field && nested) {
      if (field === 'evidence') current.item.evidence.push(unquote(nested[1]));
      else current.item.findings.push(nested[1]);
    }
  });

  for (const s of sections) {
    const where = s.kind === 'step' ? `step ${STEPS.find((d) => d.id === s.key)!.number}` : s.kind === 'overall' ? 'Overall' : `${s.kind} ${s.key}`;
    if (!scored.has(s.item)) warn('grade-unscored', s.item.line, `${where} has no score`, 'add `- Score: 1-5` (or `n/a`) under its heading');
    if (s.kind === 'step') {
      if (grade.steps[s.key as StepId]) warn('grade-duplicate', s.item.line, `${where} is graded twice; the first is kept`);
      else grade.steps[s.key as StepId] = s.item;
    } else if (s.kind === 'key point') {
      if (known.keyPoints && !known.keyPoints.includes(s.key)) warn('grade-key-point-unknown', s.item.line, `key point "${s.key}" is not in this question's rubric; it is kept as given`);
      grade.keyPoints[s.key] ??= s.item;
    } else if (s.kind === 'follow-up') {
      grade.followUps[s.key] ??= s.item;
    } else grade.overall ??= s.item;
  }

  if (sections.length === 0) {
    return {
      grade,
      problems: [
        {
          id: 'grade-unreadable',
          severity: 'error',
          line: 1,
          column: 1,
          text: 'the answer has none of the sections the grading request asks for (`## Step N: <title>`, `## Key point: <id>`, `## Follow-up: <id>`, `## Overall`)',
          hint: SHAPE_HINT,
        },
      ],
    };
  }
  const missing = STEPS.filter((d) => !grade.steps[d.id]).map((d) => d.number);
  if (missing.length) warn('grade-steps-missing', 1, `no grade for step${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 'ask the grader for every `## Step N:` section');
  if (!grade.overall) warn('grade-overall-missing', lines.length, 'no `## Overall` section: no overall score or hire signal', 'ask the grader for the `## Overall` section');
  problems.sort((a, b) => a.line - b.line);
  return { grade, problems };
}

function readScore(value: string): number | null | undefined {
  if (/^n\/?a\b/i.test(value)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*5|out of 5)?\b/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined;
}

function unquote(text: string): string {
  return text.replace(/^["“'`]+|["”'`]+$/g, '').trim();
}
