// Real vim under tmux edits a session while `sdp watch` runs beside it: many insert-and-:w
// cycles. Every typed line must end up in the file, and the hints must be up to date.
// .ci/run installs vim and tmux; without them the test is skipped with the reason printed.
import { readRetrying } from '../support/editors.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/core/parse/parse.js';
import { syncSession } from '../../src/core/write/sync.js';
import { loadBank, loadPlaybook } from '../../src/io/bank.js';
import { BIN, cleanTemps, distExists, makeTemp, until } from './support/cli.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['vim', 'tmux'].filter((c) => !have(c));
if (missing.length) console.log(`skipping the vim test: ${missing.join(' and ')} not installed (apt-get install -y vim tmux)`);

afterAll(cleanTemps);

describe.skipIf(missing.length > 0 || !distExists())('vim + sdp watch', () => {
  it('keeps every line typed in 30 insert-and-:w cycles, with hints up to date at the end', async () => {
    const cwd = await makeTemp('sdp-vim-');
    execFileSync(process.execPath, [BIN, 'new', 'airbnb'], { cwd, stdio: 'ignore' });
    const name = (await fs.readdir(path.join(cwd, 'sessions'))).find((n) => n.endsWith('.md'))!;
    const file = path.join(cwd, 'sessions', name);

    let log = '';
    const watch = spawn(process.execPath, [BIN, 'watch', `sessions/${name}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    watch.stdout.on('data', (d) => (log += d));
    watch.stderr.on('data', (d) => (log += d));
    await until('watch to start', () => log.includes('watching'));

    const session = `sdpvim${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { stdio: 'ignore' });
    const vimrc = path.join(cwd, 'vimrc');
    await fs.writeFile(vimrc, 'set nocompatible autoread noswapfile nobackup nowritebackup backupcopy=no shortmess+=AIW nomore\n');
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `vim -u ${vimrc} -i NONE ${file}`);
    try {
      const typed: string[] = [];
      for (let i = 0; i < 30; i++) {
        // Reload what watch wrote (autoread), add a line at the end, write.
        const line = i % 2 ? `- Failure ${i} with é and 🚀: detected by alerts, mitigated by retries` : `- Cache stampede ${i}: request coalescing`;
        typed.push(line);
        tmux('send-keys', '-t', session, 'Escape', ':checktime', 'Enter', 'G', 'o');
        tmux('send-keys', '-t', session, '-l', '--', line);
        tmux('send-keys', '-t', session, 'Escape', ':w!', 'Enter');
        // sdp's swap leaves the path absent for a moment (ms on a loaded machine): read again then.
        await until(`line ${i} on disk`, async () => (await readRetrying(file, 400, 5)).includes(line));
      }
      // Let watch settle on the last save, then stop it (it writes the timing on exit).
      await until('watch to see the last save', () => log.split('\n').filter((l) => /edited 7\./.test(l)).length > 0);
      tmux('send-keys', '-t', session, 'Escape', ':qa!', 'Enter');
      watch.kill('SIGINT');
      await new Promise((r) => watch.on('close', r));

      const text = await fs.readFile(file, 'utf8');
      for (const line of typed) expect(text, line).toContain(line);
      const parsed = parseSession(text);
      const question = (await loadBank(cwd)).find((q) => q.id === 'airbnb');
      expect(syncSession({ session: parsed, source: text, question, hints: true, playbook: await loadPlaybook(cwd) }).text, 'hints are up to date').toBeUndefined();
      expect(text.match(/<!-- sdp:hint failures -->/g)).toHaveLength(1);
      expect(parsed.frontmatter.raw.timing).toBeDefined();
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
      if (watch.exitCode === null) watch.kill('SIGKILL');
    }
  }, 120_000);
});
