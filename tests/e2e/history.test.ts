// The practice loop across attempts, as a user runs it: feedback imports the grader's answer,
// stats and next read the sessions folder and its git history, new carries what is open.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutOwned } from '../../src/core/parse/blocks.js';
import { parseSvgXml } from '../support/xml.js';
import { BIN, FIXTURES, STACK_LINE, cleanTemps, distExists, makeTemp, sdp } from './support/cli.js';

const complete = readFileSync(path.join(FIXTURES, 'airbnb-complete.md'), 'utf8');
const grade = (name: string) => path.join(FIXTURES, 'grades', name);

/** `sdp ...args` with `input` on standard input. */
function sdpWithInput(cwd: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function session(started: string, edit: (s: string) => string = (s) => s): string {
  return edit(complete.replace(/started: "[^"]+"/, `started: "${started}"`));
}
const GATEWAY_HA = (s: string) =>
  s.replace('### Resilience and single points of failure\n', '### Resilience and single points of failure\n\n- API Gateway runs as three instances behind the load balancer, one per zone.\n');

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}
const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(() => {
  if (!distExists()) throw new Error('run `npm run build` first');
});
afterAll(cleanTemps);

describe('sdp feedback', () => {
  it("imports a well-formed answer: the answer beside the report, the grade in the session's frontmatter, nothing else touched", async () => {
    const dir = await makeTemp();
    await fs.mkdir(path.join(dir, 'sessions'));
    const file = path.join(dir, 'sessions/airbnb-1.md');
    await fs.writeFile(file, complete);
    const r = await sdp(dir, ['feedback', 'sessions/airbnb-1.md', grade('well-formed.md')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported the grade for sessions\/airbnb-1\.md: 3\/5 \(lean hire\); steps 1:4 2:2 3:4 4:3 5:3 6:4 7:–/);
    expect(r.stdout).toContain('3 weak spots kept for your next attempt; the answer is in reports/airbnb-1.grade.md');
    const after = await fs.readFile(file, 'utf8');
    expect(withoutOwned(after)).toBe(withoutOwned(complete));
    expect(after).toMatch(/\ngrade:\n {2}imported: "[^"]+"\n {2}overall: 3\n {2}hire: "lean hire"\n/);
    expect(await fs.readFile(path.join(dir, 'reports/airbnb-1.grade.md'), 'utf8')).toBe(readFileSync(grade('well-formed.md'), 'utf8'));

    // Re-importing replaces the grade; it never adds a second one.
    const again = await sdpWithInput(dir, ['feedback', 'sessions/airbnb-1.md', '-'], '## Step 1: Requirements\n- Score: 5\n\n## Overall\n- Score: 4\n- Hire signal: hire\n');
    expect(again.code).toBe(0);
    const twice = await fs.readFile(file, 'utf8');
    expect(twice.match(/^grade:/gm)).toHaveLength(1);
    expect(twice).toContain('  overall: 4\n');
    expect(twice).toContain('  steps: { "requirements": 5 }\n');
    expect(await fs.readFile(path.join(dir, 'reports/airbnb-1.grade.md'), 'utf8')).toMatch(/^## Step 1: Requirements/);
  });

  it('stores what a partly malformed answer gets right and names the rest by line', async () => {
    const dir = await makeTemp();
    await fs.mkdir(path.join(dir, 'sessions'));
    await fs.writeFile(path.join(dir, 'sessions/a.md'), complete);
    const r = await sdpWithInput(dir, ['feedback', 'sessions/a.md', '-'], readFileSync(grade('partly-malformed.md'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('<stdin>:9:1: warning grade-score-invalid: score "great" is not a whole number from 1 to 5 or n/a');
    expect(r.stderr).toContain('<stdin>:22:1: warning grade-covered-invalid: "Covered: maybe" is not yes, partly or no');
    expect(r.stdout).toContain('could not be read (listed above); the rest was imported.');
    expect(await fs.readFile(path.join(dir, 'sessions/a.md'), 'utf8')).toContain('  steps: { "requirements": 4, "api": 3 }\n');
  });

  it('refuses an answer in the wrong shape: what is missing, exit 1, nothing stored', async () => {
    const dir = await makeTemp();
    await fs.mkdir(path.join(dir, 'sessions'));
    await fs.writeFile(path.join(dir, 'sessions/a.md'), complete);
    const r = await sdp(dir, ['feedback', 'sessions/a.md', grade('wrong-shape.md')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wrong-shape\.md:1:1: error grade-unreadable: the answer has none of the sections the grading request asks for/);
    expect(r.stderr).toContain('Nothing was written.');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await fs.readFile(path.join(dir, 'sessions/a.md'), 'utf8')).toBe(complete);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
  });
});

describe.skipIf(!hasGit)('across attempts, in a git repository', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTemp();
    await fs.mkdir(path.join(dir, 'sessions'));
    git(dir, 'init', '-q');
    // Attempt 1: committed, then deleted (only git's history holds it).
    await fs.writeFile(path.join(dir, 'sessions/airbnb-1.md'), session('2026-11-01T10:00:00.000Z'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'attempt 1');
    // Attempt 2 fixes the gateway's single point of failure.
    await fs.writeFile(path.join(dir, 'sessions/airbnb-2.md'), session('2026-11-08T10:00:00.000Z', GATEWAY_HA));
    await fs.rm(path.join(dir, 'sessions/airbnb-1.md'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'attempt 2');
    // Attempt 3, committed twice as it grew: the gateway problem is back.
    await fs.writeFile(
      path.join(dir, 'sessions/airbnb-3.md'),
      session('2026-11-15T10:00:00.000Z', (s) => s.replace(/## 7\.[\s\S]*$/, '')),
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'attempt 3, half');
    await fs.writeFile(path.join(dir, 'sessions/airbnb-3.md'), session('2026-11-15T10:00:00.000Z'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'attempt 3');
  });

  it('stats: one row per attempt (history included, several commits of one file counted once), findings and a chart', async () => {
    const r = await sdp(dir, ['stats', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.git).toBe(true);
    expect(out.attempts.map((a: { file: string; started: string }) => [a.file.replace(/@[0-9a-f]{7}$/, '@commit'), a.started])).toEqual([
      ['sessions/airbnb-1.md@commit', '2026-11-01T10:00:00.000Z'],
      ['sessions/airbnb-2.md', '2026-11-08T10:00:00.000Z'],
      ['sessions/airbnb-3.md', '2026-11-15T10:00:00.000Z'],
    ]);
    const gateway = out.findings.airbnb.find((f: { text: string }) => /API Gateway \(gateway\) is a single point of failure/.test(f.text));
    expect(gateway).toMatchObject({ status: 'affirmed', raised: 2 });
    expect(out.findings.airbnb.some((f: { status: string }) => f.status === 'resolved')).toBe(false);

    const svg = await fs.readFile(path.join(dir, 'reports/stats.svg'), 'utf8');
    parseSvgXml(svg, 'reports/stats.svg');
    expect(svg).toContain('<g class="series" data-question="airbnb">');
    expect(svg).toContain('data-axis="coverage / 100"');
    expect(svg).toContain('data-axis="active minutes"');

    const table = await sdp(dir, ['stats']);
    expect(table.stdout.split('\n')[0]).toMatch(/^date +question +level +time +over budget +coverage +depth +grade$/);
    expect(table.stdout).toMatch(/^2026-11-01 +airbnb +senior +0\/45 min +— +\d+ +\d\/\d +— *$/m);
    expect(table.stdout).toMatch(/again ×2: API Gateway \(gateway\) is a single point of failure/);
  });

  it('next: names the question and step with the reason', async () => {
    const r = await sdp(dir, ['next', '--json']);
    expect(r.code).toBe(0);
    const { next } = JSON.parse(r.stdout);
    const airbnb = next.find((n: { question: string }) => n.question === 'airbnb');
    expect(airbnb.reason).toMatch(/^last tried \d+ days? ago, coverage \d+\/100, depth \d of \d; weakest step \d \(/);
    const plain = await sdp(dir, ['next']);
    expect(plain.stdout).toMatch(/^Next: [a-z-]+(, step \d \([^)]+\))?: .+\.\n {2}sdp new [a-z-]+/);
  });

  it('new: the next attempt at the question carries what the earlier ones left open', async () => {
    const r = await sdp(dir, ['new', 'airbnb']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/findings your 3 earlier attempts left open are in the hints/);
    const file = path.join(dir, r.stdout.match(/Created (\S+)/)![1]);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain('<!-- sdp:hint optimizations/earlier -->');
    expect(text).toContain('> - Last time (raised in 2 attempts), sdp check: API Gateway (gateway) is a single point of failure');
    // The carried block is sdp's: it is not read as an answer.
    const status = await sdp(dir, ['status', path.relative(dir, file)]);
    expect(status.stdout).toMatch(/6\. Optimizations +not answered/);
  });
});
