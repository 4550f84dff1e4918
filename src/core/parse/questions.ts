// The question bank: preset files parsed and validated, and name resolution
// ("airbnb", an alias, or a close misspelling).
import { ContentError } from '../errors.js';
import { readFrontmatter } from './frontmatter.js';
import { STEPS, type StepId } from '../method.js';
import { editDistance, normalizeName } from '../text.js';

export interface Question {
  id: string;
  title: string;
  aliases: string[];
  /** The interviewer's scope, markdown. */
  scope: string;
  /** Question-specific prompts per step. */
  prompts: Partial<Record<StepId, string[]>>;
  /** This question's own examples for the generic prompts; a neutral one stands in for each missing. */
  examples?: Partial<Examples>;
}

/** What the generic prompts show as an example, per question: an endpoint, a workflow's name, a hop. */
export interface Examples {
  api: string;
  workflow: string;
  hop: string;
}

export const EXAMPLE_KEYS = ['api', 'workflow', 'hop'] as const;

/** For a question that brings no examples: placeholders that teach the form without an answer from another question. */
export const NEUTRAL_EXAMPLES: Examples = {
  api: 'POST /<resources> {<request fields>} → 201 {<id>}',
  workflow: '<what the user does>',
  hop: 'Client -> API Gateway: POST /<resources>',
};

export function examplesOf(question: Pick<Question, 'examples'> | undefined): Examples {
  return { ...NEUTRAL_EXAMPLES, ...(question?.examples ?? {}) };
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Line breaks and control characters in a title, alias or prompt. They are written into every
 * new session (a line break followed by a marker line would end the hint block it stands in)
 * and echoed on the terminal (an escape sequence could set the clipboard or the window title).
 */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Parse one preset file. `fileId` is the file name without `.md`. */
export function parseQuestion(source: string, fileId: string): Question {
  const fm = readFrontmatter(source);
  const d = fm.data;
  const fail = (key: string, message: string, hint?: string): never => {
    throw ContentError.at('question-field-invalid', fm.lineOf(key), message, hint);
  };
  if (typeof d.id !== 'string' || !ID.test(d.id)) fail('id', '`id:` must be lower-case letters, digits and dashes', `use the file name: id: ${fileId}`);
  const id = d.id as string;
  if (id !== fileId) fail('id', `\`id: ${id}\` does not match the file name ${fileId}.md`, `rename the file to ${id}.md or set id: ${fileId}`);
  if (typeof d.title !== 'string' || !d.title.trim()) fail('title', '`title:` is missing', 'add a title such as `title: Design Airbnb`');
  const oneLine = (what: string, line: number, text: string) => {
    if (NOT_ONE_LINE.test(text.trim())) throw ContentError.at('question-field-invalid', line, `${what} holds a line break or a control character`, 'keep it to one line of plain text');
  };
  oneLine('`title:`', fm.lineOf('title'), d.title as string);
  const aliases = d.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) fail('aliases', '`aliases:` must be a list of names', 'e.g. aliases: [vacation rentals, booking]');
  for (const alias of aliases as string[]) oneLine('an alias', fm.lineOf('aliases'), alias);
  const prompts: Question['prompts'] = {};
  if (d.prompts !== undefined) {
    if (!d.prompts || typeof d.prompts !== 'object' || Array.isArray(d.prompts)) fail('prompts', '`prompts:` must map steps to lists of prompts');
    for (const [key, list] of Object.entries(d.prompts as object)) {
      const step = STEPS.find((s) => s.id === key);
      if (!step) fail('prompts', `\`prompts\` has an unknown step "${key}"`, `steps are: ${STEPS.map((s) => s.id).join(', ')}`);
      if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) fail('prompts', `\`prompts.${key}\` must be a list of strings`);
      for (const prompt of list as string[]) oneLine(`a prompt of \`prompts.${key}\``, promptLine(source, fm.lineOf('prompts'), key), prompt);
      prompts[step!.id] = (list as string[]).map((p) => p.trim()).filter(Boolean);
    }
  }
  const examples: Partial<Examples> = {};
  if (d.examples !== undefined) {
    if (!d.examples || typeof d.examples !== 'object' || Array.isArray(d.examples))
      fail(
        'examples',
        '`examples:` must map api, workflow and hop to one line each',
        'e.g. examples: {api: "POST /bookings {listingId, dates} → 201 {bookingId}", workflow: Book a stay, hop: "Guest -> API Gateway: POST /bookings"}',
      );
    for (const [key, value] of Object.entries(d.examples as object)) {
      if (!(EXAMPLE_KEYS as readonly string[]).includes(key)) fail('examples', `\`examples\` has an unknown key "${key}"`, `keys are: ${EXAMPLE_KEYS.join(', ')}`);
      if (typeof value !== 'string' || !value.trim() || /\n/.test(value.trim())) fail('examples', `\`examples.${key}\` must be one line of text`);
      if (key === 'hop' && !/\S\s*(?:->|→)\s*[^:]+:\s*\S/.test(value as string))
        fail('examples', `\`examples.hop\` must be a hop as a candidate writes it: "A -> B: action"`, 'e.g. hop: "Guest -> API Gateway: POST /bookings"');
      examples[key as keyof Examples] = (value as string).trim();
    }
  }
  const scope = source.slice(fm.bodyStart).replace(/\r\n?/g, '\n').trim();
  if (!scope)
    throw ContentError.at('question-text-missing', fm.lineOf('title') + 1, 'the question has no text after the frontmatter', 'describe the users, what is in and out of scope, and the scale');
  return { id, title: (d.title as string).trim(), aliases: (aliases as string[]).map((a) => a.trim()), scope, prompts, ...(Object.keys(examples).length ? { examples } : {}) };
}

