// Ids, seeds and order, all from content: the same session gives the same bytes, and no
// clock or random number is read.

/** cyrb53: a 53-bit string hash, plenty for a few hundred ids per scene. */
function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 1 … 2^31 - 1, as Excalidraw's seeds and nonces. */
export function positiveInt(s: string): number {
  return (hash53(s) % 2147483646) + 1;
}

/** `<role>-<hash of role and key>`; a clash (never seen in practice) gets the next hash, still deterministic. */
export class Ids {
  private used = new Set<string>();
  make(role: string, key: string): string {
    for (let salt = 0; ; salt++) {
      const id = `${role}-${hash53(`${role}\u0000${key}`, salt).toString(36).padStart(11, '0')}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

const INDEX_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The i-th key of rocicorp/fractional-indexing's integer sequence: a0 … az, b00 … bzz, c000 …. */
export function fractionalIndex(i: number): string {
  let digits = 1;
  let span = 62;
  while (i >= span) {
    i -= span;
    digits++;
    span *= 62;
  }
  let out = '';
  for (let d = 0; d < digits; d++) {
    out = INDEX_DIGITS[i % 62] + out;
    i = Math.floor(i / 62);
  }
  return String.fromCharCode(96 + digits) + out;
}
