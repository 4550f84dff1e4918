// The per-run context: indexes every rule reads, built once per checkSession call. The memo
// caches live here, not in the module, so checking one session never leaks into the next.
import { componentKey, isDataStore } from '../parse/components.js';
import type { StepId } from '../method.js';
import type { Playbook } from '../parse/playbook.js';
import type { AnswerLine, Component, Edge, Session } from '../session.js';
import { normalizeName } from '../text.js';
import { readEstimate, type Estimate } from './estimate.js';
import { GENERIC_NAME_WORDS, TECH } from './match.js';

export interface Aliases {
  exact: string[];
  words: string[];
}

export interface CheckOptions {
  /** The tactic playbook and failure catalogue (templates/playbook): hints offer its options, step 7's categories come from it. */
  playbook?: Playbook;
}

export interface CheckContext extends CheckOptions {
  session: Session;
  lines: AnswerLine[];
  /** Lines joined into the sentences or list items they belong to (soft wraps undone). */
  units: AnswerLine[];
  /** The units cut at sentence ends: "next to its name" means in the same sentence. */
  sentences: AnswerLine[];
  /** Workflow and wiring edges. */
  edges: Edge[];
  /** Every component that takes part in an edge, by key. */
  used: Set<string>;
  estimate: Estimate;
  /** The line of a step's heading (or of one of its sections). */
  stepLine(step: StepId, section?: string): number;
  /** Is the step in the file at all? */
  present(step: StepId): boolean;
  /** Texts whose presence in a line means the line talks about this component. */
  aliases(c: Component): Aliases;
  /** Does this line talk about that component (its name, or a technology only it uses)? */
  mentions(line: string, c: Component): boolean;
  /** Like `mentions`, or any distinctive word of the name ("booking" for "Booking DB"). */
  mentionsLoosely(line: string, c: Component): boolean;
  /**
   * Does what `pattern` states in this line belong to that component? When the line names
   * several, each statement goes to the one named nearest to it (with the names listed next
   * to it): "On Metadata Cache misses, reads go to a Metadata DB replica" gives the replica to
   * Metadata DB. `loose`: a distinctive word of the name counts as naming it.
   */
  credited(line: string, pattern: RegExp, c: Component, loose?: boolean): boolean;
  component(name: string, byKey?: boolean): Component | undefined;
  /** The line of the first edge a component takes part in. */
  firstUse(c: Component): number;
}

function kind(c: Component): string {
  return isDataStore(c.type) ? 'store' : c.type;
}

function techOf(c: Component): string[] {
  return [...new Set([...c.responsibility.matchAll(TECH), ...c.name.matchAll(TECH)].map((m) => m[1].toLowerCase()))];
}

function count<T>(map: Map<T, number>, key: T): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A line continues the previous one when it follows it directly and starts no new block. */
export function joinWrapped(lines: AnswerLine[]): AnswerLine[] {
  const out: AnswerLine[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    const starts = /^\s*([-*+]|\d+[.)])\s|^\s*(#|\||```|~~~|>)/.test(l.text);
    if (prev && !starts && prev.line + prev.text.split('\n').length === l.line && prev.step === l.step && prev.section === l.section) {
      out[out.length - 1] = { ...prev, text: `${prev.text}\n${l.text}` };
    } else out.push(l);
  }
  return out;
}

