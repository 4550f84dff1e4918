// The practice modes from a user's seat: start at a step with sample answers, the terminal
// mode fed by a pipe (and cut off mid-way), `sdp status`, `sdp sample`.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkSession } from '../../src/core/check/index.js';
import { parseSession } from '../../src/core/parse/parse.js';
import { loadBank } from '../../src/io/bank.js';
import { BIN, cleanTemps, distExists, makeTemp, sdp, until } from './support/cli.js';

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterAll(cleanTemps);

/** Run `sdp ...args` with `input` piped to stdin. */
function piped(cwd: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Answers for every section of a session started at step 1, in the order practice asks. */
const ANSWERS = [
  ['- Guests can book a stay', '- Guests can search listings by city and dates'],
  ['- 99.9% availability', '- p99 search latency under 300 ms'],
  ['- Reviews and messaging'],
  ['- DAU: 10M', '- searches per user per day: 10', '- peak factor: 3'],
  ['- listing size: 10 KB', '- listings: 10M x 10 KB = 100 GB'],
  ['- 3.5K QPS x 20 KB ≈ 70 MB/s at peak'],
  ['- `GET /listings?city=..&cursor=..` → 200 {listings[], nextCursor}', '- `POST /bookings` {listingId, dates} + Idempotency-Key → 201 {bookingId}'],
  ['- `AvailabilityService.hold(listingId, nights)` → held | conflict'],
  ['Book a stay', '1. Guest -> API Gateway: POST /bookings', '2. API Gateway -> Booking Service: create booking', '3. Booking Service -> Booking DB: insert booking'],
  ['Search', '1. Guest -> API Gateway: GET /listings', '2. API Gateway -> Search Service: query index'],
  [],
  [
    '- Guest [client]: app',
    '- API Gateway [gateway]: routing, 3 instances per AZ',
    '- Booking Service: bookings',
    '- Search Service: search',
    '- Booking DB [database]: Postgres with a synchronous replica',
  ],
  ['- Search Service -> Booking DB: read listings'],
  ['- Bookings: id uuid, listing_id uuid, nights daterange'],
  ['- Choice: Postgres', '  - Why: transactions', '  - Alternatives: DynamoDB', '  - Trade-off: sharding by hand'],
  ['- Choice: CP for Booking DB', '  - Why: no double booking', '  - Alternatives: AP', '  - Trade-off: unavailable in a partition'],
  ['- Choice: shard by listing', '  - Why: one shard per booking', '  - Alternatives: by guest', '  - Trade-off: guest history needs an index'],
  ['- Choice: cache search results', '  - Why: p99 latency', '  - Alternatives: none', '  - Trade-off: staleness'],
  ['- Choice: replica and failover', '  - Why: availability', '  - Alternatives: backups only', '  - Trade-off: cost'],
  ['- Choice: optimistic UI', '  - Why: feedback', '  - Alternatives: spinner', '  - Trade-off: rollback on conflict'],
  // After step 6 the interviewer's follow-up.
  ['The hold moves to a pending state and a sweeper releases it; the guest is refunded through the provider.'],
  ['- Double booking: row locks, 409 for the loser'],
  ['- Memory leak: alerts, restart', '- Deadlock: lock order'],
  ['- Node down: failover', '- DDoS: WAF'],
];
/** The session files in `<cwd>/sessions` (not sdp's own `.sdp-backup/`). */
const sessionNames = async (cwd: string) => (await fs.readdir(path.join(cwd, 'sessions'))).filter((n) => n.endsWith('.md'));
const script = (answers: string[][]) => answers.map((a) => [...a, '.'].join('\n')).join('\n') + '\n';

describe.concurrent('sdp new --start-step', () => {
  it('pre-fills steps 1-3 of every preset with check-clean sample answers, and the report says so', async ({ expect }) => {
    const cwd = await makeTemp();
    const bank = await loadBank(cwd);
    for (const q of bank) {
      const r = await sdp(cwd, ['new', q.id, '--start-step', '4', '--dir', `s/${q.id}`]);
      expect(r.code, `${q.id}: ${r.stderr}`).toBe(0);
      const [name] = await fs.readdir(path.join(cwd, 's', q.id));
      const text = await fs.readFile(path.join(cwd, 's', q.id, name), 'utf8');
      const session = parseSession(text);
      expect(session.frontmatter.samples, q.id).toEqual(['requirements', 'estimation', 'api']);
      for (const id of ['requirements', 'estimation', 'api']) {
        const step = session.steps.find((s) => s.id === id)!;
        expect(
          step.sections.filter((s) => s.known).every((s) => s.answer !== ''),
          `${q.id} ${id} filled`,
        ).toBe(true);
      }
      expect(
        session.steps.find((s) => s.id === 'workflows')!.sections.every((s) => s.answer === ''),
        `${q.id} step 4 empty`,
      ).toBe(true);
      // The sample itself, all six steps, has no error anywhere.
      const sample = parseSession(await fs.readFile(path.join(BIN, '../../templates/samples', `${q.id}.md`), 'utf8'));
      expect(
        checkSession({ ...sample, frontmatter: { ...sample.frontmatter, samples: [] } }).findings.filter((f) => f.severity === 'error'),
        q.id,
      ).toEqual([]);
    }
    const r = await sdp(cwd, ['build', '--no-render', `s/airbnb/${(await fs.readdir(path.join(cwd, 's/airbnb')))[0]}`]);
    expect(r.code).toBe(0);
    const report = await fs.readFile(path.join(cwd, 'reports', (await fs.readdir(path.join(cwd, 'reports')))[0]), 'utf8');
    expect(report).toMatch(/\| 1\. Requirements \| 5 min \| — \(sample\) \| sample answer \| — \|/);
    expect(report).toContain("Steps 1, 2, 3 were pre-filled from sdp's sample answers, not written by the candidate: do not grade them");
    // One `sdp new` per preset: the budget grows with the bank (29 presets took 112 s on a loaded machine).
  }, 300_000);

  it('refuses a step outside 1-7', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnb', '--start-step', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--start-step must be a step number from 1 to 7/);
  });
});

