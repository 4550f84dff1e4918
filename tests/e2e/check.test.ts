// `sdp check` as a user runs it: linter-style lines, exit codes, --json, --strict.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { STACK_LINE, cleanTemps, distExists, fixture, makeTemp, sdp } from './support/cli.js';

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterAll(cleanTemps);

async function withSession(text: string, name = 's.md'): Promise<string> {
  const cwd = await makeTemp();
  await fs.mkdir(path.join(cwd, 'sessions'));
  await fs.writeFile(path.join(cwd, 'sessions', name), text);
  return cwd;
}

describe.concurrent('sdp check', () => {
  it('prints findings as file:line:col: severity rule: message. Try: …, scores, and exits 0 on warnings only', async ({ expect }) => {
    const cwd = await withSession(await fixture('airbnb-complete.md'));
    const r = await sdp(cwd, ['check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sessions\/s\.md:\d+:1: warning spof: API Gateway \(gateway\) is a single point of failure.*\. Try: .+\.$/m);
    expect(r.stdout).toMatch(/^Estimates from your figures: reads: 1\.16K\/s average/m);
    expect(r.stdout).toMatch(/^Coverage \d+\/100: 1\. Requirements 100 · /m);
    expect(r.stdout).toMatch(/^0 errors, \d+ warnings\.$/m);
  });

  it('reads an unchanged or edited session from the parse cache with the same findings as without it', async ({ expect }) => {
    const complete = await fixture('airbnb-complete.md');
    const cwd = await withSession(complete);
    const cache = path.join(cwd, 'cache');
    const first = await sdp(cwd, ['check', '--json'], { env: { SDP_CACHE_DIR: cache } });
    expect(await fs.readdir(cache)).toHaveLength(1);
    const again = await sdp(cwd, ['check', '--json'], { env: { SDP_CACHE_DIR: cache } });
    expect(again.stdout).toBe(first.stdout);

    await fs.writeFile(path.join(cwd, 'sessions/s.md'), complete.replace('### Out of scope', '### Out of scope\n\n- Host payouts: handled by finance'));
    const edited = await sdp(cwd, ['check', '--json'], { env: { SDP_CACHE_DIR: cache } });
    const uncached = await sdp(cwd, ['check', '--json'], { env: { SDP_CACHE_DIR: 'off' } });
    expect(edited.stdout).toBe(uncached.stdout);
    expect(edited.stdout).not.toBe(first.stdout);
    expect(await fs.readdir(cache)).toHaveLength(1);
  });

  it('exits 1 on an error, and --strict exits 1 on warnings too', async ({ expect }) => {
    const complete = await fixture('airbnb-complete.md');
    const unused = complete.replace('- `PUT /listings/{id}/calendar` {blockedDates[]} → 204', '- `PUT /listings/{id}/calendar` {blockedDates[]} → 204\n- `DELETE /bookings/{id}` → 204');
    const cwd = await withSession(unused);
    const r = await sdp(cwd, ['check', 'sessions/s.md']);
    expect(r.code).toBe(1);
    const line = unused.split('\n').findIndex((l) => l.includes('DELETE /bookings/{id}')) + 1;
    expect(r.stdout).toContain(`sessions/s.md:${line}:1: error api-unused: DELETE /bookings/{id} is not exercised by any workflow. Try: add a workflow step that calls it, or drop the endpoint.`);
    const clean = await withSession(complete);
    expect((await sdp(clean, ['check', '--strict'])).code).toBe(1);
  });

  it('shows depth as a count on a fresh session, in check and status, without naming the points', async ({ expect }) => {
    const cwd = await makeTemp();
    expect((await sdp(cwd, ['new', 'ticketmaster'])).code).toBe(0);
    const plain = await sdp(cwd, ['check']);
    expect(plain.stdout).toMatch(/^Depth 0 of 7 \(senior\): key points of this question your answer covers \(sdp check --reveal names them\)\.$/m);
    expect(plain.stdout).not.toMatch(/waiting-room|no-double-sell|never sold twice/i);
    expect((await sdp(cwd, ['status'])).stdout).toMatch(/^Coverage 0\/100 · Depth 0 of 7 \(senior\) · /m);
  });

  it('--reveal names every point, missed with why it matters', async ({ expect }) => {
    const cwd = await makeTemp();
    expect((await sdp(cwd, ['new', 'ticketmaster'])).code).toBe(0);
    const reveal = await sdp(cwd, ['check', '--reveal']);
    expect(reveal.stdout).toMatch(/^ {2}missed {3}no-double-sell \(mid\): A seat is never sold twice\n {11}why: /m);
    expect(reveal.stdout).toMatch(/^ {2}missed {3}payment-ordering \(staff, beyond senior\)/m);
  });

  it('counts by the level of sdp new --level, and refuses an unknown level', async ({ expect }) => {
    const staff = await makeTemp();
    expect((await sdp(staff, ['new', 'ticketmaster', '--level', 'staff'])).stdout).toContain('at staff level');
    const [name] = await fs.readdir(path.join(staff, 'sessions'));
    expect(await fs.readFile(path.join(staff, 'sessions', name), 'utf8')).toMatch(/^level: staff$/m);
    expect((await sdp(staff, ['check'])).stdout).toMatch(/^Depth 0 of 8 \(staff\)/m);
    const bad = await sdp(staff, ['new', 'ticketmaster', '--level', 'principal']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--level must be one of mid, senior, staff/);
  });

  it('--json prints the documented schema', async ({ expect }) => {
    const cwd = await withSession(await fixture('airbnb-complete.md'));
    const r = await sdp(cwd, ['check', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['schema', 'file', 'question', 'scores', 'estimate', 'counts', 'findings', 'depth']);
    // Without --reveal the count only: the rubric is no spoiler.
    expect(out.depth).toEqual({ question: 'airbnb', level: 'senior', counted: 7, covered: 7 });
    expect(out).toMatchObject({ schema: 'sdp-check/1', file: 'sessions/s.md', question: 'airbnb', counts: { error: 0 } });
    expect(Object.keys(out.scores.steps)).toEqual(['requirements', 'estimation', 'api', 'workflows', 'architecture', 'optimizations', 'failures']);
    expect(out.findings[0]).toEqual(
      expect.objectContaining({
        rule: 'spof',
        severity: 'warning',
        step: 'optimizations',
        line: expect.any(Number),
        column: 1,
        subject: 'API Gateway',
        message: expect.any(String),
        suggestion: expect.any(String),
      }),
    );
    expect(out.estimate.summary[0]).toMatch(/^reads: /);
  });

  it('a bad session file gets file:line and exit 1, no stack trace', async ({ expect }) => {
    const cwd = await withSession('---\nsdp: 1\nquestion: [x\n---\n');
    const r = await sdp(cwd, ['check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sessions\/s\.md:3:\d+: error yaml-invalid: invalid YAML/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('the report of sdp build carries the same findings and scores', async ({ expect }) => {
    const cwd = await withSession(await fixture('airbnb-complete.md'));
    const check = JSON.parse((await sdp(cwd, ['check', '--json'])).stdout);
    expect((await sdp(cwd, ['build', '--no-render'])).code).toBe(0);
    const report = await fs.readFile(path.join(cwd, 'reports/s.md'), 'utf8');
    expect(report).toContain(`Coverage **${check.scores.overall}/100**`);
    for (const f of check.findings) expect(report).toContain(`- line ${f.line}, ${f.severity} \`${f.rule}\`: ${f.message}`);
  });
});
