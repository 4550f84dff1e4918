// A candidate typing a whole session in a real editor (vim or Emacs, under tmux) while
// `sdp watch` runs beside it, the way people type: answers in all seven steps; after a save,
// half the time a pause to think, half the time typing on at once and saving again a few
// seconds later; a pause to read the next step's hints when moving on. Every "changed on disk"
// prompt the editor raises is counted and answered the way that keeps the buffer.
// The timeline is compressed (short lines, pauses of a few seconds) but keeps that pattern.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { watch as fsWatch, promises as fs } from 'node:fs';
import path from 'node:path';
import { parseSession } from '../../../src/core/parse/parse.js';
import { syncSession } from '../../../src/core/write/sync.js';
import type { Question } from '../../../src/core/parse/questions.js';
import type { Playbook } from '../../../src/core/parse/playbook.js';
import { mulberry32 } from '../../support/editors.js';

export type EditorKind = 'vim' | 'emacs';

export interface TypistOptions {
  editor: EditorKind;
  /** The session folder, made by `sdp new airbnb`. */
  cwd: string;
  file: string;
  bin: string;
  question: Question | undefined;
  playbook?: Playbook;
  /** vimrc or init.el lines (the README's set-up). */
  setup: string;
  /** Seconds to think after a save; the rest of the timeline scales with it. */
  pauseMs?: number;
  seed?: number;
}

export interface Prompt {
  kind: string;
  step: number;
}

export interface TypistResult {
  saves: number;
  pauses: number;
  typeOns: number;
  prompts: Prompt[];
  /** Typed lines missing from the file at the end, and their characters. */
  lost: string[];
  lostChars: number;
  /** Per step from 2 on: were its hints in the file (and in the saved buffer) when the candidate first typed there? */
  hints: { step: number; inFile: boolean; inBuffer: boolean }[];
  /** File writes `sdp watch` made. */
  writes: number;
  watchLog: string;
}

interface Burst {
  /** The hint block key whose closing marker the first line goes under. */
  section: string;
  lines: string[];
}

/** Seven steps of answers: each step two or three bursts of typing, each ended by a save. */
export const ANSWERS: Burst[][] = [
  [
    { section: 'requirements/functional', lines: ['- Guests can search stays by city and dates', '- Guests can book a stay'] },
    { section: 'requirements/non-functional', lines: ['- 99.95% availability for booking', '- p99 search latency under 200 ms'] },
    { section: 'requirements/functional', lines: ['- Hosts can list a place with photos'] },
  ],
  [
    { section: 'estimation/traffic', lines: ['- DAU: 10M', '- searches per user per day: 5'] },
    { section: 'estimation/storage', lines: ['- object size: 2 KB', '- retention: 5 years'] },
  ],
  [
    { section: 'api/external', lines: ['- `GET /stays?city&dates&cursor&limit` -> 200 {stays, next}'] },
    { section: 'api/external', lines: ['- `POST /bookings` {stayId, dates, idempotencyKey} -> 201 {bookingId}', '- `POST /listings` {title, photos} -> 201 {listingId}'] },
  ],
  [
    { section: 'workflows/workflow-1', lines: ['- Guest -> API Gateway: POST /bookings', '- API Gateway -> Booking Service: create booking'] },
    { section: 'workflows/components', lines: ['- Guest [client]: books stays', '- API Gateway [gateway]: routes requests'] },
    { section: 'workflows/components', lines: ['- Booking Service [service]: bookings', '- Booking DB [database]: bookings'] },
  ],
  [
    { section: 'architecture/wiring', lines: ['- Booking Service -> Booking DB: write booking'] },
    { section: 'architecture/data-model', lines: ['- Booking DB: id uuid, stay_id uuid, nights daterange, café note'] },
  ],
  [
    { section: 'optimizations/cap', lines: ['- Booking DB: CP, a double booking costs more than a refusal'] },
    { section: 'optimizations/scalability', lines: ['- Shard bookings by stay_id'] },
  ],
  [
    { section: 'failures/edge-cases', lines: ['- Two guests book the same nights: unique (stay_id, night)'] },
    { section: 'failures/large-scale', lines: ['- Payment provider down: hold the booking 10 min, retry'] },
  ],
];

const STEP_IDS = ['requirements', 'estimation', 'api', 'workflows', 'architecture', 'optimizations', 'failures'];

let sessions = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function hasTools(editor: EditorKind): string[] {
  const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  return ['tmux', editor].filter((c) => !have(c));
}

