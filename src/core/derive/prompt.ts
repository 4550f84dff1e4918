// Small text helpers shared by the derived hints and the rules' hint lines.
import { GENERIC, keywords } from '../words.js';

/** A list item quoted for a hint line, clipped to 60 characters. */
export function quote(text: string): string {
  const t = text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
  return `"${t.length > 60 ? `${t.slice(0, 57)}...` : t}"`;
}

/** A plausible endpoint for a requirement: its verb picks the method, its last noun the resource. */
export function candidateEndpoint(requirement: string): string {
  const words = [...keywords(requirement)];
  const method = words.includes('search') || words.includes('view') ? 'GET' : words.includes('delete') ? 'DELETE' : words.includes('update') ? 'PUT' : 'POST';
  const nouns = words.filter((w) => !GENERIC.has(w) && !['search', 'book', 'pay', 'send', 'post', 'upload', 'follow', 'like', 'comment', 'notify'].includes(w));
  const resource = nouns[nouns.length - 1] ?? words[words.length - 1] ?? 'items';
  return `${method} /${resource.endsWith('s') ? resource : `${resource}s`}`;
}
