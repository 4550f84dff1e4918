// The owned region and the simulated editors shared by the watcher tests and the race suite.
import { promises as fs } from 'node:fs';
import path from 'node:path';

// ---- the owned region used by these tests ------------------------------------------------
// `<!-- sdp:hint x -->` + `> words: N` + `<!-- /sdp:hint x -->`, where N counts the words
// outside the region. Everything outside the region belongs to the user.

export const OPEN = '<!-- sdp:hint x -->';
export const CLOSE = '<!-- /sdp:hint x -->';

export function parts(text: string): { head: string; inner: string; tail: string } | undefined {
  const a = text.indexOf(OPEN);
  const b = a < 0 ? -1 : text.indexOf(CLOSE, a + OPEN.length);
  if (b < 0) return undefined;
  return { head: text.slice(0, a), inner: text.slice(a + OPEN.length, b), tail: text.slice(b + CLOSE.length) };
}
export const regionCount = (text: string) => text.split(OPEN).length - 1;
export const wordsOutside = (text: string) => {
  const p = parts(text);
  return (p ? p.head + '\n' + p.tail : text).split(/\s+/u).filter(Boolean).length;
};

/** The derive under test: keeps the region's count right; undefined when it already is. */
export function hintDerive(text: string): string | undefined {
  const p = parts(text);
  if (!p) return undefined;
  const eol = p.inner.startsWith('\r\n') ? '\r\n' : '\n';
  const inner = `${eol}> words: ${wordsOutside(text)}${eol}`;
  return inner === p.inner ? undefined : p.head + OPEN + inner + CLOSE + p.tail;
}
/** What the file must settle to after the user saved `text`. */
export const expected = (text: string) => hintDerive(text) ?? text;

/** Exactly one region, and every character outside it unchanged. */
export function hintSafe(current: string, next: string): boolean {
  const a = parts(current);
  const b = parts(next);
  return !!a && !!b && regionCount(next) === 1 && a.head === b.head && a.tail === b.tail;
}

/** The bytes outside the owned region (markers included in the region). */
export function outsideBytes(buf: Buffer): Buffer {
  const a = buf.indexOf(OPEN);
  const b = buf.indexOf(CLOSE, a);
  return Buffer.concat([buf.subarray(0, a), buf.subarray(b + Buffer.byteLength(CLOSE))]);
}

/** A session whose region says `words` (by default the right count, so nothing is to be written). */
export const doc = (body: string, words?: number, eol = '\n'): string => {
  const text = `# Title${eol}${eol}${OPEN}${eol}> words: ${words ?? 0}${eol}${CLOSE}${eol}${eol}${body}`;
  return words === undefined ? expected(text) : text;
};

// ---- simulated editors --------------------------------------------------------------------

export type Save = (file: string, text: string) => Promise<void>;
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VS Code and most editors: open with truncation, write, close. */
export const inPlace: Save = (file, text) => fs.writeFile(file, text);

/**
 * Truncate to 0 bytes, write the first half, pause, write the rest. The cut falls where the
 * middle is (maybe inside a character), or with `onBoundary` between two ASCII bytes, so the
 * half-written file is valid UTF-8 and only the stability check can tell.
 */
export const twoChunks =
  (gapMs: number, onBoundary = false): Save =>
  async (file, text) => {
    const bytes = Buffer.from(text);
    let cut = Math.floor(bytes.length / 2);
    while (onBoundary && cut < bytes.length && (bytes[cut] >= 0x80 || bytes[cut - 1] >= 0x80)) cut++;
    const h = await fs.open(file, 'w');
    try {
      await h.write(bytes, 0, cut, 0);
      await pause(gapMs);
      await h.write(bytes, cut, bytes.length - cut, cut);
    } finally {
      await h.close();
    }
  };

/** JetBrains safe write (and vim with backupcopy=no's temp variant): a temp file, renamed over. */
export const jetbrains: Save = async (file, text) => {
  const temp = `${file}.___jb_tmp___`;
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
};

/** vim's write with writebackup: probe file 4913, original renamed to `x~`, new `x` written, backup removed. */
export const vim: Save = async (file, text) => {
  const dir = path.dirname(file);
  await fs.writeFile(path.join(dir, '4913'), '');
  await fs.rm(path.join(dir, '4913'));
  await fs.rename(file, `${file}~`);
  await fs.writeFile(file, text);
  await fs.rm(`${file}~`);
};

/** Emacs: `x` renamed to `x~` (kept), then a new `x` created, optionally after a gap. */
export const emacs =
  (gapMs = 0): Save =>
  async (file, text) => {
    await fs.rename(file, `${file}~`);
    if (gapMs) await pause(gapMs);
    await fs.writeFile(file, text);
  };

/** `sed -i`: a temp file `sedXXXXXX` in the same folder, renamed over the original. */
export const sedI: Save = async (file, text) => {
  const temp = path.join(path.dirname(file), `sed${Math.random().toString(36).slice(2, 8)}`);
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
};

export const STYLES: [string, Save][] = [
  ['in place', inPlace],
  ['two chunks', twoChunks(10)],
  ['jetbrains', jetbrains],
  ['vim', vim],
  ['emacs', emacs()],
  ['sed -i', sedI],
];

/** A small seeded PRNG: the same seed gives the same run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The file's text. sdp's swap leaves the path absent for some microseconds (as a vim or Emacs
 * save does for longer): a reader that finds nothing looks again, as editors do.
 */
export async function readRetrying(file: string, tries = 50, waitMs = 2): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || i > tries) throw err;
      await pause(waitMs);
    }
  }
}