/** The hint block of `step` in `text`, or undefined. */
function block(text: string, step: string): string | undefined {
  return new RegExp(`<!-- sdp:hint ${step} -->\\n([\\s\\S]*?)<!-- /sdp:hint ${step}[ #]`).exec(text)?.[1];
}

export async function typeSession(opts: TypistOptions): Promise<TypistResult> {
  const { editor, cwd, file } = opts;
  const pauseMs = opts.pauseMs ?? Number(process.env.SDP_TYPIST_PAUSE_MS ?? 3200);
  const rand = mulberry32(opts.seed ?? 13);
  const tmuxName = `sdp-${editor}-${process.pid}-${++sessions}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const keys = (...k: string[]) => tmux('send-keys', '-t', tmuxName, ...k);
  const literal = (text: string) => tmux('send-keys', '-t', tmuxName, '-l', '--', text);
  const screen = () => {
    try {
      return tmux('capture-pane', '-p', '-t', tmuxName);
    } catch {
      return ''; // the editor has quit
    }
  };
  const read = () => fs.readFile(file, 'utf8');
  /** The file as a reader sees it between saves (not mid-way through a rename-style save). */
  const stableText = async () => {
    for (let i = 0; ; i++) {
      const text = await read().catch(() => '');
      if (text.startsWith('---') || i > 100) return text;
      await sleep(20);
    }
  };

  // Count watch's writes: each is a temp file beside the session, renamed over it.
  const temps = new Set<string>();
  const dirWatch = fsWatch(path.dirname(file), (_e, name) => {
    if (name && /\.sdp-\d+-\d+\.tmp$/.test(String(name))) temps.add(String(name));
  });

  let log = '';
  const watch = spawn(process.execPath, [opts.bin, 'watch', path.relative(cwd, file), '--no-render'], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  watch.stdout.on('data', (d) => (log += d));
  watch.stderr.on('data', (d) => (log += d));
  const result: TypistResult = { saves: 0, pauses: 0, typeOns: 0, prompts: [], lost: [], lostChars: 0, hints: [], writes: 0, watchLog: '' };
  const typed: string[] = [];
  let step = 1;

  const rc = path.join(cwd, editor === 'vim' ? 'vimrc' : 'init.el');
  await fs.writeFile(rc, `${opts.setup}\n`);
  const command = editor === 'vim' ? `vim -N -u ${rc} -i NONE ${file}` : `emacs -nw -Q -l ${rc} ${file}`;
  try {
    for (let i = 0; !log.includes('watching'); i++) {
      if (i > 1000) throw new Error(`watch did not start:\n${log}`);
      await sleep(15);
    }
    tmux('new-session', '-d', '-s', tmuxName, '-x', '200', '-y', '50', `env LANG=C.UTF-8 TERM=xterm-256color ${command}`);
    // Ready when the editor shows the file (its name in Emacs's mode line, its text in vim).
    for (let i = 0; !screen().includes(editor === 'vim' ? '## 1. Requirements' : path.basename(file)); i++) {
      if (i > 300) throw new Error(`${editor} did not start; the screen:\n${screen()}`);
      await sleep(50);
    }
    await sleep(300);

    /** Answer whatever prompt is on the screen the way that keeps the buffer; true if there was one. */
    const answerPrompt = (): boolean => {
      const s = screen();
      const prompts: [RegExp, string, string[]][] = [
        [/Do you really want to write to it/, 'vim: changed since reading it (y/n)', ['y']],
        [/W1[12]: Warning|\[O\]K, \(L\)oad File/, 'vim: W11/W12', ['O']],
        [/Save anyway\? \(yes or no\)/, 'emacs: changed since visited or saved', ['yes', 'Enter']],
        [/really edit the buffer\?/, 'emacs: changed on disk; really edit', ['y']],
      ];
      for (const [re, kind, answer] of prompts) {
        if (re.test(s)) {
          result.prompts.push({ kind, step });
          if (process.env.SDP_TYPIST_DEBUG) console.log(`${new Date().toISOString()} ${kind}:\n${s.split('\n').slice(-6).join('\n')}`);
          if (answer.length === 2) {
            literal(answer[0]);
            keys(answer[1]);
          } else keys(answer[0]);
          return true;
        }
      }
      if (/Press ENTER or type command to continue/.test(s)) {
        keys('Enter');
        return true;
      }
      return false;
    };
    const settleScreen = async (ms: number) => {
      const end = Date.now() + ms;
      // A prompt waits for its answer, so a slow look is enough (and spares the CPU the other tests need).
      while (Date.now() < end) {
        answerPrompt();
        await sleep(Math.min(300, Math.max(0, end - Date.now())));
      }
    };

    /** Put the cursor at the end of `after`'s line (a marker or a line typed before). */
    const goTo = async (after: string) => {
      if (editor === 'vim') {
        keys('Escape');
        literal(`:call search('\\V${after.replace(/'/g, "''").replace(/\\/g, '\\\\')}', 'w')`);
        keys('Enter');
      } else {
        // One key at a time: Emacs drops a search started in the same burst as M-<.
        for (const step of [() => keys('M-<'), () => keys('C-s'), () => literal(after), () => keys('Enter'), () => keys('C-e')]) {
          step();
          await sleep(40);
        }
      }
      await sleep(80);
    };
    /** The first change of a burst: a new line below the cursor. Emacs asks here when the file changed under an unmodified buffer. */
    const openLine = async () => {
      keys(editor === 'vim' ? 'o' : 'Enter');
      await sleep(150);
      answerPrompt();
    };
    /** Type a line at about a person's speed. */
    const typeLine = async (line: string) => {
      for (let i = 0; i < line.length; i += 10) {
        literal(line.slice(i, i + 10));
        await sleep(60);
      }
      typed.push(line);
    };
    const save = async () => {
      if (process.env.SDP_TYPIST_DEBUG) console.log(`${new Date().toISOString()} save ${result.saves + 1} in step ${step}`);
      if (editor === 'vim') {
        keys('Escape');
        literal(':w');
        keys('Enter');
      } else keys('C-x', 'C-s');
      result.saves++;
      const end = Date.now() + 8000;
      for (;;) {
        const prompted = answerPrompt();
        const text = await read().catch(() => '');
        if (!prompted && typed.every((l) => text.includes(l))) return text;
        if (Date.now() > end) throw new Error(`a save did not reach the file; the screen:\n${screen()}`);
        await sleep(100);
      }
    };

    const lastIn = new Map<string, string>();
    for (let s = 0; s < ANSWERS.length; s++) {
      step = s + 1;
      const bursts = ANSWERS[s];
      let check: { step: number; expected: string | undefined; inFile: boolean } | undefined;
      for (let b = 0; b < bursts.length; b++) {
        const burst = bursts[b];
        const prev = lastIn.get(burst.section);
        await goTo(prev ?? `/sdp:hint ${burst.section} `);
        if (b === 0 && s > 0) {
          // The moment the candidate first types in this step: are its hints there?
          const text = await stableText();
          const synced = syncSession({ session: parseSession(text), source: text, question: opts.question, playbook: opts.playbook, hints: true }).text ?? text;
          const expected = block(synced, STEP_IDS[s]);
          check = { step: s + 1, expected, inFile: expected !== undefined && block(text, STEP_IDS[s]) === expected };
        }
        await openLine();
        for (let l = 0; l < burst.lines.length; l++) {
          if (l > 0) {
            keys('Enter');
            await sleep(120);
          }
          await typeLine(burst.lines[l]);
          lastIn.set(burst.section, burst.lines[l]);
        }
        const saved = await save();
        if (check) {
          // What the buffer held when the candidate saved: did the editor take the hints in?
          result.hints.push({ step: check.step, inFile: check.inFile, inBuffer: check.expected !== undefined && block(saved, STEP_IDS[s]) === check.expected });
          check = undefined;
        }
        const last = b === bursts.length - 1;
        // Half the saves inside a step are followed by a pause, half by typing on (in a seeded order).
        if (last || result.pauses < result.typeOns || (result.pauses === result.typeOns && rand() < 0.5)) {
          // A pause to think (or, between steps, to read the next step's hints).
          if (!last) result.pauses++;
          await settleScreen(pauseMs);
        } else {
          result.typeOns++;
          await settleScreen(200 + rand() * 400);
        }
      }
    }

    // Done: quit the editor, stop watch (it writes what it kept for the end).
    if (editor === 'vim') {
      keys('Escape');
      literal(':qa');
      keys('Enter');
    } else keys('C-x', 'C-c');
    await settleScreen(600);
    const code = await new Promise<number | null>((resolve) => {
      watch.once('close', resolve);
      watch.kill('SIGINT');
    });
    if (code !== 0) throw new Error(`watch exited ${code}:\n${log}`);
    const final = await read();
    result.lost = typed.filter((l) => !final.includes(l));
    result.lostChars = result.lost.reduce((n, l) => n + [...l].length, 0);
    result.writes = temps.size;
    result.watchLog = log;
    return result;
  } finally {
    dirWatch.close();
    spawnSync('tmux', ['kill-session', '-t', tmuxName]);
    if (watch.exitCode === null) watch.kill('SIGKILL');
  }
}
