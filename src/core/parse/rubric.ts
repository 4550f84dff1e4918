// A preset's rubric (templates/rubrics/<id>.yaml): the key points a strong answer covers, the
// common pitfalls and the interviewer's follow-ups. Pure: text in, validated rubric out, and
// every problem reported at the line and column of the YAML node that holds it.
import YAML, { isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap } from 'yaml';
import { ContentError } from '../errors.js';
import { STEPS, type StepId } from '../method.js';

export const LEVELS = ['mid', 'senior', 'staff'] as const;
export type Level = (typeof LEVELS)[number];
export const DEFAULT_LEVEL: Level = 'senior';

export const FOLLOW_UP_KINDS = ['change', 'spike', 'failure', 'feature'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** Covered when every `all` pattern and no `not` pattern matches one unit of the answer. */
export interface Signal {
  all: RegExp[];
  not: RegExp[];
}

export interface KeyPoint {
  id: string;
  point: string;
  steps: StepId[];
  level: Level;
  why: string;
  strong: string;
  signals: Signal[];
  /** Line of the entry in the rubric file. */
  line: number;
}

export interface Pitfall {
  id: string;
  pitfall: string;
  steps: StepId[];
  why: string;
  signals: Signal[];
  line: number;
}

export interface FollowUp {
  id: string;
  kind: FollowUpKind;
  ask: string;
  line: number;
}

export interface Rubric {
  question: string;
  keyPoints: KeyPoint[];
  pitfalls: Pitfall[];
  followUps: FollowUp[];
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_BYTES = 256 * 1024;

/** True when `level` is expected of a candidate at `candidate` (mid < senior < staff). */
export function expectedAt(level: Level, candidate: Level): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(candidate);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/**
 * Parse one rubric. `fileId` is the file name without `.yaml`; `questions`, when given, is the
 * set of question ids the rubric may belong to.
 */
export function parseRubric(source: string, fileId: string, questions?: ReadonlySet<string>): Rubric {
  if (source.length > MAX_BYTES) throw ContentError.at('rubric-too-large', 1, `the rubric is larger than ${MAX_BYTES / 1024} KiB`, 'keep 5-8 key points, 2-4 pitfalls and 3-5 follow-ups');
  const counter = new LineCounter();
  const doc = YAML.parseDocument(source.replace(/\r\n?/g, '\n'), { schema: 'core', uniqueKeys: true, lineCounter: counter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const pos = counter.linePos(problem.pos[0]);
    throw ContentError.at('rubric-yaml', pos.line, `invalid YAML: ${problem.message.split('\n')[0]}`, 'fix the YAML (quote regexes that contain ": ", "#" or start with a special character)', pos.col);
  }
  const fail = (node: Node | null | undefined, message: string, hint?: string): never => {
    const offset = node?.range?.[0] ?? 0;
    const pos = counter.linePos(offset);
    throw ContentError.at('rubric-invalid', pos.line, message, hint, pos.col);
  };
  // Aliases would let one node stand for many entries; rubrics are small enough to spell out.
  YAML.visit(doc, { Alias: (_key, node) => void fail(node as unknown as Node, 'YAML aliases (*name) are not allowed in a rubric', 'write each entry out in full') });
  const root = doc.contents;
  if (!isMap(root)) fail(root, 'a rubric is a YAML mapping with `question`, `keyPoints`, `pitfalls` and `followUps`', 'start from the example in the README');
  const map = root as YAMLMap;
  const allowed = (m: YAMLMap, keys: string[], where: string) => {
    for (const pair of m.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!keys.includes(k)) fail(pair.key as Node, `${where} has an unknown key "${k}"`, `the keys are: ${keys.join(', ')}`);
    }
  };
  const text = (m: YAMLMap, key: string, where: string, example: string): string => {
    const node = m.get(key, true) as Node | undefined;
    if (!node) fail(m, `${where} has no \`${key}\``, `add \`${key}: ${example}\``);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.trim()) fail(node, `\`${key}\` of ${where} must be a line of text`, `e.g. ${key}: ${example}`);
    return (node as { value: string }).value.trim().replace(/\s+/g, ' ');
  };
  const list = (m: YAMLMap, key: string, where: string, min: number, max: number): Node[] => {
    const node = m.get(key, true) as Node | undefined;
    if (!node) fail(m, `${where} has no \`${key}\``, `add a \`${key}:\` list`);
    if (!isSeq(node)) fail(node, `\`${key}\` of ${where} must be a list`);
    const items = (node as { items: Node[] }).items;
    if (items.length < min || items.length > max)
      fail(node, `\`${key}\` of ${where} has ${items.length} entries; it needs ${min}-${max}`, items.length < min ? 'add entries' : 'keep the ones that matter most');
    return items;
  };
  const entryMap = (node: Node, where: string): YAMLMap => {
    if (!isMap(node)) fail(node, `${where} must be a mapping of keys (id, …)`);
    return node as YAMLMap;
  };
  const ids = new Map<string, number>();
  const id = (m: YAMLMap, where: string): string => {
    const value = text(m, 'id', where, 'no-double-booking');
    const node = m.get('id', true) as Node;
    if (!ID.test(value)) fail(node, `id "${value}" is not kebab-case`, 'lower-case words joined by dashes, e.g. no-double-booking');
    if (ids.has(value)) fail(node, `id "${value}" is used twice in this rubric (first on line ${ids.get(value)})`, 'give each entry its own id; history keys on it');
    ids.set(value, counter.linePos(node.range![0]).line);
    return value;
  };
  const steps = (m: YAMLMap, where: string): StepId[] => {
    const out: StepId[] = [];
    for (const item of list(m, 'steps', where, 1, STEPS.length)) {
      const step = isScalar(item) ? STEPS.find((s) => s.id === item.value) : undefined;
      if (!step) fail(item, `${where} names the step "${isScalar(item) ? String(item.value) : '?'}", which is not a step`, `steps are: ${STEPS.map((s) => s.id).join(' ')}`);
      out.push(step!.id);
    }
    return out;
  };
  const regex = (node: Node, where: string): RegExp => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value) fail(node, `a pattern of ${where} must be a quoted regex`, "e.g. - all: ['double[- ]?book', 'lock|unique']");
    const value = (node as { value: string }).value;
    try {
      return new RegExp(value, 'i');
    } catch (err) {
      return fail(
        node,
        `the pattern /${value}/ of ${where} is not a valid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
        'patterns are JavaScript regex source; escape ( [ { with a backslash when you mean the character',
      );
    }
    throw new Error('unreachable');
  };
  const signals = (m: YAMLMap, where: string): Signal[] =>
    list(m, 'signals', where, 1, 20).map((node) => {
      const s = entryMap(node, `a signal of ${where}`);
      allowed(s, ['all', 'not'], `a signal of ${where}`);
      const all = list(s, 'all', `a signal of ${where}`, 1, 6).map((n) => regex(n, where));
      const not = s.has('not') ? list(s, 'not', `a signal of ${where}`, 1, 10).map((n) => regex(n, where)) : [];
      for (const r of all) if (r.test('')) fail(node, `a pattern of ${where} matches empty text, so it matches every line`, 'make each pattern require at least one word');
      return { all, not };
    });
  const lineOf = (node: Node) => counter.linePos(node.range?.[0] ?? 0).line;

  allowed(map, ['question', 'keyPoints', 'pitfalls', 'followUps'], 'the rubric');
  const question = text(map, 'question', 'the rubric', fileId);
  if (question !== fileId)
    fail(map.get('question', true) as Node, `\`question: ${question}\` does not match the file name ${fileId}.yaml`, `rename the file to ${question}.yaml or set question: ${fileId}`);
  if (questions && !questions.has(question))
    fail(map.get('question', true) as Node, `there is no question "${question}" for this rubric`, 'add templates/questions/' + question + '.md, or name an existing question (sdp list)');

  const keyPoints = list(map, 'keyPoints', 'the rubric', 5, 8).map((node, i): KeyPoint => {
    const where = `key point ${i + 1}`;
    const m = entryMap(node, where);
    allowed(m, ['id', 'point', 'steps', 'level', 'why', 'strong', 'signals'], where);
    const k = id(m, where);
    const at = `key point "${k}"`;
    const levelNode = m.get('level', true) as Node | undefined;
    if (!levelNode) fail(m, `${at} has no \`level\``, 'add `level: mid`, `senior` or `staff` (the lowest level expected to raise it)');
    const level = isScalar(levelNode) ? levelNode.value : undefined;
    if (!isLevel(level)) fail(levelNode, `${at} has the level "${String(level)}"`, `use one of: ${LEVELS.join(', ')}`);
    return {
      id: k,
      point: text(m, 'point', at, 'Bookings never double-book the same nights'),
      steps: steps(m, at),
      level: level as Level,
      why: text(m, 'why', at, 'what goes wrong without it'),
      strong: text(m, 'strong', at, 'what a strong answer says'),
      signals: signals(m, at),
      line: lineOf(node),
    };
  });
  const pitfalls = list(map, 'pitfalls', 'the rubric', 2, 4).map((node, i): Pitfall => {
    const where = `pitfall ${i + 1}`;
    const m = entryMap(node, where);
    allowed(m, ['id', 'pitfall', 'steps', 'why', 'signals'], where);
    const k = id(m, where);
    const at = `pitfall "${k}"`;
    return {
      id: k,
      pitfall: text(m, 'pitfall', at, 'Deciding bookings from a cached view'),
      steps: steps(m, at),
      why: text(m, 'why', at, 'what goes wrong'),
      signals: signals(m, at),
      line: lineOf(node),
    };
  });
  const followUps = list(map, 'followUps', 'the rubric', 3, 5).map((node, i): FollowUp => {
    const where = `follow-up ${i + 1}`;
    const m = entryMap(node, where);
    allowed(m, ['id', 'kind', 'ask'], where);
    const k = id(m, where);
    const kindNode = m.get('kind', true) as Node | undefined;
    const kind = isScalar(kindNode) ? kindNode.value : undefined;
    if (!(FOLLOW_UP_KINDS as readonly unknown[]).includes(kind)) fail(kindNode ?? m, `follow-up "${k}" has the kind "${String(kind ?? '')}"`, `use one of: ${FOLLOW_UP_KINDS.join(', ')}`);
    return { id: k, kind: kind as FollowUpKind, ask: text(m, 'ask', `follow-up "${k}"`, 'A host cancels a confirmed booking. What happens?'), line: lineOf(node) };
  });
  return { question, keyPoints, pitfalls, followUps };
}
