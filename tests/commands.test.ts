// Commands run in-process with a fake terminal: the interactive paths a spawned
// process without a TTY cannot reach.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { Terminal } from '../src/io/terminal.js';

function fakeTerminal(answers: string[], interactive = true) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive,
    ask: async (prompt) => {
      out.push(prompt);
      return answers.shift();
    },
  };
  return { term, out, err };
}

const now = () => new Date('2026-11-24T10:11:12.000Z');

describe('sdp new without a question, on a terminal', () => {
  it('shows a numbered menu and creates the chosen session', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-cmd-'));
    // The menu lists presets by id: account-aggregation, ad-click-aggregator, airbnb, ...
    const { term, out } = fakeTerminal(['99', '3']);
    expect(await main(['new'], { cwd, term, now })).toBe(0);
    expect(out).toContain('Pick a question:');
    expect(out.some((l) => /^ {2}3\. Design Airbnb {2}\[airbnb\]$/.test(l))).toBe(true);
    expect(out).toContain('"99" is not on the list.');
    expect(readdirSync(path.join(cwd, 'sessions'))).toEqual(['airbnb-20261124-101112.md']);
    expect(readFileSync(path.join(cwd, 'sessions/airbnb-20261124-101112.md'), 'utf8')).toContain('started: "2026-11-24T10:11:12.000Z"');
  });

  it('accepts a name at the prompt, and gives up with exit 2 at end of input', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-cmd-'));
    expect(await main(['new'], { cwd, term: fakeTerminal(['tinyurl']).term, now })).toBe(0);
    expect(readdirSync(path.join(cwd, 'sessions'))).toEqual(['url-shortener-20261124-101112.md']);
    const { term, err } = fakeTerminal([]);
    expect(await main(['new'], { cwd, term, now })).toBe(2);
    expect(err.join('\n')).toMatch(/no question chosen/);
  });
});

describe('unexpected failures', () => {
  it('print one line without a stack trace, and the stack with --debug', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-cmd-'));
    const broken = () => {
      throw new Error('clock broke');
    };
    const plain = fakeTerminal([]);
    expect(await main(['new', 'airbnb'], { cwd, term: plain.term, now: broken })).toBe(2);
    expect(plain.err.join('\n')).toMatch(/^sdp: unexpected error: clock broke\nRun again with --debug/);
    expect(plain.err.join('\n')).not.toMatch(/\n\s+at /);
    const debug = fakeTerminal([]);
    expect(await main(['new', 'airbnb', '--debug'], { cwd, term: debug.term, now: broken })).toBe(2);
    expect(debug.err.join('\n')).toMatch(/\n\s+at /);
  });
});

describe('what the file system refuses', () => {
  it.each([
    ['ENOSPC', '/x/sessions/a.md: not written: the disk is full. Try: free some space and run again'],
    ['EEXIST', '/x/sessions/a.md: already exists. Try: move it away or pick another name'],
    ['EACCES', "/x/sessions/a.md: permission denied. Try: check its permissions and its folder's (ls -l)"],
    ['ELOOP', '/x/sessions/a.md: a loop of symbolic links. Try: point the link at a real file, or remove it'],
    ['EISDIR', '/x/sessions/a.md: a folder where a file was expected. Try: give a file path'],
    ['ENOENT', '/x/sessions/a.md: no such file or folder. Try: check the path'],
  ])('%s is one line with the path and what to do, exit 2, never "unexpected error"', async (code, line) => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'sdp-cmd-'));
    const refused = () => {
      throw Object.assign(new Error(`${code}: refused, open '/x/sessions/a.md'`), { code, path: '/x/sessions/a.md' });
    };
    const { term, err } = fakeTerminal([]);
    expect(await main(['new', 'airbnb'], { cwd, term, now: refused })).toBe(2);
    expect(err).toEqual([`sdp: ${line}`]);
  });
});
