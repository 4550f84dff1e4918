// The command line: cac wiring, and the one place that turns errors into exit codes.
// 0 ok · 1 content problems (a bad session or question file) · 2 usage or internal failure.
import { cac } from 'cac';
import { ContentError, UsageError } from './core/errors.js';
import { formatMessage } from './core/messages.js';
import { Interrupted, type CommandContext } from './commands/context.js';
import { processTerminal, type Terminal } from './io/terminal.js';
import { VERSION } from './version.js';

export interface MainOptions {
  cwd?: string;
  now?: () => Date;
  term?: Terminal;
  /** Stands in for SIGINT/SIGTERM in tests that run main() in-process. */
  signal?: AbortSignal;
}

const SIGNAL_NUMBER = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBER;

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const stop = new AbortController();
  // A reader that went away (`sdp list | head`) stops the run like a signal, exit code unchanged.
  const term = options.term ?? processTerminal(() => stop.abort('EPIPE'));
  // The one owner of SIGINT/SIGTERM. The first one aborts `stop`: the browser, the watcher and
  // practice clean up on it and their commands return (watch after saving the timing). A second
  // one means the person will not wait for that: exit at once (the browser's watchdog still
  // removes what it leaves).
  const onSignal = (signal: StopSignal) => {
    if (stop.signal.aborted) process.exit(128 + SIGNAL_NUMBER[signal]);
    stop.abort(signal);
    // A question waiting for an answer ends as if the input had ended.
    term.close?.();
  };
  const listeners = (Object.keys(SIGNAL_NUMBER) as StopSignal[]).map((signal) => {
    const listener = () => onSignal(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason ?? 'SIGINT'), { once: true });
  const cli = cac('sdp');
  let result: Promise<number> | undefined;
  // mri (inside cac) turns `--dir 2024` into the number 2024; folder names stay text.
  const text = <T extends Record<string, unknown>>(opts: T): T => {
    for (const key of ['dir', 'out', 'questions'] as const) if (opts[key] !== undefined && typeof opts[key] !== 'boolean') (opts as Record<string, unknown>)[key] = String(opts[key]);
    return opts;
  };
  const context = (opts: { questions?: string }): CommandContext => ({
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => new Date()),
    term,
    questionsDir: opts.questions,
    signal: stop.signal,
  });

  /**
   * An action that loads its command module only when chosen (start-up stays small) and calls
   * it with the context and cac's arguments; cac passes the options last.
   */
  type Command = (ctx: CommandContext, ...args: never[]) => Promise<number>;
  const run =
    (load: () => Promise<Command>) =>
    (...args: unknown[]) => {
      const opts = args[args.length - 1] as Record<string, unknown>;
      result = load().then((command) => (command as (ctx: CommandContext, ...rest: unknown[]) => Promise<number>)(context(text(opts)), ...args));
    };

  cli.option('--questions <dir>', 'Also read question presets from this folder');
  cli.option('--debug', 'Show stack traces for unexpected errors');

  cli
    .command('list', 'List the preset questions')
    .option('--json', 'Print JSON')
    .action(run(() => import('./commands/list.js').then((m) => m.listCommand)));

  cli
    .command('new [question]', 'Start a session for a preset question (id, alias or close match)')
    .option('--dir <dir>', 'Folder for sessions', { default: 'sessions' })
    .option('--budget <minutes>', 'Time budget in minutes, split over the steps (default 45)')
    .option('--start-step <n>', "Pre-fill steps 1…n-1 with the preset's sample answers and start at step n")
    .option('--level <level>', 'The level you practise for: mid, senior or staff (default senior); picks which key points count')
    .action(run(() => import('./commands/new.js').then((m) => m.newCommand)));

  cli
    .command('practice [question]', 'Answer step by step in the terminal (a preset, or a session .md file to resume)')
    .option('--dir <dir>', 'Folder for sessions', { default: 'sessions' })
    .option('--out <dir>', 'Folder for the report at the end', { default: 'reports' })
    .option('--budget <minutes>', 'Time budget for a new session (default 45)')
    .option('--start-step <n>', 'For a new session: pre-fill steps 1…n-1 with sample answers')
    .option('--level <level>', 'For a new session: mid, senior or staff (default senior)')
    .action(run(() => import('./commands/practice.js').then((m) => m.practiceCommand)));

  cli
    .command('status [session]', 'One screen: each step answered or not, time against budget, coverage, what to do next')
    .option('--dir <dir>', 'Folder to look for the newest session in', { default: 'sessions' })
    .option('--json', 'Print JSON')
    .action(run(() => import('./commands/status.js').then((m) => m.statusCommand)));

  cli
    .command('sample <question>', "Print a preset's sample answers, to compare after an attempt")
    .option('--step <n>', 'Only this step')
    .action(run(() => import('./commands/sample.js').then((m) => m.sampleCommand)));

  cli
    .command('build [session]', 'Write the report for a session (default: the newest in sessions/)')
    .option('--out <dir>', 'Folder for reports', { default: 'reports' })
    .option('--dir <dir>', 'Folder to look for the newest session in', { default: 'sessions' })
    .option('--all', 'Build every session in the folder, through one browser')
    .option('--png', 'Also write PNG pictures (2× scale, white background)')
    .option('--no-render', 'Skip the browser: mermaid source only')
    .option('--require-render', 'Exit 1 when no browser can draw the pictures')
    .option('--render-timeout <seconds>', 'Give up on a diagram after this long (default 30)')
    .option('--no-sandbox', 'Run Chromium without its sandbox (always done as root)')
    .action(run(() => import('./commands/build.js').then((m) => m.buildCommand)));

  cli
    .command('check [session]', 'Check that the design is complete: requirements → API → workflows → diagram, and the method')
    .option('--dir <dir>', 'Folder to look for the newest session in', { default: 'sessions' })
    .option('--json', 'Print findings, scores and estimates as JSON')
    .option('--strict', 'Exit 1 on any finding, not only on errors')
    .option('--reveal', "Name every key point of the question's rubric, covered or missed, with its line and why it matters")
    .action(run(() => import('./commands/check.js').then((m) => m.checkCommand)));

  cli
    .command('watch [session]', 'Run beside your editor: time each step and write hints derived from your answers')
    .option('--dir <dir>', 'Folder to look for the newest session in', { default: 'sessions' })
    .option('--idle <minutes>', 'Gaps longer than this do not count as active time (default 5)')
    .option('--no-hints', 'Only keep time; leave the hint blocks alone')
    .option('--out <dir>', 'Report folder whose pictures are kept current', { default: 'reports' })
    .option('--no-render', 'Do not redraw the pictures')
    .option('--interview', "Ask one of the question's follow-ups once step 5 has an answer (or at minute 35), as an interviewer would")
    .option('--interview-at <minute>', 'Ask the follow-up at this minute of active time instead')
    .action(run(() => import('./commands/watch.js').then((m) => m.watchCommand)));

  cli
    .command('tactics [concern]', 'The tactic playbook (options with their trade-offs), for one concern or category, or the failure catalogue')
    .option('--failures', 'List the failure catalogue instead')
    .option('--json', 'Print JSON')
    .action(run(() => import('./commands/tactics.js').then((m) => m.tacticsCommand)));

  cli
    .command('feedback [session] [answer]', "Import the grader's answer (a file, or - for standard input) for a session")
    .option('--out <dir>', 'Folder for reports, where the answer is kept', { default: 'reports' })
    .action(run(() => import('./commands/feedback.js').then((m) => m.feedbackCommand)));

  cli
    .command('stats', 'Every attempt: time against budget, coverage, depth, grade; writes reports/stats.svg')
    .option('--dir <dir>', 'Folder of sessions (and its git history)', { default: 'sessions' })
    .option('--out <dir>', 'Folder for the chart', { default: 'reports' })
    .option('--question <id>', 'Only this question')
    .option('--json', 'Print JSON')
    .action(run(() => import('./commands/stats.js').then((m) => m.statsCommand)));

  cli
    .command('next', 'Which question and step to practise next, and why')
    .option('--dir <dir>', 'Folder of sessions (and its git history)', { default: 'sessions' })
    .option('--json', 'Print JSON')
    .action(run(() => import('./commands/next.js').then((m) => m.nextCommand)));

  cli.help();
  cli.version(VERSION);

  let debug = argv.includes('--debug');
  try {
    const parsed = cli.parse(['node', 'sdp', ...argv], { run: false });
    debug = Boolean(parsed.options.debug);
    if (!cli.matchedCommand) {
      if (parsed.options.help || parsed.options.version) return 0;
      if (cli.args.length > 0) throw new UsageError(`unknown command "${String(cli.args[0])}"`, 'sdp --help lists the commands');
      cli.outputHelp();
      return 2;
    }
    await cli.runMatchedCommand();
    return await (result ?? Promise.resolve(0));
  } catch (err) {
    return report(err, term, debug);
  } finally {
    term.close?.();
    for (const [signal, listener] of listeners) process.off(signal, listener);
  }
}