/** The units cut at sentence ends: "next to its name" means in the same sentence. */
export function splitSentences(units: AnswerLine[]): AnswerLine[] {
  return units.flatMap((u) => u.text.split(/(?<=[.!?;])\s+(?=[A-Z0-9`*])/).map((text) => ({ ...u, text })));
}

export function createContext(session: Session, options: CheckOptions = {}): CheckContext {
  // How many components name each technology or word: "MySQL" names a store only when one store uses it.
  const techUse = new Map<string, number>();
  const wordUse = new Map<string, number>();
  for (const c of session.components) {
    for (const t of techOf(c)) count(techUse, t);
    for (const w of new Set(normalizeName(c.name).split(' '))) count(wordUse, `${kind(c)} ${w}`);
  }
  const edges = [...session.workflows.flatMap((w) => w.edges), ...session.wiring];
  const units = joinWrapped(session.lines);

  // Rules ask "does this line talk about that component?" for every pair: memoise the
  // normalised lines and each component's aliases, or a 2,000-line session costs seconds.
  const normalised = new Map<string, string>();
  const norm = (text: string): string => {
    let n = normalised.get(text);
    if (n === undefined) normalised.set(text, (n = ` ${normalizeName(text)} `));
    return n;
  };
  const aliasCache = new Map<Component, Aliases>();
  const aliases = (c: Component): Aliases => {
    let a = aliasCache.get(c);
    if (!a) {
      const name = normalizeName(c.name).replace(/^(?:the|a|an) /, '');
      const tech = techOf(c).filter((t) => (techUse.get(t) ?? 0) <= 1);
      // A word two stores (or two externals…) share, "metadata" in Metadata DB and Metadata Cache, names neither.
      const words = name.split(' ').filter((w) => w.length > 2 && !GENERIC_NAME_WORDS.has(w) && (wordUse.get(`${kind(c)} ${w}`) ?? 0) <= 1);
      aliasCache.set(c, (a = { exact: [...new Set([name, ...tech])].filter(Boolean), words }));
    }
    return a;
  };
  const contains = (line: string, texts: string[]) => {
    const text = norm(line);
    return texts.some((a) => text.includes(` ${a} `) || text.includes(` ${a}s `));
  };
  const mentions = (line: string, c: Component) => contains(line, aliases(c).exact);

  // Where each component is named in a normalised line: [start, end) offsets.
  const spans = (text: string, c: Component, loose: boolean): [number, number][] => {
    const out: [number, number][] = [];
    for (const a of loose ? [...aliases(c).exact, ...aliases(c).words] : aliases(c).exact) {
      for (const form of [` ${a} `, ` ${a}s `]) {
        for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) out.push([i + 1, i + form.length - 1]);
      }
    }
    return out;
  };
  const globals = new Map<RegExp, RegExp>();
  const credited = (line: string, pattern: RegExp, c: Component, loose = false): boolean => {
    const text = norm(line);
    const own = spans(text, c, loose);
    if (own.length === 0) return false;
    const named = session.components.map((x) => ({ c: x, at: x === c ? own : spans(text, x, loose) })).filter((x) => x.at.length > 0);
    if (named.length === 1) return true;
    let global = globals.get(pattern);
    if (!global) globals.set(pattern, (global = new RegExp(pattern.source, 'gi')));
    // Names side by side ("Booking DB and Listing DB") share what follows them.
    const mentions = named.flatMap((x) => x.at.map(([start, end]) => ({ c: x.c, start, end }))).sort((a, b) => a.start - b.start);
    const group = (i: number) => {
      let lo = i;
      let hi = i;
      const glue = (a: number, b: number) => /^(?:\s|,|and|or|both|the|&|\/)*$/.test(text.slice(mentions[a].end, mentions[b].start));
      while (lo > 0 && glue(lo - 1, lo)) lo--;
      while (hi < mentions.length - 1 && glue(hi, hi + 1)) hi++;
      return mentions.slice(lo, hi + 1).map((m) => m.c);
    };
    for (const m of text.matchAll(global)) {
      const from = m.index;
      const to = m.index + m[0].length;
      const distance = (x: { start: number; end: number }) => (x.end <= from ? from - x.end : x.start >= to ? x.start - to : 0);
      let best = 0;
      mentions.forEach((x, i) => {
        if (distance(x) < distance(mentions[best])) best = i;
      });
      if (group(best).includes(c)) return true;
    }
    return false;
  };

  return {
    ...options,
    session,
    lines: session.lines,
    units,
    sentences: splitSentences(units),
    edges,
    used: new Set(edges.flatMap((e) => [componentKey(e.from), componentKey(e.to)])),
    estimate: readEstimate(session.lines),
    stepLine(stepId, sectionId) {
      const step = session.steps.find((s) => s.id === stepId)!;
      const section = sectionId ? step.sections.find((s) => s.id === sectionId) : undefined;
      return section?.line || step.line || 1;
    },
    present: (stepId) => session.steps.find((s) => s.id === stepId)!.present,
    aliases,
    mentions,
    mentionsLoosely: (line, c) => mentions(line, c) || contains(line, aliases(c).words),
    credited,
    component(name, byKey = false) {
      const key = byKey ? name : componentKey(name);
      return session.components.find((c) => componentKey(c.name) === key);
    },
    firstUse(c) {
      const key = componentKey(c.name);
      return edges.find((e) => componentKey(e.from) === key || componentKey(e.to) === key)?.line ?? 1;
    },
  };
}
