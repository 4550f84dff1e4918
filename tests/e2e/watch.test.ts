// `sdp watch` as a user runs it beside an editor: the built binary, a real folder, saves of
// both kinds, a broken save, Ctrl-C. Waits are on conditions with timeouts, never fixed sleeps.
import { readRetrying } from '../support/editors.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { onlyOwnedChanged } from '../../src/core/write/edit.js';
import { BIN, answer, cleanTemps, distExists, newSession as newSessionIn, sdp, until } from './support/cli.js';

const newSession = () => newSessionIn('sdp-watch-');

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
// A test that fails half-way must not leave its watch process running.
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await cleanTemps();
});

interface Running {
  child: ChildProcess;
  log(): string;
  stop(): Promise<number | null>;
}

function start(cwd: string, args: string[], env: Record<string, string> = {}): Running {
  let log = '';
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', ...env } });
  children.add(child);
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  return {
    child,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        child.once('close', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/** The file's text; sdp's swap leaves the path absent for a moment (ms on a loaded machine). */
const read = (file: string) => readRetrying(file, 400, 5);

describe.concurrent('sdp watch', () => {
  it('updates the hints after in-place and rename saves, logs plain lines, and saves timing on Ctrl-C', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const cache = path.join(cwd, 'cache');
    const w = start(cwd, [rel], { SDP_CACHE_DIR: cache });
    await until('watching', () => w.log().includes('watching'));

    await fs.writeFile(file, answer(await read(file), 'requirements/functional', '- Guests can book a stay'));
    await until('the API hint for the new requirement', async () => (await read(file)).includes('`POST /stays` for "Guests can book a stay" (from your requirement)'));

    const temp = `${file}.tmp1`;
    await fs.writeFile(temp, answer(await read(file), 'api/external', '- `POST /bookings` {listingId} → 201'));
    await fs.rename(temp, file);
    await until('the workflow hint for the new endpoint', async () => (await read(file)).includes('no workflow calls `POST /bookings` yet (from step 3)'));

    expect(await w.stop()).toBe(0);
    const text = await read(file);
    expect(text).toContain('- Guests can book a stay');
    expect(text).toMatch(/^timing:\n {2}last_edit: "[^"]+"\n {2}active_seconds: [\d.]+\n {2}steps:\n {4}requirements: \{ first_edit: /m);
    expect(text).toMatch(/^ {4}api: \{ first_edit: /m);
    expect(w.log()).toMatch(/^\d\d:\d\d:\d\d edited 1\. Requirements/m);
    expect(w.log()).toContain('stopped; timing saved');
    expect((await fs.readdir(path.join(cwd, 'sessions/.sdp-backup'))).sort()).toEqual(['.gitignore', expect.stringMatching(/\.md$/)]);
    // The last parse's chunks stay on disk for the build that follows; they change no result.
    const [kept] = await fs.readdir(cache);
    expect((await read(path.join(cache, kept))).split('\n').length).toBeGreaterThan(20);
    const warm = await sdp(cwd, ['check', rel, '--json'], { env: { SDP_CACHE_DIR: cache } });
    expect(warm.stdout).toBe((await sdp(cwd, ['check', rel, '--json'], { env: { SDP_CACHE_DIR: 'off' } })).stdout);
  });

  it('a save with broken YAML gets a warning and no write; fixing it resumes', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const w = start(cwd, [rel]);
    await until('watching', () => w.log().includes('watching'));
    const good = await read(file);
    const broken = answer(good.replace('question: airbnb', 'question: [airbnb'), 'requirements/functional', '- Guests can book a stay');
    await fs.writeFile(file, broken);
    await until('a warning', () => /warning: .*:3:\d+: error yaml-invalid: invalid YAML/.test(w.log()));
    expect(await read(file)).toBe(broken);
    await fs.writeFile(file, broken.replace('question: [airbnb', 'question: airbnb'));
    await until('hints again', async () => (await read(file)).includes('for "Guests can book a stay"'));
    expect(await w.stop()).toBe(0);
  });

  it('keeps text typed inside a hint block and says so', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const w = start(cwd, [rel]);
    await until('watching', () => w.log().includes('watching'));
    const typed = answer((await read(file)).replace('<!-- sdp:hint api -->\n', '<!-- sdp:hint api -->\nmy note inside the block\n'), 'requirements/functional', '- Guests can book a stay');
    await fs.writeFile(file, typed);
    await until('the warning', () => w.log().includes('you typed inside the hint block of step 3'));
    expect(await w.stop()).toBe(0);
    expect(await read(file)).toContain('<!-- sdp:hint api -->\nmy note inside the block\n');
  });

  it('--no-hints leaves the hint blocks alone and still keeps time', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const before = await read(file);
    const w = start(cwd, [rel, '--no-hints']);
    await until('watching', () => w.log().includes('watching'));
    const edited = answer(before, 'requirements/functional', '- Guests can book a stay');
    await fs.writeFile(file, edited);
    await until('the edit is seen', () => w.log().includes('edited 1. Requirements'));
    expect(await w.stop()).toBe(0);
    const after = await read(file);
    expect(after.replace(/^timing:\n(?: .*\n)+/m, '')).toBe(edited);
  });

  it("fills in the steps after the one being typed; that step's own block waits for Ctrl-C", async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const w = start(cwd, [rel]);
    await until('watching', () => w.log().includes('watching'));
    const apiBlock = (text: string) => /<!-- sdp:hint api -->[\s\S]*?<!-- \/sdp:hint api /.exec(text)![0];
    await fs.writeFile(file, answer(await read(file), 'requirements/functional', '- Guests can search stays by city'));
    await until('the pagination hint in step 3', async () => apiBlock(await read(file)).includes('lists and feeds need pagination'));
    // Typing in step 3: step 4 gets its hint, step 3's own block (now without the pagination line) is left as it is.
    await fs.writeFile(file, answer(await read(file), 'api/external', '- `GET /stays` {city, cursor, limit} → 200 {stays, next}'));
    await until('the workflow hint in step 4', async () => (await read(file)).includes('no workflow calls `GET /stays` yet'));
    expect(apiBlock(await read(file))).toContain('lists and feeds need pagination');
    expect(await w.stop()).toBe(0);
    expect(apiBlock(await read(file))).not.toContain('lists and feeds need pagination');
  });

  it('does not touch the file for a change of timing alone, then saves it on exit', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const w = start(cwd, [rel]);
    await until('watching', () => w.log().includes('watching'));
    // Out of scope feeds no derived hint: only the timing changes.
    const edited = answer(await read(file), 'requirements/out-of-scope', '- Reviews and messaging');
    await fs.writeFile(file, edited);
    await until('the edit is seen', () => w.log().includes('edited 1. Requirements'));
    const second = edited.replace('- Reviews and messaging', '- Reviews, messaging and pricing');
    await fs.writeFile(file, second);
    await until('the second edit is seen', () => w.log().split('edited 1. Requirements').length > 2);
    expect(await read(file)).toBe(second);
    expect(await w.stop()).toBe(0);
    expect(await read(file)).toMatch(/^timing:\n[\s\S]*requirements: \{ first_edit/m);
  });

  it('refuses a bad --idle with exit 2', async ({ expect }) => {
    const { cwd, rel } = await newSession();
    const r = await sdp(cwd, ['watch', rel, '--idle', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--idle must be minutes/);
  });

  it("a step that runs over its budget: the log says so, and the next step's hints nudge the candidate on", async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    // One minute for step 1, of which 50 s are spent; the last edit 20 s ago (inside --idle).
    const lastEdit = new Date(Date.now() - 20_000).toISOString();
    const source = (await read(file))
      .replace('  requirements: 5\n', '  requirements: 1\n')
      .replace(
        '\n---\n',
        `\ntiming:\n  last_edit: "${lastEdit}"\n  active_seconds: 50\n  steps:\n    requirements: { first_edit: "${lastEdit}", last_edit: "${lastEdit}", active_seconds: 50 }\n---\n`,
      );
    await fs.writeFile(file, source);
    const w = start(cwd, [rel, '--no-render']);
    await until('watch to start', () => w.log().includes('watching'));
    await fs.writeFile(file, answer(await read(file), 'requirements/functional', '- Guests can book a stay'));
    await until('the pacing note in the log', () => w.log().includes('1. Requirements is over its 1-min budget: move on'));
    await until("the nudge in step 2's hints", async () =>
      /<!-- sdp:hint estimation -->[\s\S]*step 1 \(Requirements\) is over its 1-min budget at 1 min: move on to this step[\s\S]*<!-- \/sdp:hint estimation/.test(await read(file)),
    );
    expect(await w.stop()).toBe(0);
  });
});

