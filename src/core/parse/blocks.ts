// The one owner of the text sdp writes into a session: the marker lines of its owned blocks
// (`<!-- sdp:hint KEY -->` … `<!-- /sdp:hint KEY #fingerprint -->`, the question block) and the
// frontmatter keys it splices (`timing:`, `samples:`). Readers and writers both come here, so
// the syntax cannot drift between the parser, the template and the write-backs.
import { fingerprint } from '../hash.js';
import type { Span } from '../session.js';

export type BlockKind = 'hint' | 'question';

const START = /^[ \t]*<!--[ \t]*sdp:(hint|question)[ \t]+([\w./-]+)[ \t]*-->[ \t]*\r?$/;
const END = /^[ \t]*<!--[ \t]*\/sdp:(hint|question)[ \t]+([\w./-]+)(?:[ \t]+#([0-9a-f]{8}))?[ \t]*-->[ \t]*\r?$/;

export interface Marker {
  closing: boolean;
  kind: BlockKind;
  key: string;
  /** The fingerprint an end marker carries. */
  mark?: string;
}

/** The marker on a line (without its newline), if it is one. */
export function readMarker(line: string): Marker | undefined {
  const start = START.exec(line);
  if (start) return { closing: false, kind: start[1] as BlockKind, key: start[2] };
  const end = END.exec(line);
  if (end) return { closing: true, kind: end[1] as BlockKind, key: end[2], ...(end[3] ? { mark: end[3] } : {}) };
  return undefined;
}

/**
 * Every line of a text quoted, so nothing in it can read as a heading, a list or a marker; also
 * every line within one entry (preset text with a line break), so it cannot leave its block.
 * A CR at an entry's very end is a CRLF file's and stays.
 */
export function quoteLines(lines: string[], eol = '\n'): string {
  return lines
    .flatMap((l) => l.split(/\r?\n|\r(?=[^])/))
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join(eol);
}

/** The text between a hint block's markers, `> `-quoted, ending with a newline. */
export function hintInner(lines: string[], eol = '\n'): string {
  return `${quoteLines(lines, eol)}${eol}`;
}

export function hintStart(key: string, eol = '\n'): string {
  return `<!-- sdp:hint ${key} -->${eol}`;
}

/** The end marker carries the fingerprint of the inner text, so later runs can tell sdp's text from the user's. */
export function hintEnd(key: string, inner: string, eol = '\n'): string {
  return `<!-- /sdp:hint ${key} #${fingerprint(inner)} -->${eol}`;
}

/** A whole hint block whose inner text is already quoted. */
export function hintBlockOf(key: string, inner: string, eol = '\n'): string {
  return `${hintStart(key, eol)}${inner}${hintEnd(key, inner, eol)}`;
}

export function hintBlock(key: string, lines: string[]): string {
  return hintBlockOf(key, hintInner(lines));
}

export function questionBlock(id: string, text: string): string {
  return `<!-- sdp:question ${id} -->\n${quoteLines(text.split('\n'))}\n<!-- /sdp:question ${id} -->\n`;
}

/**
 * Is a hint block's inner text still what sdp wrote? By its fingerprint when the end marker
 * has one; otherwise only if every line is quoted (`>`) or blank. Anything else is the user's.
 */
export function isSdpText(innerLines: string[], mark: string | undefined): boolean {
  if (mark) return fingerprint(innerLines.map((l) => `${l.replace(/\r$/, '')}\n`).join('')) === mark;
  return innerLines.every((l) => /^[ \t]*(>.*)?\r?$/.test(l));
}

/** Calls `visit` with each line of `span` (offset, text without its line break, offset after it). */
export function eachLine(source: string, span: Span, visit: (offset: number, text: string, next: number) => void): void {
  let offset = span.start;
  while (offset < span.end) {
    const nl = source.indexOf('\n', offset);
    const next = nl < 0 || nl >= span.end ? span.end : nl + 1;
    visit(offset, source.slice(offset, next).replace(/\r?\n$/, ''), next);
    offset = next;
  }
}

// ---------------------------------------------------------------- frontmatter keys

/** Top-level frontmatter keys whose whole block (the key and its indented lines) sdp rewrites: the timing (watch, practice) and the imported grade (feedback). */
export const OWNED_KEYS = ['timing', 'grade'] as const;

/**
 * The edit that sets a top-level frontmatter key to `text` (its whole block, key line included,
 * ending with a line break): replaces the existing block or inserts one before the closing
 * `---`. Every other byte of the frontmatter, comments and key order included, stays as it was.
 * Undefined when there is no frontmatter or nothing would change.
 */
export function frontmatterKeyEdit(source: string, bodyStart: number, key: string, text: string): (Span & { text: string }) | undefined {
  const front = source.slice(0, bodyStart);
  const closing = front.lastIndexOf('\n---') + 1;
  if (closing <= 0) return undefined;
  const head = new RegExp(`^${key}:`);
  let start = -1;
  let end = closing;
  eachLine(front, { start: front.indexOf('\n') + 1, end: closing }, (offset, line) => {
    if (end !== closing) return;
    if (start < 0 && head.test(line)) start = offset;
    else if (start >= 0 && !/^[ \t]/.test(line)) end = offset;
  });
  if (start < 0) return { start: closing, end: closing, text };
  if (source.slice(start, end) === text) return undefined;
  return { start, end, text };
}

/** Hint blocks keyed `followup/<id>` hold an interviewer's follow-up (write/followup.ts). */
export const FOLLOW_UP_KEY = 'followup/';
export const FOLLOW_UP_HEADING = '## Follow-up: ';

/**
 * A follow-up block's heading (`## Follow-up: …`) and the blank lines between it and the
 * block were written with the block, in one insertion: they are sdp's too.
 */
function dropFollowUpHeading(out: string[]): void {
  let at = out.length;
  while (at > 0 && /^[ \t]*\r?$/.test(out[at - 1])) at--;
  if (at > 0 && out[at - 1].startsWith(FOLLOW_UP_HEADING)) out.length = at - 1;
}

/**
 * The text with every region sdp owns taken out: balanced hint blocks (markers included, and
 * a follow-up's heading with its block) and the frontmatter's owned keys. Two texts with the same result differ only where sdp may
 * write.
 */
export function withoutOwned(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const ownedKey = new RegExp(`^(${OWNED_KEYS.join('|')}):`);
  let inFrontmatter = lines[0]?.replace(/^\uFEFF/, '').replace(/\r$/, '') === '---';
  let inOwnedKey = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inFrontmatter && i > 0) {
      if (/^---[ \t]*\r?$/.test(line)) inFrontmatter = false;
      else if (ownedKey.test(line)) {
        inOwnedKey = true;
        continue;
      } else if (inOwnedKey && /^[ \t]/.test(line)) continue;
      else inOwnedKey = false;
      if (inFrontmatter) {
        out.push(line);
        continue;
      }
    }
    const start = readMarker(line);
    if (start && !start.closing && start.kind === 'hint') {
      const end = lines.findIndex((l, j) => j > i && readMarker(l)?.kind === 'hint');
      const marker = end > i ? readMarker(lines[end]) : undefined;
      if (marker?.closing && marker.key === start.key && isSdpText(lines.slice(i + 1, end), marker.mark)) {
        if (start.key.startsWith(FOLLOW_UP_KEY)) dropFollowUpHeading(out);
        i = end;
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
