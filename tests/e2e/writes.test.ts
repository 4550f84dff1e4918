// How sdp writes, from a user's seat (#12): a save landing while watch swaps the file in
// (slowed down by strace), kill -9 mid-write, a full disk under `sdp new`, a Latin-1 file in
// practice, symlinks under reports/ and sessions/, a session named `...md`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { readRetrying } from '../support/editors.js';
import { BIN, STACK_LINE, answer, cleanTemps, distExists, entriesUnder, makeTemp, newSession, sdp, until } from './support/cli.js';

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
const children = new Set<ChildProcess>();
const mounts: string[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null) continue;
    const under = (() => {
      try {
        return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        return [];
      }
    })();
    for (const pid of under) process.kill(Number(pid), 'SIGKILL');
    child.kill('SIGKILL');
  }
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  await cleanTemps();
});

const HAS_STRACE = spawnSync('strace', ['-V']).status === 0 && spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true']).status === 0;
const HAS_GIT = spawnSync('git', ['--version']).status === 0;

/** The syscalls of sdp's swap: the take (rename) and the put (link), slowed by `ms`. */
function straced(ms: number): string[] {
  return ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=none', '-e', `inject=rename,renameat,renameat2:delay_enter=${ms}ms`, '-e', `inject=link,linkat:delay_enter=${ms}ms`];
}

function watch(cwd: string, rel: string, wrapper?: string[]): { child: ChildProcess; sdpPid(): number; log(): string; stop(): Promise<number | null> } {
  let log = '';
  const cmd = wrapper ? 'strace' : process.execPath;
  const args = [...(wrapper ?? []), ...(wrapper ? [process.execPath] : []), BIN, 'watch', rel, '--no-render'];
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', SDP_CACHE_DIR: 'off' } });
  children.add(child);
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  // Under strace, signals go to sdp itself (strace would only detach from it).
  const sdpPid = (): number => (wrapper ? Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) : child.pid!);
  return {
    child,
    sdpPid,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('close', (code) => resolve(code));
        process.kill(sdpPid(), 'SIGINT');
      }),
  };
}

const read = (file: string) => readRetrying(file, 400, 5);

const tempsIn = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith('.sdp-') && n !== '.sdp-backup');