function report(err: unknown, term: Terminal, debug: boolean): number {
  if (err instanceof Interrupted) return err.signalName in SIGNAL_NUMBER ? 128 + SIGNAL_NUMBER[err.signalName as StopSignal] : 0;
  if (err instanceof ContentError) {
    for (const d of err.diagnostics) term.err(formatMessage(err.file ?? '<input>', d));
    term.err('Nothing was written.');
    return 1;
  }
  if (err instanceof UsageError || (err instanceof Error && err.name === 'CACError')) {
    const hint = err instanceof UsageError && err.hint ? ` Try: ${err.hint}` : '';
    const stop = /[.?!]$/.test(err.message) ? '' : '.';
    term.err(`sdp: ${err.message}${stop}${hint}`);
    return 2;
  }
  const fsProblem = fileSystemMessage(err);
  if (fsProblem) {
    term.err(`sdp: ${fsProblem}`);
    if (debug) term.err(String((err as Error).stack));
    return 2;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  term.err(`sdp: unexpected error: ${e.message}`);
  term.err(debug ? String(e.stack) : 'Run again with --debug for the stack trace, and please report it.');
  return 2;
}

/**
 * What the file system refused, for people: one line with the path and what to do. These are
 * the machine's state (a full disk, a missing folder, a loop of links), not bugs in sdp.
 */
const FS_PROBLEMS: Record<string, [what: string, todo: string]> = {
  ENOENT: ['no such file or folder', 'check the path'],
  EEXIST: ['already exists', 'move it away or pick another name'],
  ELOOP: ['a loop of symbolic links', 'point the link at a real file, or remove it'],
  EISDIR: ['a folder where a file was expected', 'give a file path'],
  ENOTDIR: ['a file stands where its path needs a folder', 'check the path'],
  ENOSPC: ['not written: the disk is full', 'free some space and run again'],
  EDQUOT: ['not written: the disk quota is used up', 'free some space and run again'],
  EACCES: ['permission denied', "check its permissions and its folder's (ls -l)"],
  EPERM: ['operation not permitted', "check its permissions and its folder's (ls -l)"],
  EROFS: ['on a read-only file system', 'run sdp in a folder you can write to'],
  ENAMETOOLONG: ['name too long for the file system', 'use a shorter path'],
  EMFILE: ['too many open files', 'close other programs or raise the limit (ulimit -n)'],
  ENFILE: ['too many open files on the system', 'close other programs and run again'],
  EBUSY: ['busy', 'run again once the program using it is done'],
  ENXIO: ['a pipe or device with nothing on the other end', 'give the path of a markdown file'],
};

function fileSystemMessage(err: unknown): string | undefined {
  const e = err as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  const problem = e && typeof e.code === 'string' ? FS_PROBLEMS[e.code] : undefined;
  if (!problem) return undefined;
  const [what, todo] = problem;
  // A rename names both ends; the one that failed is the target.
  return `${e!.dest ?? e!.path ?? 'a file'}: ${what}. Try: ${todo}`;
}
