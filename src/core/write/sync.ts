// What `sdp watch` writes into the session: the step hint blocks (static prompt, the
// question's prompts, derived hints) and the frontmatter's timing block. Pure: the caller
// passes the parsed session, the time and the timing; this returns edits and warnings.
import { checkSession } from '../check/index.js';
import { applyEdits, onlyOwnedChanged, type Edit } from './edit.js';
import { hintBlockOf, hintEnd, hintInner, isSdpText } from '../parse/blocks.js';
import { deriveHints } from '../derive/hints.js';
import type { Playbook } from '../parse/playbook.js';
import { STEPS, type StepId } from '../method.js';
import type { Question } from '../parse/questions.js';
import type { Session } from '../session.js';
import { stepHintLines } from './template.js';
import { overruns, pacingNudges, timingEdit, type Timing } from '../derive/timing.js';

export interface SyncOptions {
  session: Session;
  source: string;
  /** The preset, for its prompts; absent when the bank no longer has it. */
  question?: Question;
  /** Write derived hints (false: leave hint blocks as they are). */
  hints: boolean;
  /** The tactic playbook and failure catalogue, for the options the hints offer. */
  playbook?: Playbook;
  /** Only these steps' hint blocks may change (default: every step's). */
  steps?: readonly StepId[];
  /** Write this timing into the frontmatter. */
  timing?: Timing;
  /** The live timing, for the nudge to move on when a step runs over its budget (#16). */
  pace?: Timing;
}

/**
 * Which of watch's regions a write may change (#13). While the person types in `current`, only
 * the steps after it: their hints are for where the person goes next, and a change below the
 * cursor does not move it when the editor reloads. The current and earlier steps' blocks and
 * the timing (in the frontmatter, above everything) wait for the write when watch stops
 * ('flush'), or for the first write of a run ('start', or a change before any write landed).
 * Any later region watch writes into the file (a follow-up section, a pacing note) takes its
 * step from here too; what cannot wait belongs on watch's status line, not in the file.
 */
export function writeScope(reason: 'start' | 'change' | 'flush', current: StepId | undefined, firstWrite: boolean): { steps?: StepId[]; timing: boolean } {
  if (reason !== 'change' || firstWrite || current === undefined) return { timing: reason === 'flush' };
  return { steps: STEPS.slice(STEPS.findIndex((s) => s.id === current) + 1).map((s) => s.id), timing: false };
}

export interface SyncResult {
  /** The new text, or undefined when nothing needs to change. */
  text?: string;
  /** Steps whose hint block changes. */
  hintSteps: StepId[];
  warnings: string[];
}

/** The inner text a step's hint block should have now. */
export function stepBlockLines(session: Session, question: Question | undefined, step: StepId, derived: string[]): string[] {
  const q: Question = question ?? { id: session.frontmatter.question, title: session.frontmatter.title, aliases: [], scope: '', prompts: {} };
  const def = STEPS.find((s) => s.id === step)!;
  const lines = stepHintLines(q, step, session.frontmatter.budget[step] ?? def.minutes);
  if (derived.length) lines.push('', 'From your answers so far:', ...derived.map((d) => `- ${d}`));
  return lines;
}

export function syncSession(opts: SyncOptions): SyncResult {
  const { session, source } = opts;
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const edits: Edit[] = [];
  const warnings: string[] = [];
  const hintSteps: StepId[] = [];

  if (opts.hints) {
    const derived = deriveHints(session, checkSession(session, { playbook: opts.playbook }), opts.playbook);
    const nudges = opts.pace ? pacingNudges(overruns(opts.pace, session.frontmatter.budget).filter((o) => !session.frontmatter.samples.includes(o.step))) : {};
    for (const [step, nudge] of Object.entries(nudges) as [StepId, string][]) derived[step] = [nudge, ...derived[step]];
    // Keys whose markers are broken (unmatched or duplicated) are left alone until fixed.
    const broken = new Set(session.diagnostics.filter((d) => d.id === 'marker-unclosed' || d.id === 'marker-unopened').map((d) => d.subject));
    for (const def of STEPS) {
      const step = session.steps.find((s) => s.id === def.id)!;
      if (!step.present || broken.has(def.id)) continue;
      const blocks = session.owned.filter((b) => b.kind === 'hint' && b.key === def.id);
      // What the person did to a block is said whatever the write scope: a warning writes nothing.
      const typedIn = blocks.length === 1 && !isSdpText(source.slice(blocks[0].inner.start, blocks[0].inner.end).split('\n').slice(0, -1), blocks[0].fingerprint);
      if (typedIn) {
        warnings.push(
          `line ${lineOf(source, blocks[0].inner.start)}: you typed inside the hint block of step ${def.number}; your text is kept and the block is no longer updated. Move your text below the block to get hints there again`,
        );
        continue;
      }
      if (opts.steps && !opts.steps.includes(def.id)) continue;
      const desired = hintInner(stepBlockLines(session, opts.question, def.id, derived[def.id]), eol);
      if (blocks.length > 1) {
        warnings.push(`step ${def.number} has ${blocks.length} hint blocks; none is updated until only one is left`);
        continue;
      }
      const block = blocks[0];
      if (!block) {
        // Deleted: put it back under the heading. Inserting loses nothing the person typed.
        const at = source.indexOf('\n', step.span.start) + 1 || source.length;
        edits.push({ start: at, end: at, text: hintBlockOf(def.id, desired, eol) });
        hintSteps.push(def.id);
        continue;
      }
      const inner = source.slice(block.inner.start, block.inner.end);
      const end = hintEnd(def.id, desired, eol);
      if (inner === desired && source.slice(block.inner.end, block.span.end) === end) continue;
      edits.push({ start: block.inner.start, end: block.span.end, text: desired + end });
      hintSteps.push(def.id);
    }
  }

  if (opts.timing) {
    const edit = timingEdit(source, session.bodyStart, opts.timing);
    if (edit) edits.push(edit);
  }

  if (edits.length === 0) return { hintSteps, warnings };
  const text = applyEdits(source, edits);
  if (!onlyOwnedChanged(source, text)) {
    // A bug, not a user problem; but the first law says: write nothing.
    return { hintSteps: [], warnings: [...warnings, "an update would have changed text outside sdp's blocks; nothing was written"] };
  }
  return { text: text === source ? undefined : text, hintSteps, warnings };
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