describe.concurrent('the write protocol under a slowed swap (strace)', () => {
  it.skipIf(!HAS_STRACE)(
    '9 rename-style saves landing while watch swaps the file in (rename and link slowed 300 ms): not one lost',
    async ({ expect }) => {
      const { cwd, file, rel } = await newSession('sdp-strace-');
      const w = watch(cwd, rel, straced(300));
      await until('watching', () => w.log().includes('watching'), 30_000);
      const backup = path.join(cwd, 'sessions', '.sdp-backup');
      let landedInSwap = 0;
      for (let i = 1; i <= 9; i++) {
        // An endpoint makes watch write (a workflow hint for it); its swap is slowed to 600 ms.
        await fs.writeFile(file, answer(await read(file), 'api/external', `- \`POST /things${i}\` {name} → 201`));
        // As soon as watch has its temp ready (the swap is under way), the editor saves by rename.
        const inSwap = await until('watch to start its swap', async () => (await tempsIn(backup)).length > 0, 8000).then(
          () => true,
          () => false,
        );
        if (inSwap) landedInSwap++;
        const mine = `- Saved by the editor during swap ${i}`;
        const text = answer(await read(file), 'requirements/functional', mine);
        writeFileSync(`${file}.jb`, text);
        renameSync(`${file}.jb`, file);
        await until(`save ${i} to be derived`, async () => (await read(file)).includes(`no workflow calls \`POST /things${i}\``) && (await tempsIn(backup)).length === 0, 20_000).catch(
          async (err: Error) => {
            throw new Error(`${err.message}\nwatch said:\n${w.log()}\nfile:\n${await read(file)}`);
          },
        );
        const now = await read(file);
        for (let j = 1; j <= i; j++) expect(now, `save ${j} after round ${i}`).toContain(`- Saved by the editor during swap ${j}\n`);
      }
      expect(await w.stop()).toBe(0);
      const final = await read(file);
      for (let j = 1; j <= 9; j++) expect(final).toContain(`- Saved by the editor during swap ${j}\n`);
      expect(landedInSwap, 'saves that landed while a swap was under way').toBeGreaterThan(0);
      expect(w.log()).not.toMatch(/lost|kept in/);
      console.log(`strace: 9 rename saves, ${landedInSwap} of them during a slowed swap, 0 lost`);
    },
    240_000,
  );

  it.skipIf(!HAS_STRACE)(
    'kill -9 of watch in the middle of its swap leaves nothing for git to take, and the session is back on the next command',
    async ({ expect }) => {
      const { cwd, file, rel } = await newSession('sdp-kill-');
      const before = await read(file);
      const w = watch(cwd, rel, straced(2000));
      await until('watching', () => w.log().includes('watching'), 30_000);
      const backup = path.join(cwd, 'sessions', '.sdp-backup');
      const typed = answer(before, 'api/external', '- `POST /stays` {dates} → 201');
      await fs.writeFile(file, typed);
      await until('watch to be in its swap', async () => (await tempsIn(backup)).length > 0, 15_000);
      // The rename is held 2 s: wait until it has happened (the session path is empty), then kill.
      await until(
        'the session taken for the swap',
        async () =>
          !(await fs.stat(file).then(
            () => true,
            () => false,
          )),
        8000,
      ).catch(() => undefined);
      process.kill(w.sdpPid(), 'SIGKILL');
      await new Promise((r) => w.child.once('close', r));
      // Nothing beside the session but sdp's own folder, which ignores itself.
      const beside = (await fs.readdir(path.join(cwd, 'sessions'))).filter((n) => !n.endsWith('.md') && n !== '.sdp-backup');
      expect(beside).toEqual([]);
      expect(await fs.readFile(path.join(backup, '.gitignore'), 'utf8')).toBe('*\n');
      if (HAS_GIT) {
        spawnSync('git', ['init', '-q'], { cwd });
        spawnSync('git', ['add', 'sessions'], { cwd });
        const staged = spawnSync('git', ['diff', '--cached', '--name-only'], { cwd, encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
        expect(
          staged.every((n) => /^sessions\/[^/]+\.md$/.test(n)),
          staged.join(', '),
        ).toBe(true);
      }
      // The next command finds the session whole (put back if the kill came while it was taken).
      const status = await sdp(cwd, ['status', rel]);
      expect(status.code, status.stderr).toBe(0);
      expect(await read(file)).toContain('- `POST /stays` {dates} → 201');
      expect(await tempsIn(backup)).toEqual([]);
    },
    120_000,
  );
});

describe.concurrent('a full disk, a Latin-1 file', () => {
  it('sdp new on a full disk: exit 1 with one line, and no empty or half session left for build to pick', async ({ expect }) => {
    const cwd = await makeTemp('sdp-enospc-');
    const disk = path.join(cwd, 'disk');
    await fs.mkdir(disk);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', disk]);
    if (mounted.status !== 0) {
      console.log(`skipped: cannot mount a tmpfs here (${mounted.stderr.toString().trim()})`);
      return;
    }
    mounts.push(disk);
    // Leave less room than a session needs (~8 KB).
    await fs.writeFile(path.join(disk, 'filler'), Buffer.alloc(12 * 1024)).catch(() => undefined);
    const r = await sdp(cwd, ['new', 'airbnb', '--dir', 'disk']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^disk\/airbnb-\d{8}-\d{6}\.md:1:1: error disk-full: no space left on the disk/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect((await fs.readdir(disk)).filter((n) => n !== 'filler')).toEqual([]);
    const build = await sdp(cwd, ['build', '--dir', 'disk', '--no-render']);
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/no session in .*disk\//);
  });

  it('sdp practice refuses a file that is not UTF-8 (Latin-1) and leaves its bytes alone', async ({ expect }) => {
    const { cwd, file, rel } = await newSession('sdp-latin1-');
    const latin1 = Buffer.concat([Buffer.from((await read(file)).replace('\n## 1.', '\nCaf')), Buffer.from([0xe9]), Buffer.from(' au lait\n\n## 1.')]);
    await fs.writeFile(file, latin1);
    const child = spawn(process.execPath, [BIN, 'practice', rel], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('- Guests can book a stay\n.\n');
    const code = await new Promise((r) => child.on('close', r));
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(new RegExp(`^${rel.replace(/[.]/g, '\\.')}:\\d+:1: error file-not-utf8: .*not UTF-8`, 'm'));
    expect((await fs.readFile(file)).equals(latin1)).toBe(true);
  });
});

describe.concurrent('symlinks and hostile names under reports/ and sessions/', () => {
  it('a reports/<stem>.md symlink to a file outside is refused: exit 1, file:line error, the outside file untouched', async ({ expect }) => {
    const { cwd, rel } = await newSession('sdp-link-');
    const outside = path.join(await makeTemp('sdp-outside-'), 'bashrc');
    await fs.writeFile(outside, 'export SECRET=1\n');
    await fs.mkdir(path.join(cwd, 'reports'));
    const stem = path.basename(rel, '.md');
    await fs.symlink(outside, path.join(cwd, 'reports', `${stem}.md`));
    const r = await sdp(cwd, ['build', rel, '--no-render']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^reports/${stem}\\.md:1:1: error symlink-out: reports/${stem}\\.md is a symlink to .*, outside reports/`, 'm'));
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await fs.readFile(outside, 'utf8')).toBe('export SECRET=1\n');
  });

  it('a symlinked reports/<stem>/ folder is refused before anything is written or removed in it', async ({ expect }) => {
    const { cwd, rel } = await newSession('sdp-linkdir-');
    const outside = await makeTemp('sdp-outside-');
    await fs.writeFile(path.join(outside, 'architecture.svg'), '<svg/>');
    await fs.mkdir(path.join(cwd, 'reports'));
    const stem = path.basename(rel, '.md');
    await fs.symlink(outside, path.join(cwd, 'reports', stem));
    const r = await sdp(cwd, ['build', rel], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^reports/${stem}:1:1: error symlink-out: reports/${stem} is a symlink to .*, outside reports/`, 'm'));
    expect((await fs.readdir(outside)).sort()).toEqual(['architecture.svg']);
    expect(await fs.readFile(path.join(outside, 'architecture.svg'), 'utf8')).toBe('<svg/>');
  }, 90_000);

  it('a session named "...md" gets a safe report name: nothing is written outside reports/', async ({ expect }) => {
    const { cwd, file } = await newSession('sdp-dots-');
    await fs.rename(file, path.join(cwd, 'sessions', '...md'));
    const r = await sdp(cwd, ['build', 'sessions/...md'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote reports\/session\.md/m);
    expect((await entriesUnder(cwd)).filter((p) => !p.startsWith('sessions/') && !p.startsWith('reports/') && p !== 'sessions' && p !== 'reports')).toEqual([]);
  }, 90_000);

  it('a session that is a symlink out of the project is refused by watch and practice; one inside the project works', async ({ expect }) => {
    const { cwd, file, rel } = await newSession('sdp-sesslink-');
    const outside = path.join(await makeTemp('sdp-outside-'), 'theirs.md');
    await fs.copyFile(file, outside);
    const original = await fs.readFile(outside);
    await fs.symlink(outside, path.join(cwd, 'sessions', 'linked.md'));
    for (const args of [
      ['watch', 'sessions/linked.md', '--no-render'],
      ['practice', 'sessions/linked.md'],
    ]) {
      const r = await sdp(cwd, args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/^sessions\/linked\.md:1:1: error symlink-out: sessions\/linked\.md is a symlink to .*, outside \.\//m);
    }
    expect((await fs.readFile(outside)).equals(original)).toBe(true);

    // A `.sdp-backup` that links out of the project is never written through either.
    const elsewhere = await makeTemp('sdp-outside-');
    await fs.symlink(elsewhere, path.join(cwd, 'sessions', '.sdp-backup'));
    for (const args of [
      ['watch', rel, '--no-render'],
      ['practice', rel],
    ]) {
      const r = await sdp(cwd, args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/^sessions\/\.sdp-backup:1:1: error path-not-folder: sessions\/\.sdp-backup is not a folder/m);
    }
    expect(await fs.readdir(elsewhere)).toEqual([]);
    await fs.rm(path.join(cwd, 'sessions', '.sdp-backup'));

    // Inside the project: practice writes through the link, which stays a link.
    await fs.mkdir(path.join(cwd, 'drafts'));
    await fs.rename(file, path.join(cwd, 'drafts', 'real.md'));
    await fs.symlink('../drafts/real.md', file);
    const child = spawn(process.execPath, [BIN, 'practice', rel], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('- Guests can book a stay\n.\n');
    await new Promise((r) => child.on('close', r));
    expect(stderr).not.toMatch(/symlink/);
    expect((await fs.lstat(file)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(cwd, 'drafts', 'real.md'), 'utf8')).toContain('- Guests can book a stay');
  }, 90_000);
});
