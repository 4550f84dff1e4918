// Depth: does the answer cover what a strong answer to THIS question covers? One checker for
// every preset, driven by the question's rubric (templates/rubrics/<id>.yaml). Pure.
//
// A key point is covered when one of its signals matches one unit of the candidate's own
// text in the point's steps: a list item or table row as a whole, prose cut into sentences.
// Steps that hold sample answers (`samples:` in the frontmatter) are not the candidate's and
// never count.
import type { StepId } from '../method.js';
import { expectedAt, type KeyPoint, type Level, type Pitfall, type Rubric, type Signal } from '../parse/rubric.js';
import type { AnswerLine, Session } from '../session.js';
import { joinWrapped, splitSentences } from './context.js';

export interface KeyPointResult {
  id: string;
  point: string;
  level: Level;
  why: string;
  strong: string;
  steps: StepId[];
  /** True when the candidate's level is expected to raise it (its level <= the candidate's). */
  expected: boolean;
  covered: boolean;
  /** The first unit that shows it: its line and text. */
  line?: number;
  text?: string;
}

export interface PitfallResult {
  id: string;
  pitfall: string;
  why: string;
  line: number;
  text: string;
}

export interface DepthResult {
  question: string;
  level: Level;
  keyPoints: KeyPointResult[];
  /** Pitfalls the answer falls into, each at the first line that shows it. */
  pitfalls: PitfallResult[];
  /** Key points expected at the level. */
  counted: number;
  /** Of those, how many the answer covers. */
  covered: number;
}

const ITEM = /^\s*([-*+]|\d+[.)])\s|^\s*\|/;
/** The method's choice format: `- Choice: …` with nested `- Why:`, `- Alternatives:`, `- Trade-off:`. */
const CHOICE_PART = /^\s+([-*+]|\d+[.)])\s+\**(why|alternatives?|trade-?offs?)\b/i;

/** The units signals are matched against, in file order. */
export function depthUnits(session: Session): AnswerLine[] {
  const samples = new Set(session.frontmatter.samples);
  const units: AnswerLine[] = [];
  for (const u of joinWrapped(session.lines.filter((l) => !samples.has(l.step)))) {
    // A choice and its reasons are one thought: "302 redirect" and "so every click is counted".
    const prev = units[units.length - 1];
    if (prev && CHOICE_PART.test(u.text) && prev.step === u.step && prev.section === u.section) units[units.length - 1] = { ...prev, text: `${prev.text}\n${u.text}` };
    else units.push(u);
  }
  // A list item or table row is one thought even when it holds two sentences; prose is not.
  return units.flatMap((u) => (ITEM.test(u.text) ? [u] : splitSentences([u])));
}

function matches(signal: Signal, text: string): boolean {
  return signal.all.every((r) => r.test(text)) && !signal.not.some((r) => r.test(text));
}

function firstMatch(entry: Pick<KeyPoint | Pitfall, 'steps' | 'signals'>, units: AnswerLine[]): AnswerLine | undefined {
  const steps = new Set(entry.steps);
  return units.find((u) => steps.has(u.step) && entry.signals.some((s) => matches(s, u.text)));
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function checkDepth(session: Session, rubric: Rubric, level: Level): DepthResult {
  const units = depthUnits(session);
  const keyPoints = rubric.keyPoints.map((k): KeyPointResult => {
    const hit = firstMatch(k, units);
    return {
      id: k.id,
      point: k.point,
      level: k.level,
      why: k.why,
      strong: k.strong,
      steps: k.steps,
      expected: expectedAt(k.level, level),
      covered: Boolean(hit),
      ...(hit ? { line: hit.line, text: clean(hit.text) } : {}),
    };
  });
  const pitfalls = rubric.pitfalls.flatMap((p): PitfallResult[] => {
    const hit = firstMatch(p, units);
    return hit ? [{ id: p.id, pitfall: p.pitfall, why: p.why, line: hit.line, text: clean(hit.text) }] : [];
  });
  const counted = keyPoints.filter((k) => k.expected);
  return { question: rubric.question, level, keyPoints, pitfalls, counted: counted.length, covered: counted.filter((k) => k.covered).length };
}

/** "Depth 3 of 7 (senior)": the count only, which names no point, for use while practising. */
export function depthSummary(depth: DepthResult): string {
  return `Depth ${depth.covered} of ${depth.counted} (${depth.level})`;
}
