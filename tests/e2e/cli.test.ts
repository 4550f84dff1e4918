// End-to-end: the built binary (bin/sdp.js -> dist/cli.js) run as a child process in
// throw-away folders, exactly as a user runs it. Every assertion is something a user
// would notice: the exit code, what is printed, and which files exist afterwards.
// `npm test` builds first; run `npm run build` before `npx vitest run tests/e2e`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { STACK_LINE, cleanTemps, distExists, entriesUnder, filesUnder, fixture, makeTemp, sdp, stampOf, type RunResult } from './support/cli.js';

const STEP_HEADINGS = ['## 1. Requirements', '## 2. Estimation', '## 3. API design', '## 4. Workflows', '## 5. Architecture', '## 6. Optimizations', '## 7. Edge cases and failures'];
const SESSION_NAME = /^sessions\/airbnb-(\d{8}-\d{6})\.md$/;

beforeAll(() => {
  if (!distExists()) throw new Error('dist/cli.js is missing: run `npm run build` first (`npm test` does it for you)');
});
afterAll(cleanTemps);

/** Human-readable context for a failed expectation on a run. */
function show(r: RunResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** `budget:` minutes from a session's frontmatter. */
function budgetOf(session: string): Record<string, number> {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(session)?.[1] ?? '';
  const block = /^budget:\n((?:[ \t]+\S.*\n?)*)/m.exec(fm)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^[ \t]+([\w-]+):[ \t]*(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** The complete fixture, made to belong to a session created by `sdp new` (its `started`). */
async function filledFrom(newSession: string): Promise<string> {
  const started = /^started: .*$/m.exec(newSession)?.[0];
  if (!started) throw new Error('new session has no started: line');
  return (await fixture('airbnb-complete.md')).replace(/^started: .*$/m, started);
}

/** The report's per-step part: from step 1 up to the diagrams. */
function stepsPart(report: string): string {
  const from = report.indexOf('## 1. Requirements');
  const to = report.indexOf('## Architecture diagram');
  return report.slice(from, to);
}

// ---------------------------------------------------------------- 1. list

describe.concurrent('sdp list', () => {
  it('prints at least 20 presets, one per line, including airbnb and facebook-newsfeed', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['list']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout).toMatch(/^airbnb\s+Design Airbnb/m);
    expect(r.stdout).toMatch(/^facebook-newsfeed\s+\S/m);
    expect(await entriesUnder(cwd), 'list writes nothing').toEqual([]);
  });

  it('--json prints a JSON array of {id, title, aliases} with the same ids as the text list', async ({ expect }) => {
    const cwd = await makeTemp();
    const [json, text] = await Promise.all([sdp(cwd, ['list', '--json']), sdp(cwd, ['list'])]);
    expect(json.code, show(json)).toBe(0);
    const list = JSON.parse(json.stdout) as unknown;
    expect(Array.isArray(list)).toBe(true);
    const items = list as Record<string, unknown>[];
    expect(items.length).toBeGreaterThanOrEqual(20);
    for (const q of items) {
      expect(Object.keys(q).sort()).toEqual(['aliases', 'id', 'title']);
      expect(q.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(typeof q.title).toBe('string');
      expect((q.title as string).length).toBeGreaterThan(0);
      expect(Array.isArray(q.aliases)).toBe(true);
      for (const a of q.aliases as unknown[]) expect(typeof a).toBe('string');
    }
    const ids = items.map((q) => q.id as string);
    expect(ids).toContain('airbnb');
    expect(ids).toContain('facebook-newsfeed');
    expect(new Set(ids).size).toBe(ids.length);
    const textIds = text.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    expect(textIds).toEqual(ids);
  });
});

// ---------------------------------------------------------------- 2. new

describe.concurrent('sdp new', () => {
  it('creates exactly one sessions/airbnb-YYYYMMDD-HHMMSS.md (UTC now) and prints its path', async ({ expect }) => {
    const cwd = await makeTemp();
    const before = Date.now();
    const r = await sdp(cwd, ['new', 'airbnb']);
    const after = Date.now();
    expect(r.code, show(r)).toBe(0);
    const files = await filesUnder(cwd);
    expect(files).toHaveLength(1);
    const m = SESSION_NAME.exec(files[0]);
    expect(m, files[0]).not.toBeNull();
    expect(r.stdout).toContain(`Created ${files[0]}`);
    const stamps = new Set<string>();
    for (let t = before - 1000; t <= after + 1000; t += 500) stamps.add(stampOf(new Date(t)));
    expect([...stamps]).toContain(m![1]);

    const text = await fs.readFile(path.join(cwd, files[0]), 'utf8');
    expect(text.startsWith('---\nsdp: 1\nquestion: airbnb\n')).toBe(true);
    for (const h of STEP_HEADINGS) expect(text).toContain(`\n${h}\n`);
    expect(sum(budgetOf(text)), 'default budget').toBe(45);
  });

  it('run twice never overwrites: the second session gets another name and the first is unchanged', async ({ expect }) => {
    const cwd = await makeTemp();
    const first = await sdp(cwd, ['new', 'airbnb']);
    expect(first.code, show(first)).toBe(0);
    const [firstFile] = await filesUnder(cwd);
    const firstText = await fs.readFile(path.join(cwd, firstFile), 'utf8');

    const second = await sdp(cwd, ['new', 'airbnb']);
    expect(second.code, show(second)).toBe(0);
    const files = await filesUnder(cwd);
    expect(files).toHaveLength(2);
    const secondFile = files.find((f) => f !== firstFile)!;
    expect(second.stdout).toContain(`Created ${secondFile}`);
    expect(secondFile).toMatch(/^sessions\/airbnb-\d{8}-\d{6}(-\d+)?\.md$/);
    if (path.basename(secondFile).startsWith(path.basename(firstFile, '.md'))) {
      expect(secondFile).toBe(firstFile.replace(/\.md$/, '-2.md'));
    }
    expect(await fs.readFile(path.join(cwd, firstFile), 'utf8')).toBe(firstText);
  });

  it('in the same second as an existing session it picks a new name (-2) and leaves the existing file alone', async ({ expect }) => {
    // Force the collision: occupy every name the next few seconds could produce.
    const cwd = await makeTemp();
    await fs.mkdir(path.join(cwd, 'sessions'));
    const now = Date.now();
    const taken = new Map<string, string>();
    for (let s = -2; s <= 15; s++) {
      const name = `sessions/airbnb-${stampOf(new Date(now + s * 1000))}.md`;
      taken.set(name, `my own notes for ${name}, do not touch\n`);
    }
    await Promise.all([...taken].map(([name, text]) => fs.writeFile(path.join(cwd, name), text)));

    const r = await sdp(cwd, ['new', 'airbnb']);
    expect(r.code, show(r)).toBe(0);
    const created = (await filesUnder(cwd)).filter((f) => !taken.has(f));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^sessions\/airbnb-\d{8}-\d{6}-2\.md$/);
    expect(taken.has(created[0].replace(/-2\.md$/, '.md'))).toBe(true);
    expect(r.stdout).toContain(`Created ${created[0]}`);
    for (const [name, text] of taken) expect(await fs.readFile(path.join(cwd, name), 'utf8'), name).toBe(text);
  });

  it('six runs at the same moment make six distinct sessions, none lost', async ({ expect }) => {
    const cwd = await makeTemp();
    const runs = await Promise.all(Array.from({ length: 6 }, () => sdp(cwd, ['new', 'airbnb'])));
    for (const r of runs) expect(r.code, show(r)).toBe(0);
    const printed = runs.map((r) => /^Created (\S+)$/m.exec(r.stdout)?.[1]);
    expect(new Set(printed).size).toBe(6);
    const files = await filesUnder(cwd);
    expect(files).toHaveLength(6);
    expect([...printed].sort()).toEqual(files);
    for (const f of files) expect(await fs.readFile(path.join(cwd, f), 'utf8')).toMatch(/^---\nsdp: 1\nquestion: airbnb\n/);
  });

  it('takes a close match (airbnbb) and says which question it took', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnbb']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toMatch(/airbnbb/);
    expect(r.stderr).toMatch(/\bairbnb\b.*Design Airbnb|Design Airbnb.*\bairbnb\b/);
    const files = await filesUnder(cwd);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(SESSION_NAME);
    expect(r.stdout).toContain(`Created ${files[0]}`);
  });

  it('refuses an unknown question with exit 2, a pointer to `sdp list` or a suggestion, and no file', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'nonsense-question']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/did you mean|sdp list/i);
    expect(r.stderr).toContain('nonsense-question');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual([]);
  });

  it('with no question and no terminal: exit 2, the preset list on stderr, no file', async ({ expect }) => {
    const cwd = await makeTemp();
    const [r, json] = await Promise.all([sdp(cwd, ['new']), sdp(cwd, ['list', '--json'])]);
    expect(r.code, show(r)).toBe(2);
    const ids = (JSON.parse(json.stdout) as { id: string }[]).map((q) => q.id);
    for (const id of ids) expect(r.stderr).toContain(`[${id}]`);
    expect(r.stderr).toMatch(/sdp new <id>|sdp new airbnb/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual([]);
  });
});

