// Small inputs that used to crash sdp: deep nesting, a huge chain of components, a FIFO or a
// loop of links given as the session. Each gets a one-line answer. (A very long session: report.test.ts.)
import { promises as fs } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, cleanTemps, distExists, fixture, makeTemp, sdp } from './support/cli.js';

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterAll(cleanTemps);

/** sessions/a.md: the complete airbnb session with `extra` after its first functional requirement. */
async function sessionWith(extra: string): Promise<{ cwd: string; file: string }> {
  const cwd = await makeTemp('sdp-limits-');
  await fs.mkdir(path.join(cwd, 'sessions'));
  const text = (await fixture('airbnb-complete.md')).replace('- Guests can book a stay and pay;', `${extra}\n\n- Guests can book a stay and pay;`);
  const file = path.join(cwd, 'sessions/a.md');
  await fs.writeFile(file, text);
  return { cwd, file };
}

const NO_CACHE = { env: { SDP_CACHE_DIR: 'off' }, timeoutMs: 60_000 };

describe('markdown nested past the limit', () => {
  it.each([
    ['1,500 nested list markers on one 3 KB line', '- '.repeat(1500) + 'x'],
    ['1,500 nested quotes', '> '.repeat(1500) + 'x'],
    ['emphasis nested 1,000 deep', '*a '.repeat(1000) + 'x' + ' b*'.repeat(1000)],
  ])(
    '%s: every command says where, with the limit, and exits 1',
    async (_name, extra) => {
      const { cwd } = await sessionWith(extra);
      for (const args of [['check'], ['status'], ['build', '--no-render']]) {
        const r = await sdp(cwd, [...args, 'sessions/a.md'], NO_CACHE);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toContain(
          'sessions/a.md:52:1: error markdown-too-deep: markdown nested more than 200 levels deep (lists, quotes or emphasis inside each other): sdp does not read it. Try: flatten it to a few levels.',
        );
        expect(r.stderr).not.toMatch(/Maximum call stack|unexpected error/);
      }
      await expect(fs.stat(path.join(cwd, 'reports'))).rejects.toThrow();
    },
    120_000,
  );
});

describe('a design too large to lay out', () => {
  it('a workflow chain of 2,000 components: the report is written, the scene is not, a note and exit 1', async () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `- C${i} -> C${i + 1}: call`).join('\n');
    const { cwd } = await sessionWith('');
    const file = path.join(cwd, 'sessions/a.md');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('- Host -> Photo Storage: upload photos', `- Host -> Photo Storage: upload photos\n${chain}`));
    // No browser: the layout of the .excalidraw scene is what overflowed.
    const r = await sdp(cwd, ['build'], { ...NO_CACHE, env: { ...NO_CACHE.env, PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('sessions/a.md: error: the .excalidraw scene is not drawn: the architecture has 2019 links, over the 500 sdp lays out. The report keeps its mermaid source.');
    expect(r.stderr).not.toMatch(/Maximum call stack|unexpected error/);
    expect(r.stdout).toContain('Wrote reports/a.md');
    await expect(fs.stat(path.join(cwd, 'reports/a/architecture.excalidraw'))).rejects.toThrow();
  }, 120_000);
});

describe('a session that is not a regular file', () => {
  it.each(['check', 'status', 'build', 'watch', 'practice'])('a FIFO given to %s is refused at once, exit 2, one line', async (command) => {
    const cwd = await makeTemp('sdp-limits-');
    execFileSync('mkfifo', [path.join(cwd, 'pipe.md')]);
    const r = await sdp(cwd, [command, 'pipe.md'], { timeoutMs: 20_000 });
    expect(r.signal).toBe(null);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`sdp: ${path.join(cwd, 'pipe.md')} is a named pipe (FIFO), not a file sdp can read. Try: give the path of a markdown file`);
  });

  it('a FIFO named like a session in sessions/ is refused by build, not waited on', async () => {
    const cwd = await makeTemp('sdp-limits-');
    await fs.mkdir(path.join(cwd, 'sessions'));
    execFileSync('mkfifo', [path.join(cwd, 'sessions/z.md')]);
    const r = await sdp(cwd, ['build'], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`sdp: ${path.join(cwd, 'sessions/z.md')} is a named pipe (FIFO), not a file sdp can read. Try: give the path of a markdown file`);
  });

  it('a link to itself is one line, not an unexpected error', async () => {
    const cwd = await makeTemp('sdp-limits-');
    await fs.symlink('loop.md', path.join(cwd, 'loop.md'));
    const r = await sdp(cwd, ['check', 'loop.md']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`sdp: ${path.join(cwd, 'loop.md')}: a loop of symbolic links. Try: point the link at a real file, or remove it`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
