// The race suite (#12): seeded random saves in every editor style against one or two
// watchers, `sdp practice`'s writer, or both, checked after EVERY save: the file must hold
// the save's user text in full (or a later save of the same user has replaced it), never
// silently lose it. Figures are printed for the notes: saves, watcher writes between saves,
// characters lost. SDP_RACE_SEED and SDP_RACE_SAVES change the run.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSessionFile, type SessionFile } from '../src/io/safe-write.js';
import { watchSession, type WatchEvent, type Watcher } from '../src/io/watch.js';
import { CLOSE, OPEN, doc, emacs, hintDerive, hintSafe, inPlace, jetbrains, mulberry32, outsideBytes, parts, pause, sedI, twoChunks, vim, type Save } from './support/editors.js';

const SEED = Number(process.env.SDP_RACE_SEED ?? 20261204);
const SAVES = Number(process.env.SDP_RACE_SAVES ?? 3200);

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** Writes into the open file without truncating it first, in pieces, then cuts it to length (dd conv=notrunc, some sync tools). */
const noTruncate: Save = async (file, text) => {
  const bytes = Buffer.from(text);
  const h = await fs.open(file, 'r+');
  try {
    const cut = Math.floor(bytes.length / 2);
    await h.write(bytes, 0, cut, 0);
    await pause(5);
    await h.write(bytes, cut, bytes.length - cut, cut);
    await h.truncate(bytes.length);
  } finally {
    await h.close();
  }
};

/** A save in 3-5 chunks with short pauses (a slow disk, a big buffer). */
const chunked =
  (rand: () => number): Save =>
  async (file, text) => {
    const bytes = Buffer.from(text);
    const n = 3 + Math.floor(rand() * 3);
    const h = await fs.open(file, 'w');
    try {
      for (let i = 0; i < n; i++) {
        const a = Math.floor((bytes.length * i) / n);
        const b = Math.floor((bytes.length * (i + 1)) / n);
        await h.write(bytes, a, b - a, a);
        if (i < n - 1) await pause(2 + Math.floor(rand() * 20));
      }
    } finally {
      await h.close();
    }
  };

function styles(rand: () => number): [string, Save][] {
  return [
    ['in place', inPlace],
    ['rename (JetBrains, VS Code)', jetbrains],
    ['sed -i', sedI],
    ['vim backup rename', vim],
    ['emacs', emacs()],
    ['truncate-pause-write', async (f, t) => twoChunks(Math.floor(rand() * 150))(f, t)],
    ['chunked', chunked(rand)],
    ['in place, not truncated', noTruncate],
  ];
}

interface Lane {
  name: string;
  watchers: number;
  editor: boolean;
  practice: boolean;
}

const LANES: Lane[] = [
  { name: 'editor + watch', watchers: 1, editor: true, practice: false },
  { name: 'editor + watch (2)', watchers: 1, editor: true, practice: false },
  { name: 'editor + two watchers', watchers: 2, editor: true, practice: false },
  { name: 'editor + two watchers (2)', watchers: 2, editor: true, practice: false },
  { name: 'watch + practice', watchers: 1, editor: false, practice: true },
  { name: 'practice + editor', watchers: 0, editor: true, practice: true },
  { name: 'practice + editor (2)', watchers: 0, editor: true, practice: true },
  { name: 'editor + watch (3)', watchers: 1, editor: true, practice: false },
];

interface Figures {
  lane: string;
  saves: number;
  practiceWrites: number;
  watcherWrites: number;
  lostChars: number;
  lostSaves: string[];
  keptCopies: number;
  absentPathRetries: number;
  practiceGaveUp: number;
  errors: string[];
}

async function readRetrying(file: string): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      return await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || i > 2000) throw err;
      await pause(1);
    }
  }
}

const lines = (text: string) => text.split('\n').filter((l) => /^[up]\d/.test(l));