// ---------------------------------------------------------------- 4. hostile names

describe.concurrent('sdp new with hostile question names', () => {
  it('refuses path-like, control-character and oversized names with exit 2 and creates nothing anywhere', async ({ expect }) => {
    // cwd is three levels below a folder we own, so `../..` lands somewhere we can inspect.
    const base = await makeTemp();
    const cwd = path.join(base, 'home', 'user', 'work');
    await fs.mkdir(cwd, { recursive: true });
    const passwd = await fs.readFile('/etc/passwd', 'utf8').catch(() => undefined);
    const names = [
      '../../x',
      '/etc/passwd',
      'a'.repeat(300),
      'é'.repeat(150), // 300 bytes, 150 characters
      'airbnb/../../x',
      '..\\..\\x',
      'airbnb\n../x',
      `${base}/x`,
    ];
    const runs = await Promise.all(
      names.flatMap((name) => [sdp(cwd, ['new', name]).then((r) => ({ name, dir: false, r })), sdp(cwd, ['new', name, '--dir', 'out']).then((r) => ({ name, dir: true, r }))]),
    );
    for (const { name, dir, r } of runs) {
      const label = `${JSON.stringify(name.slice(0, 40))}${dir ? ' --dir out' : ''}`;
      expect(r.code, `${label}\n${show(r)}`).toBe(2);
      expect(r.stdout, label).not.toMatch(/Created/);
      expect(r.stderr, label).toMatch(/^sdp: /);
      expect(r.stderr, label).not.toMatch(STACK_LINE);
      expect(r.stderr, label).not.toMatch(/unexpected error/);
    }
    // Nothing new in the working folder, its parents up to our temp root, or the root itself.
    expect(await entriesUnder(base)).toEqual(['home/', 'home/user/', 'home/user/work/']);
    for (const p of ['../../x', '../x', 'x']) await expect(fs.access(path.resolve(cwd, p))).rejects.toThrow();
    if (passwd !== undefined) expect(await fs.readFile('/etc/passwd', 'utf8')).toBe(passwd);
  });

  it('--dir puts the session inside the named folder and nowhere else', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnb', '--dir', 'my/practice']);
    expect(r.code, show(r)).toBe(0);
    const files = await filesUnder(cwd);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^my\/practice\/airbnb-\d{8}-\d{6}\.md$/);
    expect(r.stdout).toContain(`Created ${files[0]}`);
    expect(await entriesUnder(cwd)).toEqual(['my/', 'my/practice/', files[0]]);
  });
});

