// The one path for every write into a file a person is editing: edits are splices by
// source position, only inside regions sdp owns, checked before anything is written.
import { fingerprint } from '../hash.js';
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

const HINT_START = /^[ \t]*<!--[ \t]*sdp:hint[ \t]+([\w./-]+)[ \t]*-->[ \t]*\r?$/;
const HINT_END = /^[ \t]*<!--[ \t]*\/sdp:hint[ \t]+([\w./-]+)(?:[ \t]+#([0-9a-f]{8}))?[ \t]*-->[ \t]*\r?$/;

/**
 * The text with every region sdp owns taken out: balanced hint blocks (markers included)
 * and the frontmatter's `timing:` block. Two texts with the same result differ only where
 * sdp may write.
 */
export function withoutOwned(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inFrontmatter = lines[0]?.replace(/^\uFEFF/, '').replace(/\r$/, '') === '---';
  let inTiming = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inFrontmatter && i > 0) {
      if (/^---[ \t]*\r?$/.test(line)) inFrontmatter = false;
      else if (/^timing:/.test(line)) {
        inTiming = true;
        continue;
      } else if (inTiming && /^[ \t]/.test(line)) continue;
      else inTiming = false;
      if (inFrontmatter) {
        out.push(line);
        continue;
      }
    }
    const start = HINT_START.exec(line);
    if (start) {
      const end = lines.findIndex((l, j) => j > i && (HINT_START.test(l) || HINT_END.test(l)));
      const marker = end > i ? HINT_END.exec(lines[end]) : null;
      if (marker && marker[1] === start[1] && isSdpText(lines.slice(i + 1, end), marker[2])) {
        i = end;
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

/**
 * Is a hint block's inner text still what sdp wrote? By its fingerprint when the end marker
 * has one; otherwise only if every line is quoted (`>`) or blank. Anything else is the user's.
 */
export function isSdpText(innerLines: string[], mark: string | undefined): boolean {
  if (mark) return fingerprint(innerLines.map((l) => `${l.replace(/\r$/, '')}\n`).join('')) === mark;
  return innerLines.every((l) => /^[ \t]*(>.*)?\r?$/.test(l));
}

/** True when `next` changes nothing outside sdp's regions. */
export function onlyOwnedChanged(current: string, next: string): boolean {
  return withoutOwned(current) === withoutOwned(next);
}
