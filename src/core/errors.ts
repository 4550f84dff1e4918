import { formatMessage, type Message } from './messages.js';

/**
 * A problem with the user's content (a session or question file) that stops the command.
 * It carries positioned messages; the CLI adds the file name and picks exit code 1.
 */
export class ContentError extends Error {
  /** The file the diagnostics are about, set at the edge that read it. */
  file?: string;

  constructor(readonly diagnostics: Message[]) {
    super(diagnostics.map((d) => formatMessage('<input>', d)).join('\n'));
    this.name = 'ContentError';
  }

  inFile(file: string): this {
    this.file ??= file;
    this.message = this.diagnostics.map((d) => formatMessage(file, d)).join('\n');
    return this;
  }

  static at(id: string, line: number, text: string, hint?: string, column = 1): ContentError {
    return new ContentError([{ id, severity: 'error', line, column, text, hint }]);
  }
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
