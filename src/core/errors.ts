import type { Diagnostic } from './session.js';

/**
 * A problem with the user's content (a session or question file) that stops the command.
 * It carries positioned diagnostics; the CLI adds the file name and picks exit code 1.
 */
export class ContentError extends Error {
  /** The file the diagnostics are about, set at the edge that read it. */
  file?: string;

  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
    this.name = 'ContentError';
  }

  inFile(file: string): this {
    this.file ??= file;
    return this;
  }

  static at(line: number, message: string, hint?: string, column = 1): ContentError {
    return new ContentError([{ severity: 'error', line, column, message, hint }]);
  }
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `file:line:col: severity message. Try: hint`, the shape editors and people both read. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const hint = d.hint ? `. Try: ${d.hint}` : '';
  return `${file}:${d.line}:${d.column}: ${d.severity} ${d.message}${hint}`;
}
