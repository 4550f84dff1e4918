// The one path for every write into a file a person is editing: edits are splices by
// source position, only inside regions sdp owns, checked before anything is written.
import { withoutOwned } from '../parse/blocks.js';
import type { Span } from '../session.js';

export interface Edit extends Span {
  text: string;
}

/** Apply non-overlapping edits, highest offset first so earlier offsets stay valid. */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start) throw new Error(`overlapping edits at ${sorted[i].start}-${sorted[i].end}`);
  }
  let out = source;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** True when `next` changes nothing outside sdp's regions. */
export function onlyOwnedChanged(current: string, next: string): boolean {
  return withoutOwned(current) === withoutOwned(next);
}