describe.concurrent('sdp sample', () => {
  it("prints one step of a preset's sample answers", async ({ expect }) => {
    const r = await sdp(await makeTemp(), ['sample', 'airbnb', '--step', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Sample answers: Design Airbnb\n\n## 3\. API design\n\n### External\n\n- `GET \/listings/);
    expect(r.stdout).not.toContain('## 1. Requirements');
  });
});

describe.concurrent('sdp practice', () => {
  // This test and the next build reports whose pictures the browser draws (ELK lays out the
  // architecture): more than the default 30 s on a loaded machine.
  it('answers every section from a pipe, and the report equals one built from the same answers written in a file', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await piped(cwd, ['practice', 'airbnb'], script(ANSWERS));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote reports\/airbnb-\d{8}-\d{6}\.md( with .*)?$/m);
    // The question itself, not only its title, before the first step (issue 11 #10).
    const firstStep = r.stdout.indexOf('== 1. Requirements');
    for (const part of ['**Users.** Guests searching', '**In scope.**', '**Scale.** 10 million listings']) {
      expect(r.stdout.indexOf(part)).toBeGreaterThan(0);
      expect(r.stdout.indexOf(part)).toBeLessThan(firstStep);
    }
    const [name] = await sessionNames(cwd);
    const text = await fs.readFile(path.join(cwd, 'sessions', name), 'utf8');
    for (const a of ANSWERS.flat()) expect(text).toContain(a.replace(/^(Book a stay|Search)$/, '### Workflow: $1'));
    // The same answers typed into a copy of the file by hand, timing block removed: same steps in the report.
    const byHand = text.replace(/^timing:\n(?: .*\n)+/m, '');
    await fs.mkdir(path.join(cwd, 'hand'));
    await fs.writeFile(path.join(cwd, 'hand', name), byHand);
    expect((await sdp(cwd, ['build', `hand/${name}`, '--out', 'hand-reports'])).code).toBe(0);
    const steps = (report: string) => report.slice(report.indexOf('## 1. Requirements'), report.indexOf('## Grading request'));
    const a = await fs.readFile(path.join(cwd, 'reports', name), 'utf8');
    const b = await fs.readFile(path.join(cwd, 'hand-reports', name), 'utf8');
    expect(steps(a)).toBe(steps(b));
    expect(steps(a)).not.toContain('_Not answered._');
    // The follow-up came after step 6, once, and its answer reached the report and the grading request.
    expect(r.stdout.indexOf('== The interviewer follows up ==')).toBeGreaterThan(r.stdout.indexOf('== 6. Optimizations'));
    expect(r.stdout.indexOf('== The interviewer follows up ==')).toBeLessThan(r.stdout.indexOf('== 7. Edge cases'));
    expect(text.match(/^## Follow-up: /gm)).toHaveLength(1);
    expect(a).toMatch(/## Follow-ups\n\n.*\n\n### .+\n\nThe hold moves to a pending state/);
    expect(a).toMatch(/^## Follow-up: [a-z-]+\n- Score: <1-5>/m);
  }, 60_000);

  it('cut off after step 3 (killed), resumes at the first unanswered section with nothing lost', async ({ expect }) => {
    const cwd = await makeTemp();
    const child = spawn(process.execPath, [BIN, 'practice', 'airbnb'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stdin.write(script(ANSWERS.slice(0, 8)));
    await until('the step 3 answers on disk', async () => {
      const names = await sessionNames(cwd).catch(() => []);
      return names.length === 1 && (await fs.readFile(path.join(cwd, 'sessions', names[0]), 'utf8')).includes('AvailabilityService.hold');
    });
    await until('practice to ask for step 4', () => out.includes('== 4. Workflows'));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const [name] = await sessionNames(cwd);

    const status = JSON.parse((await sdp(cwd, ['status', '--json'])).stdout);
    expect(status.next).toMatchObject({ step: 'workflows', section: 'workflow' });
    expect(status.steps.map((s: { status: string }) => s.status)).toEqual(['answered', 'answered', 'answered', 'not answered', 'not answered', 'not answered', 'not answered']);

    const r = await piped(cwd, ['practice', `sessions/${name}`], script(ANSWERS.slice(8)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('== 1. Requirements');
    expect(r.stdout).toMatch(/^== 4\. Workflows/m);
    const text = await fs.readFile(path.join(cwd, 'sessions', name), 'utf8');
    for (const a of ANSWERS.flat()) expect(text).toContain(a.replace(/^(Book a stay|Search)$/, '### Workflow: $1'));
  }, 60_000);
});

describe.concurrent('sdp status', () => {
  it('shows an empty, a partial and a complete session, with what to do next', async ({ expect }) => {
    const cwd = await makeTemp();
    await sdp(cwd, ['new', 'airbnb']);
    const empty = await sdp(cwd, ['status']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^ {2}1\. Requirements +not answered +— of 5 min$/m);
    expect(empty.stdout).toMatch(/^Next: write Functional in step 1 \(Requirements\)$/m);

    await piped(cwd, ['practice', `sessions/${(await sessionNames(cwd))[0]}`], script(ANSWERS.slice(0, 2)));
    const partial = JSON.parse((await sdp(cwd, ['status', '--json'])).stdout);
    expect(partial).toMatchObject({ schema: 'sdp-status/1', question: 'airbnb', next: { step: 'requirements', section: 'out-of-scope' } });
    expect(partial.steps[0]).toMatchObject({ id: 'requirements', status: 'partly answered', budgetMinutes: 5 });
    expect(partial.steps[0].activeSeconds).toEqual(expect.any(Number));

    const complete = await sdp(cwd, ['status', path.join(BIN, '../../tests/fixtures/airbnb-complete.md')]);
    expect(complete.stdout).toMatch(/^Next: every section has an answer: run `sdp check`, then `sdp build`$/m);
    expect(complete.stdout).not.toMatch(/not answered/);
  });
});
