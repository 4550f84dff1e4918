// Pictures from a user's seat: files next to the report, a missing browser, a render that
// hangs. Browser-dependent cases are skipped, saying why, where no Chromium is found.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/io/browser.js';
import { parseSvgXml } from '../support/xml.js';
import { REPO, browserLeftovers, cleanTemps, distExists, filesUnder, fixture, makeTemp, sdp } from './support/cli.js';

let haveBrowser = true;
try {
  findBrowser();
} catch (err) {
  haveBrowser = false;
  console.log(`skipping the browser render tests: ${(err as Error).message} (apt-get install -y chromium)`);
}

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterAll(cleanTemps);

async function withSession(): Promise<{ cwd: string; text: string }> {
  const cwd = await makeTemp('sdp-render-');
  await fs.mkdir(path.join(cwd, 'sessions'));
  const text = await fixture('airbnb-complete.md');
  await fs.writeFile(path.join(cwd, 'sessions/a.md'), text);
  return { cwd, text };
}

/** Parses every SVG under `dir` as XML (throwing with the file's name); how many there were. */
async function svgsAreXml(dir: string): Promise<number> {
  const svgs = (await filesUnder(dir)).filter((f) => f.endsWith('.svg'));
  for (const f of svgs) parseSvgXml(await fs.readFile(path.join(dir, f), 'utf8'), f);
  return svgs.length;
}

async function ownTmp(cwd: string): Promise<string> {
  const tmp = path.join(cwd, 'tmp');
  await fs.mkdir(tmp, { recursive: true });
  return tmp;
}