// ---------------------------------------------------------------- 5. budget

describe.concurrent('sdp new --budget', () => {
  it('--budget 60 splits exactly 60 minutes over the seven steps', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnb', '--budget', '60']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/60 min over 7 steps/);
    const [file] = await filesUnder(cwd);
    const budget = budgetOf(await fs.readFile(path.join(cwd, file), 'utf8'));
    expect(Object.keys(budget)).toEqual(['requirements', 'estimation', 'api', 'workflows', 'architecture', 'optimizations', 'failures']);
    for (const m of Object.values(budget)) expect(m).toBeGreaterThan(0);
    expect(sum(budget)).toBe(60);
  });

  it.for(['abc', '0', '6.5', '601'])('--budget %s: exit 2, says what --budget takes, no file', async (value, { expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnb', '--budget', value]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain('--budget');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual([]);
  });
});

// ---------------------------------------------------------------- 6. new -> answer -> build

describe.concurrent('sdp build on a complete session', () => {
  it('builds the newest session into reports/<stem>.md with every step, the diagrams, the time and the grading request; twice gives the same bytes', async ({ expect }) => {
    const cwd = await makeTemp();
    // An older session that `sdp build` must not pick.
    const older = await sdp(cwd, ['new', 'facebook-newsfeed']);
    expect(older.code, show(older)).toBe(0);
    const [olderFile] = await filesUnder(cwd);
    const hourAgo = new Date(Date.now() - 3600_000);
    await fs.utimes(path.join(cwd, olderFile), hourAgo, hourAgo);

    const created = await sdp(cwd, ['new', 'airbnb']);
    expect(created.code, show(created)).toBe(0);
    const file = (await filesUnder(cwd)).find((f) => f !== olderFile)!;
    expect(file).toMatch(SESSION_NAME);
    const session = await filledFrom(await fs.readFile(path.join(cwd, file), 'utf8'));
    await fs.writeFile(path.join(cwd, file), session);

    const stem = path.basename(file, '.md');
    const reportPath = `reports/${stem}.md`;
    const r1 = await sdp(cwd, ['build', '--no-render']);
    expect(r1.code, show(r1)).toBe(0);
    expect(r1.stdout).toContain(`Wrote ${reportPath}`);
    expect(r1.stderr, 'the complete fixture has nothing to warn about').toBe('');
    expect(await filesUnder(path.join(cwd, 'reports')), 'one report (no pictures with --no-render), no temp files, none for the older session').toEqual([`${stem}.md`]);

    const report = await fs.readFile(path.join(cwd, reportPath), 'utf8');
    expect(report).toMatch(/^# Report: Design Airbnb\n/);
    expect(report).toContain(`Session \`${file}\``);
    let at = -1;
    for (const h of STEP_HEADINGS) {
      const i = report.indexOf(`\n${h}\n`);
      expect(i, h).toBeGreaterThan(at);
      at = i;
    }
    expect(report).toMatch(/^```mermaid\nflowchart TB\n/m);
    expect(report.match(/^```mermaid\nsequenceDiagram\n/gm)?.length ?? 0).toBeGreaterThanOrEqual(1);
    expect(report).toMatch(/^## Time\n/m);
    const startedIso = /^started: "(.*)"$/m.exec(session)![1];
    expect(report).toContain(`| Started | ${startedIso.slice(0, 16).replace('T', ' ')} UTC |`);
    expect(report).toContain('| Budget | 45 min |');
    for (const h of STEP_HEADINGS) expect(report).toMatch(new RegExp(`^\\| ${h.slice(3).replace(/\./g, '\\.')} \\| \\d+ min \\| .* \\| answered \\| \\d+ \\|$`, 'm'));
    expect(report).toMatch(/^## Grading request\n/m);
    expect(stepsPart(report)).not.toMatch(/not answered/i);
    expect(report).toContain('- Guests can search listings by location, dates and number of guests.');
    expect(report).toContain('- Deployment failure: canary 5% with automatic rollback on error rate.');
    expect(report).not.toMatch(/sdp:hint|sdp:question/);

    const r2 = await sdp(cwd, ['build', '--no-render']);
    expect(r2.code, show(r2)).toBe(0);
    expect(r2.stdout).toBe(r1.stdout);
    expect(await fs.readFile(path.join(cwd, reportPath), 'utf8')).toBe(report);
    expect(await fs.readFile(path.join(cwd, file), 'utf8'), 'build never edits the session').toBe(session);
    expect(await filesUnder(path.join(cwd, 'reports'))).toEqual([`${stem}.md`]);
  });

  it('a CRLF + BOM copy of the complete session builds to the same step content as the LF one', async ({ expect }) => {
    const cwd = await makeTemp();
    const lf = await fixture('airbnb-complete.md');
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, 'sessions/lf.md'), lf);
    await fs.writeFile(path.join(cwd, 'sessions/crlf.md'), `\uFEFF${lf.replace(/\n/g, '\r\n')}`);
    // Same last-edit time, so the Time section can be compared too.
    const when = new Date('2026-11-20T09:52:00.000Z');
    await Promise.all(['lf', 'crlf'].map((n) => fs.utimes(path.join(cwd, `sessions/${n}.md`), when, when)));

    const [a, b] = await Promise.all([sdp(cwd, ['build', '--no-render', 'sessions/lf.md']), sdp(cwd, ['build', '--no-render', 'sessions/crlf.md'])]);
    expect(a.code, show(a)).toBe(0);
    expect(b.code, show(b)).toBe(0);
    expect(b.stderr).toBe(a.stderr);
    const [ra, rb] = await Promise.all(['lf', 'crlf'].map((n) => fs.readFile(path.join(cwd, `reports/${n}.md`), 'utf8')));
    expect(rb).not.toContain('\r');
    expect(rb).not.toContain('\uFEFF');
    expect(stepsPart(rb)).toBe(stepsPart(ra));
    expect(stepsPart(ra)).toContain('## 7. Edge cases and failures');
    const withoutPath = (r: string) => r.replace(/^Session `[^`]*`/m, 'Session `…`').replace(/\]\((?:lf|crlf)\//g, '](…/');
    expect(withoutPath(rb)).toBe(withoutPath(ra));
  });

  it('a workflow line that does not parse is a warning with file:line, and the build still succeeds', async ({ expect }) => {
    const cwd = await makeTemp();
    const good = await fixture('airbnb-complete.md');
    const badLine = '- -> Booking Service: create';
    const source = good.replace('- Guest -> API Gateway: GET /listings\n', `- Guest -> API Gateway: GET /listings\n${badLine}\n`);
    expect(source).not.toBe(good);
    const line = source.split('\n').indexOf(badLine) + 1;
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, 'sessions/airbnb-draft.md'), source);

    const r = await sdp(cwd, ['build', '--no-render']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Wrote reports/airbnb-draft.md');
    const warning = r.stderr.split('\n').find((l) => l.startsWith(`sessions/airbnb-draft.md:${line}:`));
    expect(warning, `a warning at line ${line}\n${show(r)}`).toBeDefined();
    expect(warning).toMatch(/warning/);
    expect(warning).toContain('Try: ComponentA -> ComponentB: action');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const report = await fs.readFile(path.join(cwd, 'reports/airbnb-draft.md'), 'utf8');
    expect(report.match(/^```mermaid\nsequenceDiagram\n/gm)).toHaveLength(5);
    expect(report).toContain(`line ${line}:`);
  });
});

