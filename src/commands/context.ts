import type { Terminal } from '../io/terminal.js';

/** What every command gets from the CLI: where it runs, the clock, the terminal, the stop signal. */
export interface CommandContext {
  cwd: string;
  now(): Date;
  term: Terminal;
  /** --questions DIR */
  questionsDir?: string;
  /**
   * Aborted on SIGINT/SIGTERM. The CLI owns the signals; whatever must be undone on the way out
   * (a browser, a watcher, an answer being read) listens here, and the command then returns.
   */
  signal: AbortSignal;
}

/** Thrown by a command that stops because it was interrupted: the CLI exits 128 + the signal's number. */
export class Interrupted extends Error {
  constructor(readonly signalName: string) {
    super(`interrupted by ${signalName}`);
    this.name = 'Interrupted';
  }
}

/** Throws Interrupted when the run was stopped: call it before a step that writes. */
export function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted(String(signal.reason ?? 'SIGINT'));
}
