// `sdp watch`: runs beside the editor. On every save it works out which steps changed and
// keeps per-step timing (on the terminal's status line; into the frontmatter on exit), and
// fills in the hint blocks of the steps after the one being typed, from what is already
// answered.
//
// When it writes (#13): any write while the person's editor holds unsaved changes makes the
// editor object at their next save. People save, type on, save again; so a write waits until
// the person has stopped to think (no save for QUIET_MS) and their editor reports no unsaved
// changes (vim's swap file, Emacs's lock), and touches only the steps after the one they are
// typing in (`writeScope`): those hints are for where they go next. Everything else (the
// current and earlier steps' blocks, the timing) is written once, when watch stops.
import path from 'node:path';
import { STEPS, type StepId } from '../core/method.js';
import { applyEdits, onlyOwnedChanged } from '../core/write/edit.js';
import { checkDepth, depthSummary, type DepthResult } from '../core/check/depth.js';
import { followUpDue, followUpEdit, hasFollowUp, pickFollowUp } from '../core/write/followup.js';
import { ChunkCache } from '../core/parse/markdown.js';
import { parseSession } from '../core/parse/parse.js';
import type { Session } from '../core/session.js';
import { syncSession, writeScope } from '../core/write/sync.js';
import { DEFAULT_IDLE_SECONDS, changedSteps, overruns, readTiming, recordEdit, stepTexts, type Timing } from '../core/derive/timing.js';
import { ContentError, UsageError } from '../core/errors.js';
import { formatMessage } from '../core/messages.js';
import { loadBank, loadPlaybook, loadRubric } from '../io/bank.js';
import { DiskParseCache } from '../io/parse-cache.js';
import { loadSession, reportStem, resolveSessionPath, sessionProject } from '../io/sessions.js';
import { LivePictures } from '../io/live-pictures.js';
import { escapeControls } from '../io/terminal.js';
import { checkSessionWritable } from '../io/safe-write.js';
import { watchSession, type WatchEvent } from '../io/watch.js';
import { unsavedChanges } from '../io/watch/editors.js';
import type { CommandContext } from './context.js';

export interface WatchOptions {
  dir: string;
  /** The report folder whose pictures are kept current. */
  out?: string;
  /** false with --no-render. */
  render?: boolean;
  idle?: number | string;
  hints?: boolean;
  /** Ask one of the rubric's follow-ups once the design is in, as an interviewer would. */
  interview?: boolean;
  /** Ask it at this minute of active time instead. */
  interviewAt?: number | string;
}

/**
 * No save for this long after one: the person has stopped to think. Measured against the
 * typing model of tests/e2e/editors.test.ts: people who type on after a save do so within
 * about a second; a pause to think lasts several.
 */
const QUIET_MS = 1500;

