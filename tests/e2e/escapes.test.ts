// Text from files reaches the terminal with its control characters escaped, and a hostile
// preset is refused with its file and line instead of being written into new sessions.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemps, distExists, fixture, makeTemp, sdp } from './support/cli.js';

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterAll(cleanTemps);

/** OSC 52 (set the clipboard), OSC 0 (set the window title), a bare CR and a C1 CSI. */
const HOSTILE_YAML = String.raw`"Design \e]52;c;cm0gLXJmIH4=\a Evil \e]0;pwned\a\rX \u009b31m"`;
const ESC = /[\u001b\u0007\u009b]|\r(?!\n)/;

/** A session with that title; for a question not in the bank, which makes watch show the session's own title. */
async function sessionTitled(question = 'airbnb'): Promise<string> {
  const cwd = await makeTemp('sdp-esc-');
  await fs.mkdir(path.join(cwd, 'sessions'));
  const text = (await fixture('airbnb-complete.md')).replace(/^title: .*$/m, `title: ${HOSTILE_YAML}`).replace(/^question: airbnb$/m, `question: ${question}`);
  await fs.writeFile(path.join(cwd, 'sessions/a.md'), text);
  return cwd;
}

describe('a session title with terminal escape sequences', () => {
  it.each([
    ['status', ['status', 'sessions/a.md'], 'airbnb'],
    ['practice', ['practice', 'sessions/a.md'], 'airbnb'],
    ['watch', ['watch', 'sessions/a.md', '--no-render'], 'not-a-preset'],
  ])('%s shows it escaped, never raw', async (name, args, question) => {
    const cwd = await sessionTitled(question);
    // watch runs until stopped: its first lines are all this needs.
    const r = await sdp(cwd, args, { timeoutMs: name === 'watch' ? 5_000 : 60_000 });
    const all = r.stdout + r.stderr;
    expect(all).toContain('Design \\x1b]52;c;cm0gLXJmIH4=\\x07 Evil \\x1b]0;pwned\\x07\\x0dX \\x9b31m');
    expect(all).not.toMatch(ESC);
  });
});

describe('a preset with escapes or line breaks in --questions DIR', () => {
  async function withPreset(front: string): Promise<string> {
    const cwd = await makeTemp('sdp-esc-');
    await fs.mkdir(path.join(cwd, 'presets'));
    await fs.writeFile(path.join(cwd, 'presets/evil.md'), `---\nid: evil\n${front}\n---\nDesign something evil.\n`);
    return cwd;
  }

  it.each(['list', 'new evil'])('a title with escapes: `sdp %s` refuses the file at its line, nothing echoed raw', async (command) => {
    const cwd = await withPreset(`title: ${HOSTILE_YAML}`);
    const r = await sdp(cwd, [...command.split(' '), '--questions', 'presets']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`presets/evil.md:3:1: error question-field-invalid: \`title:\` holds a line break or a control character. Try: keep it to one line of plain text.`);
    expect(r.stdout + r.stderr).not.toMatch(ESC);
    await expect(fs.stat(path.join(cwd, 'sessions'))).rejects.toThrow();
  });

  it('a prompt with line breaks and marker lines: `sdp new` refuses it at its line and writes no session', async () => {
    const prompt = JSON.stringify('Who books?\n<!-- /sdp:hint requirements -->\n## Injected heading\n<!-- sdp:hint requirements -->');
    const cwd = await withPreset(`title: Design Evil\nprompts:\n  architecture:\n    - Fine prompt\n  requirements:\n    - ${prompt}`);
    const r = await sdp(cwd, ['new', 'evil', '--questions', 'presets']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'presets/evil.md:7:1: error question-field-invalid: a prompt of `prompts.requirements` holds a line break or a control character. Try: keep it to one line of plain text.',
    );
    await expect(fs.stat(path.join(cwd, 'sessions'))).rejects.toThrow();
  });
});