describe('sdp build pictures', () => {
  it('with no browser: a one-line warning, the report with its mermaid source, exit 0; --require-render exits 1', async ({ expect }) => {
    const { cwd } = await withSession();
    const env = { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' };
    const r = await sdp(cwd, ['build'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'sdp: warning: PUPPETEER_EXECUTABLE_PATH is /nonexistent/chromium, which is not an executable file; the report has the mermaid source only. Try: install Chromium (Debian: apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji) or set PUPPETEER_EXECUTABLE_PATH, or pass --no-render.',
    ]);
    const report = await fs.readFile(path.join(cwd, 'reports/a.md'), 'utf8');
    expect(report).toContain('```mermaid\nflowchart TB');
    expect(report).not.toContain('](a/architecture.svg)');
    const strict = await sdp(cwd, ['build', '--require-render'], { env });
    expect(strict.code).toBe(1);
  });

  it.skipIf(!haveBrowser)(
    'writes an SVG per diagram next to the report and links them, leaving the session untouched',
    async ({ expect }) => {
      const { cwd, text } = await withSession();
      const tmp = await ownTmp(cwd);
      const r = await sdp(cwd, ['build', '--png'], { timeoutMs: 60_000, env: { TMPDIR: tmp } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Wrote reports\/a\.md with 6 pictures and an \.excalidraw scene in reports\/a\/$/m);
      const files = (await fs.readdir(path.join(cwd, 'reports/a'))).sort();
      expect(files).toEqual(expect.arrayContaining(['architecture.svg', 'architecture.png', 'workflow-1.svg', 'workflow-5.svg']));
      const report = await fs.readFile(path.join(cwd, 'reports/a.md'), 'utf8');
      expect(report).toContain('![Architecture](a/architecture.svg)');
      expect(report).toContain('![Book a stay](a/workflow-1.svg)');
      expect(report).toContain('```mermaid\nflowchart TB');
      expect(await fs.readFile(path.join(cwd, 'sessions/a.md'), 'utf8')).toBe(text);
      expect(await browserLeftovers(tmp)).toEqual({ processes: [], profiles: [] });
      expect(await svgsAreXml(path.join(cwd, 'reports/a'))).toBe(6);
      // The PNG is the picture at twice its own size (IHDR width at byte 16).
      const { width } = parseSvgXml(await fs.readFile(path.join(cwd, 'reports/a/architecture.svg'), 'utf8'));
      expect((await fs.readFile(path.join(cwd, 'reports/a/architecture.png'))).readUInt32BE(16)).toBe(2 * Math.ceil(width));
    },
    90_000,
  );

  it.skipIf(!haveBrowser)(
    'a diagram not drawn within the timeout (which counts the browser start) is stopped: exit 1, the report with its source, no browser or profile left',
    async ({ expect }) => {
      const { cwd, text } = await withSession();
      const tmp = await ownTmp(cwd);
      const r = await sdp(cwd, ['build', '--render-timeout', '0.01'], { timeoutMs: 60_000, env: { TMPDIR: tmp } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/architecture not drawn: starting the browser took longer than 0\.01 s; the browser was stopped/);
      const report = await fs.readFile(path.join(cwd, 'reports/a.md'), 'utf8');
      expect(report).toMatch(/_Not drawn: starting the browser took longer than 0\.01 s/);
      expect(report).toContain('```mermaid\nflowchart TB');
      expect(await fs.readFile(path.join(cwd, 'sessions/a.md'), 'utf8')).toBe(text);
      expect(await browserLeftovers(tmp)).toEqual({ processes: [], profiles: [] });
    },
    90_000,
  );
});

describe('sdp build --all pictures', () => {
  it.skipIf(!haveBrowser)(
    'draws every shipped sample, and every SVG is well-formed XML',
    async ({ expect }) => {
      const cwd = await makeTemp('sdp-samples-');
      await fs.mkdir(path.join(cwd, 'sessions'));
      const samples = (await fs.readdir(path.join(REPO, 'templates/samples'))).filter((f) => f.endsWith('.md'));
      expect(samples.length).toBeGreaterThanOrEqual(21);
      for (const f of samples) await fs.copyFile(path.join(REPO, 'templates/samples', f), path.join(cwd, 'sessions', f));
      const r = await sdp(cwd, ['build', '--all', '--require-render'], { timeoutMs: 180_000 });
      expect(r.code, r.stderr).toBe(0);
      // An architecture and at least one workflow for every sample.
      expect(await svgsAreXml(path.join(cwd, 'reports'))).toBeGreaterThanOrEqual(2 * samples.length);
      for (const f of samples) await fs.access(path.join(cwd, 'reports', f.replace(/\.md$/, ''), 'architecture.svg'));
    },
    200_000,
  );

  it.skipIf(!haveBrowser)(
    'a render that takes too long stops the browser, not the build: every report written with its source, exit 1, no browser or profile left',
    async ({ expect }) => {
      const { cwd, text } = await withSession();
      for (let i = 0; i < 3; i++) await fs.writeFile(path.join(cwd, `sessions/b${i}.md`), text);
      const tmp = await ownTmp(cwd);
      const r = await sdp(cwd, ['build', '--all', '--render-timeout', '0.01'], { timeoutMs: 60_000, env: { TMPDIR: tmp } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/unexpected error/);
      expect(r.stderr).toMatch(/^sessions\/a\.md: error: architecture not drawn: starting the browser took longer than 0\.01 s; the browser was stopped/m);
      expect(r.stderr).toMatch(/^sessions\/b2\.md: error: architecture not drawn: the browser was stopped after starting the browser took longer than 0\.01 s/m);
      for (const name of ['a', 'b0', 'b1', 'b2']) {
        expect(r.stdout).toContain(`Wrote reports/${name}.md`);
        expect(await fs.readFile(path.join(cwd, `reports/${name}.md`), 'utf8')).toContain('```mermaid\nflowchart TB');
      }
      expect(await browserLeftovers(tmp)).toEqual({ processes: [], profiles: [] });
    },
    90_000,
  );
});

describe('sdp build interrupted mid-render', () => {
  it.skipIf(!haveBrowser).each(['SIGINT', 'SIGTERM'] as const)(
    '%s leaves no browser, no profile and the session untouched',
    async (signal) => {
      const { cwd, text } = await withSession();
      for (let i = 0; i < 6; i++) await fs.writeFile(path.join(cwd, `sessions/b${i}.md`), text);
      const tmp = await ownTmp(cwd);
      const { spawn } = await import('node:child_process');
      const { BIN, until } = await import('./support/cli.js');
      const child = spawn(process.execPath, [BIN, 'build', '--all'], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
      // Interrupt once the browser is up and drawing.
      await until('a browser with our profile', async () => (await browserLeftovers(tmp)).processes.length > 0, 30_000);
      const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      child.kill(signal);
      expect(await closed).not.toBe(0);
      await until('no browser left', async () => (await browserLeftovers(tmp)).processes.length === 0, 10_000);
      expect((await browserLeftovers(tmp)).profiles).toEqual([]);
      expect(await fs.readFile(path.join(cwd, 'sessions/a.md'), 'utf8')).toBe(text);
    },
    90_000,
  );
});

describe('sdp watch pictures', () => {
  it.skipIf(!haveBrowser)(
    'redraws the pictures when a save changes a diagram, and never writes them into the session',
    async ({ expect }) => {
      const { cwd } = await withSession();
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('./support/cli.js');
      let log = '';
      const child = spawn(process.execPath, [BIN, 'watch', 'sessions/a.md'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      const until = async (what: string, test: () => Promise<boolean> | boolean) => {
        const end = Date.now() + 30_000;
        while (Date.now() < end) {
          if (await test()) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`timed out waiting for ${what}; watch said:\n${log}`);
      };
      const svg = path.join(cwd, 'reports/a/architecture.svg');
      await until('the first pictures', () => log.includes('pictures: 6 redrawn'));
      const file = path.join(cwd, 'sessions/a.md');
      await fs.writeFile(
        file,
        (await fs.readFile(file, 'utf8')).replace('- Host -> Photo Storage: upload photos', '- Host -> Photo Storage: upload photos\n- Host -> Moderation Queue: review photos'),
      );
      await until('the new component in the picture', async () => (await fs.readFile(svg, 'utf8')).includes('Moderation Queue'));
      expect(await svgsAreXml(path.join(cwd, 'reports/a'))).toBe(6);
      expect(JSON.parse(await fs.readFile(path.join(cwd, 'reports/a/architecture.excalidraw'), 'utf8')).elements.some((e: { text?: string }) => e.text === 'Moderation Queue')).toBe(true);
      await new Promise((r) => {
        child.once('close', r);
        child.kill('SIGINT');
      });
      expect(await fs.readFile(file, 'utf8')).not.toMatch(/<svg|excalidraw/);
    },
    90_000,
  );
});
