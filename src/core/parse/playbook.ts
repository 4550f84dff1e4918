// The tactic playbook and the failure catalogue (templates/playbook/*.yaml): parsed and
// validated entry by entry, so a mistake is reported at its file and line. Pure.
import { ContentError } from '../errors.js';
import { yamlList, type YamlEntry } from './yaml-data.js';

export const CATEGORIES = ['scalability', 'consistency', 'efficiency', 'reliability', 'experience', 'security', 'operability'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CONCERNS = ['latency', 'availability', 'consistency', 'throughput', 'durability', 'cost', 'security', 'operability', 'experience'] as const;
export type Concern = (typeof CONCERNS)[number];
export const FEATURES = ['always', 'queue', 'stream', 'cache', 'database', 'multi-region', 'external', 'retries', 'connection-pool', 'realtime', 'storage', 'gateway'] as const;
export type Feature = (typeof FEATURES)[number];

export interface Tactic {
  id: string;
  name: string;
  category: Category;
  explain: string;
  serves: Concern[];
  costs: string;
  alternatives: string[];
  signals: RegExp[];
  /** Where it was defined, for messages. */
  file: string;
  line: number;
}

export interface FailureMode {
  id: string;
  name: string;
  section: 'small-scale' | 'large-scale';
  required: boolean;
  when: Feature[];
  detect: string;
  mitigate: string[];
  signals: RegExp[];
  file: string;
  line: number;
}

export interface Playbook {
  tactics: Tactic[];
  failures: FailureMode[];
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** One playbook file's entries; ids are checked against the whole playbook by `mergePlaybooks`. */
export function parsePlaybookFile(text: string, file: string): Playbook {
  try {
    return {
      tactics: yamlList(text, 'tactics').map((e) => tactic(e, file)),
      failures: yamlList(text, 'failures').map((e) => failure(e, file)),
    };
  } catch (err) {
    if (err instanceof ContentError) throw err.inFile(file);
    throw err;
  }
}

/** Later files replace earlier entries with the same id; then every alternative must name a tactic. */
export function mergePlaybooks(books: Playbook[]): Playbook {
  const tactics = new Map<string, Tactic>();
  const failures = new Map<string, FailureMode>();
  for (const book of books) {
    const seen = new Set<string>();
    for (const t of book.tactics) {
      if (seen.has(t.id)) throw ContentError.at('playbook-invalid', t.line, `tactic "${t.id}" is defined twice in this file`, 'give each tactic its own id').inFile(t.file);
      seen.add(t.id);
      tactics.set(t.id, t);
    }
    for (const f of book.failures) {
      if (seen.has(`failure ${f.id}`)) throw ContentError.at('playbook-invalid', f.line, `failure "${f.id}" is defined twice in this file`, 'give each failure its own id').inFile(f.file);
      seen.add(`failure ${f.id}`);
      failures.set(f.id, f);
    }
  }
  for (const t of tactics.values()) {
    const unknown = t.alternatives.find((a) => !tactics.has(a));
    if (unknown)
      throw ContentError.at('playbook-invalid', t.line, `tactic "${t.id}" names an alternative "${unknown}" that is no tactic`, 'use the id of a tactic (sdp tactics --json lists them)').inFile(
        t.file,
      );
  }
  return { tactics: [...tactics.values()], failures: [...failures.values()] };
}

function tactic(e: YamlEntry, file: string): Tactic {
  const id = idOf(e);
  return {
    id,
    name: text(e, 'name'),
    category: oneOf(e, 'category', CATEGORIES),
    explain: text(e, 'explain'),
    serves: listOf(e, 'serves', CONCERNS, true),
    costs: text(e, 'costs'),
    alternatives: strings(e, 'alternatives', false).map((a) => {
      if (!ID.test(a)) throw ContentError.at('playbook-invalid', e.line('alternatives'), `alternative "${a}" is not a tactic id`, 'ids are lower-case words joined by dashes');
      return a;
    }),
    signals: regexes(e),
    file,
    line: e.line(),
  };
}

function failure(e: YamlEntry, file: string): FailureMode {
  const required = e.value.required ?? false;
  if (typeof required !== 'boolean') throw ContentError.at('playbook-invalid', e.line('required'), '`required:` must be true or false');
  return {
    id: idOf(e),
    name: text(e, 'name'),
    section: oneOf(e, 'section', ['small-scale', 'large-scale'] as const),
    required,
    when: listOf(e, 'when', FEATURES, true),
    detect: text(e, 'detect'),
    mitigate: strings(e, 'mitigate', true),
    signals: regexes(e),
    file,
    line: e.line(),
  };
}

function idOf(e: YamlEntry): string {
  const id = e.value.id;
  if (typeof id !== 'string' || !ID.test(id)) throw ContentError.at('playbook-invalid', e.line('id'), '`id:` must be lower-case letters, digits and dashes', 'e.g. id: read-replicas');
  return id;
}

function text(e: YamlEntry, key: string): string {
  const v = e.value[key];
  if (typeof v !== 'string' || !v.trim()) throw ContentError.at('playbook-invalid', e.line(key), `\`${key}:\` is missing or empty in "${String(e.value.id)}"`, 'one line of text');
  return v.trim();
}

function strings(e: YamlEntry, key: string, required: boolean): string[] {
  const v = e.value[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string') || (required && v.length === 0)) {
    throw ContentError.at('playbook-invalid', e.line(key), `\`${key}:\` must be a list of strings in "${String(e.value.id)}"`, `e.g. ${key}: [first, second]`);
  }
  return (v as string[]).map((s) => s.trim());
}

function oneOf<T extends string>(e: YamlEntry, key: string, allowed: readonly T[]): T {
  const v = e.value[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw ContentError.at('playbook-invalid', e.line(key), `\`${key}: ${String(v)}\` is not one of ${allowed.join(', ')}`);
  return v as T;
}

function listOf<T extends string>(e: YamlEntry, key: string, allowed: readonly T[], required: boolean): T[] {
  const list = strings(e, key, required);
  const bad = list.find((x) => !allowed.includes(x as T));
  if (bad) throw ContentError.at('playbook-invalid', e.line(key), `\`${key}\` names "${bad}", which is not one of ${allowed.join(', ')}`);
  return list as T[];
}

function regexes(e: YamlEntry): RegExp[] {
  return strings(e, 'signals', true).map((source) => {
    try {
      return new RegExp(source, 'i');
    } catch (err) {
      throw ContentError.at('playbook-invalid', e.line('signals'), `signal /${source}/ is not a valid regular expression: ${(err as Error).message}`, 'escape special characters with \\');
    }
  });
}
