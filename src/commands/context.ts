import type { Terminal } from '../io/terminal.js';

/** What every command gets from the CLI: where it runs, the clock, the terminal. */
export interface CommandContext {
  cwd: string;
  now(): Date;
  term: Terminal;
  /** --questions DIR */
  questionsDir?: string;
}
