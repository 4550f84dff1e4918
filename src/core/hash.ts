// FNV-1a, 32 bits: a short, stable fingerprint for recognising sdp's own text in a file
// (a hint block it wrote) without a clock or a crypto dependency in the pure core.
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  const s = text.replace(/\r\n/g, '\n');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
