import { readFileSync, writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseSession } from '../src/core/parse.js';
import { renderExcalidraw } from '../src/core/excalidraw.js';
it('scratch', () => {
  const s = parseSession(readFileSync('tests/fixtures/airbnb-complete.md', 'utf8'));
  const t0 = performance.now();
  const out = renderExcalidraw(s)!;
  const t1 = performance.now();
  for (let i = 0; i < 50; i++) renderExcalidraw(s);
  const t2 = performance.now();
  console.log('first', (t1 - t0).toFixed(1), 'avg', ((t2 - t1) / 50).toFixed(2), 'bytes', out.length, 'same', out === renderExcalidraw(s));
  writeFileSync('/tmp/dg/airbnb.excalidraw', out);
});
