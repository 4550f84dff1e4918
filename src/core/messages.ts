// One model for every problem sdp shows a person: the parser's diagnostics, the checker's
// findings, and what build, status, the report and watch print about them. One formatter,
// so an editor's problem matcher reads every command's output the same way.

export type Severity = 'error' | 'warning';

export interface Message {
  /** What kind of problem: a rule id (`spof`) or a diagnostic id (`marker-unclosed`). Decide behaviour by this, never by `text`. */
  id: string;
  severity: Severity;
  /** 1-based. */
  line: number;
  column: number;
  /** What is wrong, as a sentence without its final full stop. */
  text: string;
  /** What to do about it (printed after "Try:"). */
  hint?: string;
  /** What the message is about (a component, a marker's key), when the reader needs it apart from the text. */
  subject?: string;
}

function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** `text. Try: hint.`: what every shape of a message says after its place. */
export function messageBody(m: Pick<Message, 'text' | 'hint'>): string {
  return m.hint ? `${sentence(m.text)} Try: ${sentence(m.hint)}` : sentence(m.text);
}

/** `file:line:col: severity id: text. Try: hint.`, the shape editors and people both read. */
export function formatMessage(file: string, m: Message): string {
  return `${file}:${m.line}:${m.column}: ${m.severity} ${m.id}: ${messageBody(m)}`;
}

/** "1 error, 2 warnings": counts with the right plural. */
export function countWords(counts: { error: number; warning: number }): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