export async function watchCommand(ctx: CommandContext, given: string | undefined, opts: WatchOptions): Promise<number> {
  const idleMinutes = opts.idle === undefined ? DEFAULT_IDLE_SECONDS / 60 : Number(opts.idle);
  if (!(idleMinutes > 0 && idleMinutes <= 24 * 60)) throw new UsageError(`--idle must be minutes between 0 and 1440, not "${String(opts.idle)}"`, 'e.g. --idle 5');
  const hints = opts.hints !== false;
  const interviewAt = opts.interviewAt === undefined ? undefined : Number(opts.interviewAt);
  if (interviewAt !== undefined && !(Number.isFinite(interviewAt) && interviewAt >= 0 && interviewAt <= 600)) {
    throw new UsageError(`--interview-at must be a minute between 0 and 600, not "${String(opts.interviewAt)}"`, 'e.g. --interview --interview-at 30');
  }
  const interview = Boolean(opts.interview) || interviewAt !== undefined;
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const within = sessionProject(ctx.cwd, file);
  await checkSessionWritable(file, within);
  // Most saves change one section: the others' markdown nodes are reused from the last parse,
  // the first parse's from the cache on disk, which gets the last parse's at the end so that
  // the `sdp build` that follows a watch starts warm.
  let chunks = new ChunkCache(undefined, DiskParseCache.open(file));
  let parsed: ChunkCache | undefined;
  const { session: first, shown } = await loadSession(ctx.cwd, file, chunks);
  const question = (await loadBank(ctx.cwd, ctx.questionsDir).catch(() => [])).find((q) => q.id === first.frontmatter.question);
  const playbook = await loadPlaybook(ctx.cwd);
  // The rubric gives the depth count on the status line (never the points: no spoilers) and the follow-up.
  const rubric = await loadRubric(ctx.cwd, first.frontmatter.question);

  let texts = stepTexts(first);
  let timing: Timing = readTiming(first.frontmatter.raw);
  let timingDirty = false;
  /** The start round's write (every step's block) is still to do: the editor was busy. */
  let startPending = true;
  let pendingHints: StepId[] = [];
  let current: StepId | undefined;
  let lastNote = 'watching';
  const warnedOver = new Set<StepId>();
  const status = new Status(ctx);
  const pictures =
    opts.render === false
      ? undefined
      : new LivePictures({
          outDir: path.resolve(ctx.cwd, opts.out ?? 'reports'),
          stem: reportStem(file),
          signal: ctx.signal,
          onUpdate: (message) => status.log(`${clock(ctx.now())} ${message}`),
          onWarning: (message) => status.warn(message),
        });

  const derive = (text: string, reason: 'start' | 'change' | 'flush'): string | undefined => {
    let session: Session;
    try {
      session = parseSession(text, { cache: chunks });
      parsed = chunks;
      chunks = chunks.next();
    } catch (err) {
      throw err instanceof ContentError ? err.inFile(shown) : err;
    }
    const now = ctx.now();
    const next = stepTexts(session);
    // Steps pre-filled from sample answers are not timed.
    const changed = changedSteps(texts, next).filter((id) => !session.frontmatter.samples.includes(id));
    texts = next;
    if (changed.length) {
      timing = recordEdit(timing, changed, now, undefined, idleMinutes * 60);
      timingDirty = true;
      current = changed[changed.length - 1];
    }
    const scope = writeScope(reason, current, startPending);
    const result = syncSession({ session, source: text, question, hints, playbook, steps: scope.steps, timing: scope.timing && timingDirty ? timing : undefined, pace: timing });
    for (const w of result.warnings) status.warn(w);
    pendingHints = result.hintSteps;
    if (reason === 'start' && result.text === undefined) startPending = false;
    const asked = interview && rubric && !hasFollowUp(session) && followUpDue(session, timing.active, interviewAt) ? pickFollowUp(rubric.followUps, session) : undefined;
    if (asked) {
      // Through the same write as the hints: derive returns the whole text, the watcher checks
      // that only sdp's regions changed, re-reads and replaces atomically.
      const base = result.text ?? text;
      status.log(`${clock(now)} follow-up from the interviewer, at the end of the file: ${asked.ask}`);
      return applyEdits(base, [followUpEdit(base, asked, interviewAt === undefined ? 'once your architecture was in, or at minute 35' : `at minute ${interviewAt}`)]);
    }
    if (changed.length) lastNote = `edited ${changed.map(label).join(', ')}`;
    // Pacing: say so once, when the step being typed first passes its budget.
    const over = current ? overruns(timing, session.frontmatter.budget).find((o) => o.step === current) : undefined;
    if (over && !warnedOver.has(over.step)) {
      warnedOver.add(over.step);
      status.log(`${clock(now)} ${label(over.step)} is over its ${over.budgetMinutes}-min budget: move on (the next step's hints say so too)`);
    }
    status.update(session, timing, current, lastNote, changed.length > 0, rubric && checkDepth(session, rubric, session.frontmatter.level));
    pictures?.offer(session);
    return result.text;
  };

  const watcher = watchSession({
    file,
    derive,
    safe: onlyOwnedChanged,
    within,
    backupDir: path.join(path.dirname(file), '.sdp-backup'),
    // Shorter than the watcher's defaults: hints should land well inside a quarter second.
    // Safety does not rest on these waits but on the re-read and inode check before each write.
    debounceMs: 30,
    stableMs: 60,
    quietMs: QUIET_MS,
    unsavedChanges,
    onEvent(e: WatchEvent) {
      if (e.type === 'write' && !e.restored) {
        startPending = false;
        if (e.reason === 'flush') timingDirty = false;
        if (pendingHints.length) status.log(`${clock(ctx.now())} hints for ${pendingHints.map(label).join(', ')}`);
        pendingHints = [];
      }
      if (e.type === 'skip' && e.why === 'editor-busy' && e.reason === 'flush') {
        status.warn(`the timing and hints were not written: your editor still has unsaved changes in ${shown}. Save, then run \`sdp watch\` and stop it again to write them`);
      }
      if (e.type === 'error' && e.error instanceof ContentError) {
        // Every problem, each in the one message shape: fixing the first may not be enough.
        for (const d of e.error.diagnostics) status.warn(formatMessage(shown, d));
        status.warn('nothing is written until it is fixed');
      } else if (e.type === 'error') status.warn(e.message);
    },
  });
  await watcher.ready;
  status.log(`watching ${shown} (${question?.title ?? first.frontmatter.title}); Ctrl-C to stop`);
  if (interview && !rubric) status.warn(`no rubric for ${first.frontmatter.question}, so no follow-up will be asked (add templates/rubrics/${first.frontmatter.question}.yaml)`);
  status.update(first, timing, current, lastNote);

  // Ctrl-C or SIGTERM (the CLI owns both) ends the watch: the timing is written first.
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watcher.flush();
  await watcher.close();
  await pictures?.close();
  if (parsed) await DiskParseCache.keep(file, parsed.entries());
  status.done(timingDirty ? 'stopped; the timing was not saved' : 'stopped; timing saved');
  return 0;
}

