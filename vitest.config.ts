import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Every sdp the tests spawn keeps its parse cache here, never in the user's ~/.cache.
    env: { SDP_CACHE_DIR: path.join(os.tmpdir(), `sdp-test-cache-${process.pid}`) },
    // The JSON file is what .ci/run counts; the default reporter is for people.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