/** The line of `key:` inside the `prompts:` map that starts on `promptsLine`, or that line. */
function promptLine(source: string, promptsLine: number, key: string): number {
  const lines = source.split('\n');
  for (let i = promptsLine; i < lines.length && /^[ \t]/.test(lines[i]); i++) {
    if (lines[i].trim().startsWith(`${key}:`)) return i + 1;
  }
  return promptsLine;
}

export type Resolution = { question: Question; exact: boolean } | { question?: undefined; suggestions: Question[] };

/** Find a preset by id, alias, title or a close spelling. */
export function resolveQuestion(bank: Question[], input: string): Resolution {
  const wanted = normalizeName(input);
  const names = (q: Question) => [q.id, ...q.aliases, q.title, q.title.replace(/^design\s+(an?\s+)?/i, '')].map(normalizeName);
  // An id names one preset; another preset's alias must not shadow it.
  const exact = bank.find((q) => normalizeName(q.id) === wanted) ?? bank.find((q) => names(q).includes(wanted));
  if (exact) return { question: exact, exact: true };
  if (!wanted || wanted.length > 100) return { suggestions: [] };
  const scored = bank.map((q) => ({ q, d: Math.min(...names(q).map((n) => editDistance(wanted, n))) })).sort((a, b) => a.d - b.d || a.q.id.localeCompare(b.q.id));
  const best = scored[0];
  const close = (d: number) => d <= Math.max(1, Math.floor(wanted.length / 4));
  if (best && close(best.d) && (scored.length < 2 || scored[1].d > best.d)) return { question: best.q, exact: false };
  const prefixed = bank.filter((q) => names(q).some((n) => n.startsWith(wanted) || (wanted.length >= 4 && n.includes(wanted))));
  if (prefixed.length === 1) return { question: prefixed[0], exact: false };
  return { suggestions: [...new Set([...prefixed, ...scored.filter((s) => s.d <= Math.max(3, wanted.length / 2)).map((s) => s.q)])].slice(0, 3) };
}
