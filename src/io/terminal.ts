// The terminal edge. Commands talk to the user only through this interface, so tests
// can run them in-process with a fake one.
import { createInterface, type Interface } from 'node:readline';

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** True when a person can answer questions (stdin and stdout are terminals). */
  interactive: boolean;
  /** Read one line; undefined at end of input (Ctrl-D, or the end of a pipe). */
  ask(prompt: string): Promise<string | undefined>;
  /** Called on Ctrl-C while reading; the default ends the process. */
  onInterrupt?(handler: () => void): void;
  /** Stop reading input, so the process can exit. */
  close?(): void;
}

/**
 * Control characters but tab, line feed and the CR of a CRLF (C0, DEL, C1): text from a file (a session's or a
 * preset's title, a component's name) holding ESC ] 52 … would set the clipboard, ESC ] 0 …
 * the window title. Everything written to the terminal passes through here.
 */
const CONTROL = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `text` with every control character shown as `\xNN`, harmless and still visible. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * One readline interface for the whole run: a piped stdin delivers many lines at once,
 * and an interface per question would drop what it had buffered.
 */
class LineReader {
  private readonly rl: Interface;
  private readonly queue: string[] = [];
  private waiting?: (line: string | undefined) => void;
  private ended = false;

  constructor(terminal: boolean) {
    this.rl = createInterface({ input: process.stdin, output: process.stdout, terminal });
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(line);
      } else this.queue.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  read(prompt: string): Promise<string | undefined> {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.ended) return Promise.resolve(undefined);
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  onInterrupt(handler: () => void): void {
    this.rl.on('SIGINT', handler);
  }

  close(): void {
    this.rl.close();
  }
}

/**
 * `onBrokenPipe`: the reader went away (`sdp list | head` closes the pipe early). Not an error
 * worth a stack trace; the CLI decides what happens next, and nothing more is written.
 */
export function processTerminal(onBrokenPipe: () => void = () => undefined): Terminal {
  let broken = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      if (!broken) onBrokenPipe();
      broken = true;
    });
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  let reader: LineReader | undefined;
  const lines = () => (reader ??= new LineReader(interactive));
  return {
    out: (text) => void (broken || process.stdout.write(`${escapeControls(text)}\n`)),
    err: (text) => void (broken || process.stderr.write(`${escapeControls(text)}\n`)),
    interactive,
    ask: (prompt) => lines().read(prompt),
    onInterrupt: (handler) => lines().onInterrupt(handler),
    close: () => reader?.close(),
  };
}
