// `sdp practice` in a real terminal (tmux): the numbered menu, a multi-line answer edited
// with the arrow keys, Ctrl-C. Skipped, saying why, where tmux is missing.
import { readRetrying } from '../support/editors.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanTemps, distExists, makeTemp, until } from './support/cli.js';

const haveTmux = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
if (!haveTmux) console.log('skipping the terminal practice test: tmux not installed (apt-get install -y tmux)');
afterAll(cleanTemps);

describe.skipIf(!haveTmux || !distExists())('sdp practice in a terminal', () => {
  it('picks from the menu, takes a multi-line answer edited with arrow keys, and stops on Ctrl-C with the answer saved', async () => {
    const cwd = await makeTemp('sdp-tty-');
    const session = `sdptty${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { stdio: 'ignore' });
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', '-c', cwd, `${process.execPath} ${BIN} practice; echo EXIT=$?; sleep 30`);
    try {
      await until('the menu', () => screen().includes('Pick a question:'));
      expect(screen()).toMatch(/ {2}3\. Design Airbnb {2}\[airbnb\]/);
      tmux('send-keys', '-t', session, '3', 'Enter');
      await until('the first section', () => screen().includes('-- Functional:'));
      // A typo fixed with the arrow keys: "bok" → "book".
      tmux('send-keys', '-t', session, '-l', '--', '- Guests can bok a stay');
      // A person's pace between keys: a burst of escape sequences in one read is not how keys arrive.
      const key = async (k: string) => {
        tmux('send-keys', '-t', session, k);
        await new Promise((r) => setTimeout(r, 40));
      };
      for (let i = 0; i < 8; i++) await key('Left');
      for (const k of ['o', 'End', 'Enter']) await key(k);
      tmux('send-keys', '-t', session, '-l', '--', '- Guests can search listings');
      tmux('send-keys', '-t', session, 'Enter', '.', 'Enter');
      await until('the next section', () => screen().includes('-- Non-functional:'));
      const file = path.join(
        cwd,
        'sessions',
        (await fs.readdir(path.join(cwd, 'sessions'))).find((n) => n.endsWith('.md'))!,
      );
      await until('the answer on disk', async () => (await readRetrying(file, 400, 5)).includes('- Guests can book a stay\n- Guests can search listings\n'));
      tmux('send-keys', '-t', session, 'C-c');
      await until('practice to stop', () => /EXIT=0/.test(screen()));
      expect(screen()).toContain('Every answer given so far is in sessions/');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 60_000);

  it('in step 6 offers tactics that fit the requirements, and a pick writes a Choice to fill into the session', async () => {
    const cwd = await makeTemp('sdp-tty-');
    const session = `sdpmenu${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { stdio: 'ignore' });
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', '-60', '-t', session], { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', '-c', cwd, `${process.execPath} ${BIN} practice airbnb --start-step 6; echo EXIT=$?; sleep 30`);
    try {
      await until('the tactic menu', () => screen().includes('Tactics that fit your requirements'));
      const menu = screen();
      const first = /^ {2}1\. ([^(]+) \((\w+), for "([^"]+)"\)/m.exec(menu);
      expect(first, menu).not.toBeNull();
      tmux('send-keys', '-t', session, '1', 'Enter');
      await until('the pick acknowledged', () => screen().includes(`added "${first![1].trim()}"`));
      const file = path.join(
        cwd,
        'sessions',
        (await fs.readdir(path.join(cwd, 'sessions'))).find((n) => n.endsWith('.md'))!,
      );
      const text = await fs.readFile(file, 'utf8');
      expect(text).toContain(`- Choice: ${first![1].trim()} for "${first![3]}"\n  - Why:\n  - Alternatives: `);
      expect(text).toMatch(/\n {2}- Trade-off:\n/);
      tmux('send-keys', '-t', session, 'C-c');
      await until('practice to stop', () => /EXIT=0/.test(screen()));
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 60_000);
});
