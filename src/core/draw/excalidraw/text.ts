// Text sizes without a DOM. Excalidraw has no DOM-free text measurement, so widths are
// estimated generously from the characters; Excalidraw re-measures and re-centres bound text
// when its fonts load, and because shapes are sized for the estimate the text still fits.
import { round } from './geometry.js';

export const LINE_HEIGHT = 1.25;

export interface Measured {
  /** As the user wrote it. */
  original: string;
  /** Wrapped: what is drawn. */
  text: string;
  width: number;
  height: number;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Width of one grapheme in hundredths of an em (integers: sums are exact), erring wide (Excalifont is a wide hand-drawn face). */
function graphemeWidth(g: string): number {
  if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(g)) return 130;
  const cp = g.codePointAt(0)!;
  if (isWide(cp)) return 105;
  if (/^[\p{M}\p{Cf}]/u.test(g)) return 0;
  if (g === ' ') return 33;
  if ("il.,:;'|!Ij`".includes(g)) return 33;
  if ('frt()[]{}-/\\"*'.includes(g)) return 48;
  if ('mwMW@%&'.includes(g)) return 95;
  if (/[A-Z]/.test(g)) return 72;
  return 62;
}

/** East Asian wide and fullwidth ranges. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function graphemes(s: string): string[] {
  return Array.from(GRAPHEMES.segment(s), (x) => x.segment);
}

/** In hundredths of an em. */
function textWidth(text: string): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}

/** In pixels, rounded up. */
function lineWidth(line: string, fontSize: number): number {
  return Math.ceil((textWidth(line) * fontSize) / 100);
}

/** As Excalidraw shows text: CRLF and CR as LF, a tab as four spaces. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
}

/** Greedy wrap at spaces; a word wider than the line is broken between graphemes. */
function wrap(text: string, fontSize: number, maxWidth: number): string[] {
  const max = (maxWidth * 100) / fontSize;
  const space = graphemeWidth(' ');
  const out: string[] = [];
  for (const source of normalize(text).split('\n')) {
    let current = '';
    let width = 0;
    for (const word of source.split(' ')) {
      const wordWidth = textWidth(word);
      const candidate = current === '' ? wordWidth : width + space + wordWidth;
      if (candidate <= max) {
        current = current === '' ? word : `${current} ${word}`;
        width = candidate;
        continue;
      }
      if (current.trim() !== '') out.push(current);
      current = '';
      width = 0;
      for (const g of graphemes(word)) {
        const w = graphemeWidth(g);
        if (current !== '' && width + w > max) {
          out.push(current);
          current = '';
          width = 0;
        }
        current += g;
        width += w;
      }
    }
    out.push(current);
  }
  return out;
}

export function measure(original: string, fontSize: number, maxWidth: number): Measured {
  let lines = original === '' ? [] : wrap(original, fontSize, maxWidth);
  // Only blanks: keep them rather than wrap them away ('' alone gets no text element).
  if (original !== '' && lines.every((l) => l.trim() === '')) lines = normalize(original).split('\n');
  return {
    original,
    text: lines.join('\n'),
    width: Math.max(0, ...lines.map((l) => lineWidth(l, fontSize))),
    height: round(Math.max(1, lines.length) * fontSize * LINE_HEIGHT),
  };
}
