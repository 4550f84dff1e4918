// The terminal edge. Commands talk to the user only through this interface, so tests
// can run them in-process with a fake one.
import { createInterface } from 'node:readline/promises';

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** True when a person can answer questions (stdin and stdout are terminals). */
  interactive: boolean;
  /** Read one line; undefined at end of input. */
  ask(prompt: string): Promise<string | undefined>;
}

export function processTerminal(): Terminal {
  // `sdp list | head` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    async ask(prompt) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const closed = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
      try {
        return await Promise.race([rl.question(prompt), closed]);
      } finally {
        rl.close();
      }
    },
  };
}