async function runLane(lane: Lane, index: number, saves: number): Promise<Figures> {
  const rand = mulberry32(SEED + index * 7919);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const WORDS = ['word', 'Ω', 'é', '中文', '😀', '👩‍👩‍👧', 'ﬁ', 'tab\there', 'a', 'b-c'];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sdp-race-'));
  temps.push(dir);
  const file = path.join(dir, 's.md');
  await fs.writeFile(file, doc('intro line\n', 0));
  const f: Figures = { lane: lane.name, saves: 0, practiceWrites: 0, watcherWrites: 0, lostChars: 0, lostSaves: [], keptCopies: 0, absentPathRetries: 0, practiceGaveUp: 0, errors: [] };

  const watchers: Watcher[] = [];
  for (let i = 0; i < lane.watchers; i++) {
    const w = watchSession({
      file,
      derive: (text) => hintDerive(text),
      safe: hintSafe,
      backupDir: path.join(dir, '.sdp-backup'),
      debounceMs: 20,
      stableMs: 40,
      rescanMs: 500,
      onEvent(e: WatchEvent) {
        if (e.type === 'write') f.watcherWrites++;
        if (e.type === 'error' && e.stage === 'lost-save') f.keptCopies++;
        else if (e.type === 'error') f.errors.push(`${e.stage}: ${e.message}`);
      },
    });
    watchers.push(w);
    await w.ready;
  }

  // ---- practice: answers written through the same module `sdp practice` uses --------------
  /** Every answer practice wrote. */
  const answers: { line: string; superseded: boolean }[] = [];
  let editorStop = false;
  let practiceDone: Promise<void> = Promise.resolve();
  let practice: SessionFile | undefined;
  if (lane.practice) {
    practice = openSessionFile(file, { shown: 's.md', onWarning: () => f.keptCopies++ });
    const doc = practice;
    // Beside an editor, practice answers until the editor is done.
    const total = lane.editor ? Infinity : saves;
    practiceDone = (async () => {
      for (let k = 0; k < total && !(lane.editor && editorStop); k++) {
        const line = `p${index}.${k} ${pick(WORDS)} ${pick(WORDS)}`;
        // A file caught half-saved has no region yet: nothing is written, the answer waits.
        // Beside an editor saving every few ms, practice may give up ("kept changing", nothing
        // written): the person sees it and answers again; so does this loop.
        const written = await doc
          .update((text) => {
            const p = parts(text);
            return p && p.head + OPEN + p.inner + CLOSE + p.tail + line + '\n';
          })
          .catch((err: Error) => {
            // Also "not UTF-8": the editor was mid-character at every look (a loaded machine).
            if (!/kept changing|not UTF-8/.test(err.message)) throw err;
            f.practiceGaveUp++;
            return false;
          });
        if (!written) {
          k--;
          await pause(10);
          continue;
        }
        const entry = { line, superseded: false };
        answers.push(entry);
        f.practiceWrites++;
        if (!lane.editor) await expectPresent([line], `practice answer ${k}`);
        await pause(Math.floor(rand() * (lane.editor ? 120 : 60)));
      }
    })();
  }

  /** The save's lines must be in the file, now or once a write in flight has been undone. */
  async function expectPresent(want: string[], what: string, exact?: Buffer): Promise<void> {
    const deadline = Date.now() + 4000;
    for (;;) {
      const now = (await readRetrying(file)).toString('utf8');
      const have = new Set(lines(now));
      const missing = want.filter((l) => !have.has(l));
      const exactOk = !exact || outsideBytes(Buffer.from(now)).equals(exact);
      if (missing.length === 0 && exactOk) return;
      if (Date.now() > deadline) {
        f.lostChars += missing.reduce((n, l) => n + l.length + 1, 0) || 1;
        f.lostSaves.push(`${what}: missing ${JSON.stringify(missing.slice(0, 3))}${exactOk ? '' : ' (bytes outside the region differ)'}`);
        return;
      }
      await pause(5);
    }
  }

  // ---- the editor --------------------------------------------------------------------------
  if (lane.editor) {
    const all = styles(rand);
    let buffer = await fs.readFile(file, 'utf8');
    for (let k = 0; k < saves; k++) {
      // A careful user's editor reloads what changed on disk (autoread); with practice writing
      // too it always does, else its stale buffer would drop practice's answers by design.
      if (lane.practice || rand() < 0.5) {
        buffer = (await readRetrying(file)).toString('utf8');
      }
      const p = parts(buffer)!;
      const line = `u${index}.${k} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`;
      const side = rand() < 0.3 ? 'head' : 'tail';
      const rows = p[side].split('\n');
      const at = side === 'head' ? Math.max(1, Math.floor(rand() * rows.length)) : Math.floor(rand() * rows.length);
      rows.splice(at, 0, line);
      const next = { ...p, [side]: rows.join('\n') };
      buffer = next.head + OPEN + next.inner + CLOSE + next.tail;
      const [style, save] = pick(all);
      for (let tries = 0; ; tries++) {
        try {
          await save(file, buffer);
          break;
        } catch (err) {
          // vim and Emacs rename the file away first: in sdp's swap (microseconds) it is absent.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries > 100) throw err;
          f.absentPathRetries++;
          await pause(1);
        }
      }
      f.saves++;
      // An answer this save's buffer lacks is dropped by the editor (a buffer loaded before the
      // answer landed, or while a late save was being put back under it), not by sdp. Each
      // editor save itself is checked strictly below.
      for (const a of answers) if (!buffer.includes(a.line)) a.superseded = true;
      await pause(Math.floor(rand() * 100));
      const mine = lines(buffer).filter((l) => l.startsWith('u'));
      await expectPresent(mine, `seed ${SEED} lane ${lane.name} save ${k} (${style})`, lane.practice ? undefined : outsideBytes(Buffer.from(buffer)));
    }
    editorStop = true;
  }
  await practiceDone;
  await practice?.close();
  for (const w of watchers) {
    await w.flush();
    await w.close();
  }

  // At the end: every practice answer is in the file unless an editor's stale buffer replaced it.
  const final = new Set(lines((await readRetrying(file)).toString('utf8')));
  for (const a of answers) {
    if (!a.superseded && !final.has(a.line)) {
      f.lostChars += a.line.length + 1;
      f.lostSaves.push(`lane ${lane.name}: practice answer ${a.line} gone`);
    }
  }
  const left = (await fs.readdir(dir)).filter((n) => n !== 's.md' && n !== '.sdp-backup' && n !== 's.md~');
  const inBackup = (await fs.readdir(path.join(dir, '.sdp-backup')).catch(() => [])).filter((n) => n.startsWith('.sdp-'));
  if (left.length || inBackup.length) f.errors.push(`left behind: ${[...left, ...inBackup].join(', ')}`);
  return f;
}