// ---------------------------------------------------------------- 7. bad session files

interface BadCase {
  name: string;
  /** The session file's bytes. `{dir}` is replaced by the absolute working folder. */
  source: string;
  line: number;
  message: RegExp;
}

const PWN_BODY = 'require("fs").writeFileSync("PWNED","x")\nrequire("fs").writeFileSync("{dir}/PWNED-ABS","x")\n({title: "pwned"})\n';

function aliasBomb(): string {
  const lines = ['---', 'sdp: 1', 'question: airbnb', `a0: &a0 [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n---\n\n# Design Airbnb\n`;
}

function hugeFrontmatter(): string {
  const lines = ['---', 'sdp: 1', 'question: airbnb'];
  let size = 0;
  for (let i = 0; size < 200 * 1024; i++) {
    const l = `key${i}: "${'x'.repeat(90)}"`;
    lines.push(l);
    size += l.length + 1;
  }
  return `${lines.join('\n')}\n---\n\n# Design Airbnb\n`;
}

const BAD: BadCase[] = [
  { name: 'invalid-yaml', source: '---\nsdp: 1\nquestion: airbnb\ntitle: Design: Airbnb\nstarted: "2026-11-20T09:00:00Z"\n---\n\n# Design Airbnb\n', line: 4, message: /invalid YAML/i },
  { name: 'no-frontmatter', source: '# Design Airbnb\n\n## 1. Requirements\n\n- Guests book stays\n', line: 1, message: /frontmatter/i },
  { name: 'unclosed-frontmatter', source: '---\nsdp: 1\nquestion: airbnb\n\n# Design Airbnb\n', line: 1, message: /not closed|frontmatter/i },
  { name: 'unknown-version', source: '---\nquestion: airbnb\nsdp: 99\ntitle: "Design Airbnb"\n---\n\n# Design Airbnb\n', line: 3, message: /version/i },
  { name: 'empty', source: '', line: 1, message: /empty/i },
  { name: 'blank', source: '\uFEFF\n  \n\t\n', line: 1, message: /empty/i },
  { name: 'js-frontmatter', source: `---js\n${PWN_BODY}---\n\n# Design Airbnb\n`, line: 1, message: /not allowed|YAML only/i },
  { name: 'javascript-frontmatter', source: `---javascript\n${PWN_BODY}---\n\n# Design Airbnb\n`, line: 1, message: /not allowed|YAML only/i },
  { name: 'spaced-js-frontmatter', source: `--- JS\n${PWN_BODY}---\n\n# Design Airbnb\n`, line: 1, message: /not allowed|YAML only/i },
  { name: 'alias-bomb', source: aliasBomb(), line: 1, message: /alias/i },
  { name: 'huge-frontmatter', source: hugeFrontmatter(), line: 1, message: /larger than|KiB/i },
];

describe.concurrent('sdp build refuses a bad session file', () => {
  it.for(BAD)('$name: exit 1, file:$line: with a hint, no stack trace, no report written or changed', async (c, { expect }) => {
    const cwd = await makeTemp();
    const file = `sessions/${c.name}.md`;
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, file), c.source.replaceAll('{dir}', cwd));

    // First with no report yet: none may appear.
    const r = await sdp(cwd, ['build', '--no-render', file], { timeoutMs: 10_000 });
    expect(r.code, show(r)).toBe(1);
    expect(r.ms, 'fails fast').toBeLessThan(5_000);
    const first = r.stderr.split('\n')[0];
    expect(first, show(r)).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${c.line}:\\d+: error `));
    expect(first).toMatch(c.message);
    expect(r.stderr).toContain('Try:');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.stdout).not.toMatch(/Wrote/);
    expect(await entriesUnder(cwd), 'no report, no PWNED, nothing else').toEqual(['sessions/', file]);

    // Then over an existing report (the default newest-session path): it stays as it was.
    await fs.mkdir(path.join(cwd, 'reports'));
    const report = path.join(cwd, `reports/${c.name}.md`);
    await fs.writeFile(report, 'the previous report\n');
    const old = new Date('2026-01-01T00:00:00Z');
    await fs.utimes(report, old, old);
    const again = await sdp(cwd, ['build', '--no-render'], { timeoutMs: 10_000 });
    expect(again.code, show(again)).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${c.line}:`, 'm'));
    expect(await fs.readFile(report, 'utf8')).toBe('the previous report\n');
    expect((await fs.stat(report)).mtime.getTime()).toBe(old.getTime());
    expect(await entriesUnder(cwd)).toEqual(['reports/', `reports/${c.name}.md`, 'sessions/', file]);
  });

  // yaml notices an unclosed `[` on the next key's line; the user needs the line that opened it.
  it('invalid YAML `title: [unclosed` on line 4 is reported at line 4', async ({ expect }) => {
    const cwd = await makeTemp();
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, 'sessions/s.md'), '---\nsdp: 1\nquestion: airbnb\ntitle: [unclosed\nstarted: "2026-11-20T09:00:00Z"\n---\n\n# Design Airbnb\n');
    const r = await sdp(cwd, ['build', '--no-render', 'sessions/s.md']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('Try:');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual(['sessions/', 'sessions/s.md']);
    expect(r.stderr, show(r)).toMatch(/^sessions\/s\.md:4:\d+: error /);
  });

  it('invalid YAML `title: [unclosed` still fails cleanly (exit 1, positioned, no report)', async ({ expect }) => {
    const cwd = await makeTemp();
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, 'sessions/s.md'), '---\nsdp: 1\nquestion: airbnb\ntitle: [unclosed\nstarted: "2026-11-20T09:00:00Z"\n---\n\n# Design Airbnb\n');
    const r = await sdp(cwd, ['build', '--no-render', 'sessions/s.md']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/^sessions\/s\.md:\d+:\d+: error yaml-invalid: invalid YAML/);
    expect(r.stderr).toContain('Try:');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual(['sessions/', 'sessions/s.md']);
  });
});