function label(id: StepId): string {
  const s = STEPS.find((x) => x.id === id)!;
  return `${s.number}. ${s.title}`;
}

function clock(d: Date): string {
  return d.toISOString().slice(11, 19);
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
}

/** A live status line on a terminal; plain log lines otherwise. */
class Status {
  private readonly tty: boolean;

  constructor(private readonly ctx: CommandContext) {
    this.tty = Boolean(process.stdout.isTTY) && ctx.term.interactive;
  }

  log(text: string): void {
    if (this.tty) process.stdout.write('\r\x1b[2K');
    this.ctx.term.out(text);
  }

  warn(text: string): void {
    this.log(`warning: ${text}`);
  }

  /** `fresh`: this save changed something worth a log line. */
  update(session: Session, timing: Timing, current: StepId | undefined, note: string, fresh = false, depth?: DepthResult): void {
    const fm = session.frontmatter;
    const steps = STEPS.map((s) => {
      const active = timing.steps[s.id]?.active ?? 0;
      const budget = (fm.budget[s.id] ?? s.minutes) * 60;
      return `${s.number} ${minutes(active)}/${budget / 60}m${active > budget ? '!' : ''}`;
    }).join(' ');
    const step = current ? label(current) : '—';
    const line = `${fm.question} · ${step} · active ${minutes(timing.active)} · ${steps}${depth ? ` · ${depthSummary(depth).toLowerCase()}` : ''} · ${clock(this.ctx.now())} ${note}`;
    if (this.tty) {
      process.stdout.write(`\r\x1b[2K${escapeControls(line).slice(0, (process.stdout.columns || 120) - 1)}`);
    } else if (fresh) {
      this.ctx.term.out(`${clock(this.ctx.now())} ${note}${depth ? ` · ${depthSummary(depth).toLowerCase()}` : ''}`);
    }
  }

  done(message: string): void {
    if (this.tty) process.stdout.write('\n');
    this.ctx.term.out(message);
  }
}