describe('race suite', () => {
  it(`${SAVES} seeded saves in every editor style, with watchers and practice: 0 characters lost, checked after every save`, async () => {
    const per = Math.ceil(SAVES / LANES.length);
    const started = Date.now();
    const figures = await Promise.all(LANES.map((lane, i) => runLane(lane, i, per)));
    const sum = (k: 'saves' | 'practiceWrites' | 'watcherWrites' | 'lostChars' | 'keptCopies' | 'absentPathRetries' | 'practiceGaveUp') => figures.reduce((n, x) => n + x[k], 0);
    const saves = sum('saves') + sum('practiceWrites');
    const rows = figures.map(
      (x) =>
        `  ${x.lane.padEnd(28)} editor saves ${String(x.saves).padStart(4)}  practice writes ${String(x.practiceWrites).padStart(4)}  watcher writes ${String(x.watcherWrites).padStart(4)}  lost chars ${x.lostChars}  kept copies ${x.keptCopies}`,
    );
    console.log(
      [
        `race suite, seed ${SEED}: ${saves} saves (${sum('saves')} by editors, ${sum('practiceWrites')} by practice) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  watcher writes ${sum('watcherWrites')} (${(sum('watcherWrites') / Math.max(1, saves)).toFixed(2)} per save); characters lost ${sum('lostChars')}; lost saves kept as copies ${sum('keptCopies')}; editor saves that met sdp's absent path ${sum('absentPathRetries')}; practice answers refused as "kept changing" or "not UTF-8" (then retried) ${sum('practiceGaveUp')}`,
        ...rows,
        ...figures.flatMap((x) => [...x.lostSaves, ...x.errors]).map((l) => `  ! ${l}`),
      ].join('\n'),
    );
    expect(saves).toBeGreaterThanOrEqual(SAVES);
    expect(figures.flatMap((x) => x.lostSaves)).toEqual([]);
    expect(figures.flatMap((x) => x.errors)).toEqual([]);
    expect(sum('lostChars')).toBe(0);
  }, 400_000);
});