// ---------------------------------------------------------------- 8. build usage errors

describe.concurrent('sdp build usage errors', () => {
  it('sdp build missing.md: exit 2, names the file, nothing written', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['build', '--no-render', 'missing.md']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/missing\.md.*no such file/);
    expect(r.stderr).toContain('Try:');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual([]);
  });

  it('sdp build with no sessions (no folder, or an empty one): exit 2, says to run sdp new', async ({ expect }) => {
    const none = await makeTemp();
    const empty = await makeTemp();
    await fs.mkdir(path.join(empty, 'sessions'));
    const [a, b] = await Promise.all([sdp(none, ['build', '--no-render']), sdp(empty, ['build', '--no-render'])]);
    for (const r of [a, b]) {
      expect(r.code, show(r)).toBe(2);
      expect(r.stderr).toMatch(/no session/i);
      expect(r.stderr).toContain('sdp new');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(await entriesUnder(none)).toEqual([]);
    expect(await entriesUnder(empty)).toEqual(['sessions/']);
  });
});

// ---------------------------------------------------------------- 9. commands and help

describe.concurrent('commands and help', () => {
  it('an unknown command exits 2 and points at --help', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['frobnicate']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toContain('frobnicate');
    expect(r.stderr).toContain('--help');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await entriesUnder(cwd)).toEqual([]);
  });

  it('--help exits 0 and lists list, new and build', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['--help']);
    expect(r.code, show(r)).toBe(0);
    for (const cmd of ['list', 'new', 'build']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    expect(await entriesUnder(cwd)).toEqual([]);
  });
});

// ---------------------------------------------------------------- folder names

describe.concurrent('folder options', () => {
  // cac turns an all-digit option value into a number; folder names must stay text.
  it('sdp new airbnb --dir 2024 creates the session in the folder 2024/', async ({ expect }) => {
    const cwd = await makeTemp();
    const r = await sdp(cwd, ['new', 'airbnb', '--dir', '2024']);
    expect(r.code, show(r)).toBe(0);
    expect(await filesUnder(cwd)).toEqual([expect.stringMatching(/^2024\/airbnb-\d{8}-\d{6}\.md$/)]);
  });

  it('sdp build --out 2024 writes the report into the folder 2024/', async ({ expect }) => {
    const cwd = await makeTemp();
    await fs.mkdir(path.join(cwd, 'sessions'));
    await fs.writeFile(path.join(cwd, 'sessions/s.md'), await fixture('airbnb-complete.md'));
    const r = await sdp(cwd, ['build', '--no-render', '--out', '2024']);
    expect(r.code, show(r)).toBe(0);
    expect(await filesUnder(path.join(cwd, '2024'))).toEqual(['s.md']);
  });
});
