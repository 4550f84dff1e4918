// The interviewer's follow-up, held back until the candidate has committed to a design, then
// written into the session as a section of its own:
//
//   ## Follow-up: <ask>
//
//   <!-- sdp:hint followup/<id> -->
//   > <why it is asked, where to answer>
//   <!-- /sdp:hint followup/<id> #<fingerprint> -->
//
// The write is one insertion at the end of the file, so nothing the person typed moves or
// changes; the heading and the block count as sdp's own region (edit.ts), which is how the
// watcher's safety check lets it through. Pure.
import type { FollowUp } from '../parse/rubric.js';
import type { Session } from '../session.js';
import type { Edit } from './edit.js';
import { FOLLOW_UP_HEADING, FOLLOW_UP_KEY, hintEnd, hintInner } from '../parse/blocks.js';
import { STEPS } from '../method.js';
import { stepStatus } from '../derive/status.js';
import { fingerprint } from '../hash.js';

export { FOLLOW_UP_HEADING, FOLLOW_UP_KEY };

/** Minute of active time at which `watch --interview` asks when step 5 has no answer yet. */
export const DEFAULT_INTERVIEW_MINUTE = 35;

/** Has the session a follow-up already (one per session, as one interviewer would ask)? */
export function hasFollowUp(session: Session): boolean {
  return session.owned.some((b) => b.kind === 'hint' && b.key.startsWith(FOLLOW_UP_KEY));
}

/** One of the rubric's follow-ups, picked by the session's start time: stable for a session, varied across sessions. */
export function pickFollowUp(followUps: FollowUp[], session: Session): FollowUp | undefined {
  if (followUps.length === 0) return undefined;
  const seed = parseInt(fingerprint(`${session.frontmatter.question} ${session.frontmatter.started ?? ''}`), 16);
  return followUps[seed % followUps.length];
}

/**
 * When does the interviewer ask? At `atMinute` of active time when given; otherwise once
 * step 5 (Architecture) has an answer, or at minute 35 of active time.
 */
export function followUpDue(session: Session, activeSeconds: number, atMinute?: number): boolean {
  if (atMinute !== undefined) return activeSeconds >= atMinute * 60;
  const def = STEPS.find((s) => s.id === 'architecture')!;
  const step = session.steps.find((s) => s.id === 'architecture')!;
  const answered = !session.frontmatter.samples.includes('architecture') && stepStatus(step, def) !== 'not answered';
  return answered || activeSeconds >= DEFAULT_INTERVIEW_MINUTE * 60;
}

/** The insertion that adds the follow-up section at the end of `source`. */
export function followUpEdit(source: string, followUp: FollowUp, when: string): Edit {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const key = `${FOLLOW_UP_KEY}${followUp.id}`;
  const inner = hintInner([`**The interviewer follows up** (${when}). Answer below this block, as you would out loud: what changes in your design, and why.`], eol);
  const block = `<!-- sdp:hint ${key} -->${eol}${inner}${hintEnd(key, inner, eol)}`;
  const ask = followUp.ask.replace(/\s+/g, ' ').trim();
  // Nothing is added before the heading or after the block when the file ends in a line
  // break: with the heading and block taken out, the text is byte for byte what it was.
  const ends = source === '' || source.endsWith('\n');
  const text = `${ends ? '' : eol}${FOLLOW_UP_HEADING}${ask}${eol}${eol}${ends ? block : block.slice(0, -eol.length)}`;
  return { start: source.length, end: source.length, text };
}
