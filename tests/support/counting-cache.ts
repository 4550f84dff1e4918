// A parse cache seen from outside: how many chunks it had, how many it did not.
import type { BlockCache } from '../../src/core/parse/markdown.js';

export function counting(cache: BlockCache): { seen: { hits: number; misses: number }; cache: BlockCache } {
  const seen = { hits: 0, misses: 0 };
  return {
    seen,
    cache: {
      get(chunk) {
        const hit = cache.get(chunk);
        seen[hit === undefined ? 'misses' : 'hits']++;
        return hit;
      },
      set: (chunk, nodes) => cache.set(chunk, nodes),
    },
  };
}
