import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseSession } from '../src/core/parse.js';
import { renderExcalidraw } from '../src/core/excalidraw.js';
it('time', () => {
  const s = parseSession(readFileSync('tests/fixtures/airbnb-complete.md', 'utf8'));
  let t = performance.now(); renderExcalidraw(s); const first = performance.now() - t;
  const runs: number[] = [];
  for (let i = 0; i < 300; i++) { t = performance.now(); renderExcalidraw(s); runs.push(performance.now() - t); }
  runs.sort((a, b) => a - b);
  console.log(`first ${first.toFixed(1)}ms median ${runs[150].toFixed(2)}ms min ${runs[0].toFixed(2)} p90 ${runs[270].toFixed(2)}`);
});