describe.concurrent('sdp watch --interview', () => {
  it('writes the follow-up once step 5 has an answer, not before, and its answer reaches the report', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const w = start(cwd, [rel, '--interview', '--no-render']);
    await until('watching', () => w.log().includes('watching'));

    // Steps 1-4 answered: no follow-up yet.
    await fs.writeFile(file, answer(await read(file), 'requirements/functional', '- Guests can book a stay'));
    await until('the hint for the requirement', async () => (await read(file)).includes('for "Guests can book a stay"'));
    expect(await read(file)).not.toContain('## Follow-up:');

    // The design is in (step 5 answered): the interviewer follows up at the end of the file.
    const typed = answer(await read(file), 'architecture/choices', '- Choice: Postgres for bookings\n  - Why: row locks');
    await fs.writeFile(file, typed);
    await until('the follow-up', async () => (await read(file)).includes('## Follow-up: '));
    const withFollowUp = await read(file);
    expect(withFollowUp.match(/^## Follow-up: /gm)).toHaveLength(1);
    expect(withFollowUp).toMatch(/\n## Follow-up: .+\n\n<!-- sdp:hint followup\/[a-z-]+ -->\n> \*\*The interviewer follows up\*\*/);
    expect(withFollowUp).toContain('- Choice: Postgres for bookings\n  - Why: row locks');
    expect(w.log()).toMatch(/follow-up from the interviewer, at the end of the file: /);

    // The candidate answers under it; no second follow-up is written.
    await fs.writeFile(file, `${withFollowUp}\nThe guest is refunded in full and the nights go back on sale.\n`);
    await until(
      'the answer settled',
      async () =>
        w
          .log()
          .split('\n')
          .filter((l) => l.includes('edited')).length >= 2 || (await read(file)).includes('refunded in full'),
    );
    expect(await w.stop()).toBe(0);
    const final = await read(file);
    expect(final.match(/^## Follow-up: /gm)).toHaveLength(1);
    expect(final).toContain('The guest is refunded in full and the nights go back on sale.');

    const b = await sdp(cwd, ['build', rel, '--no-render']);
    expect(b.code, b.stderr).toBe(0);
    const report = await read(path.join(cwd, 'reports', path.basename(rel)));
    expect(report).toMatch(/## Follow-ups\n\n.*\n\n### .+\n\nThe guest is refunded in full and the nights go back on sale\./);
    expect(report).toMatch(/^## Follow-up: [a-z-]+\n- Score: <1-5>/m);
  });

  it('--interview-at 0 asks at once, on a fresh session', async ({ expect }) => {
    const { cwd, file, rel } = await newSession();
    const before = await read(file);
    const w = start(cwd, [rel, '--interview-at', '0', '--no-render']);
    await until('watching', () => w.log().includes('watching'));
    await until('the follow-up', async () => (await read(file)).includes('## Follow-up: '));
    expect(await w.stop()).toBe(0);
    const after = await read(file);
    // Outside sdp's own regions (hints, timing, the follow-up) not a byte changed.
    expect(onlyOwnedChanged(before, after)).toBe(true);
    expect(after.trimEnd().endsWith('-->')).toBe(true);
  });
});
