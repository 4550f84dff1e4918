// parseSession(source) -> Session. Pure: no file system, no clock.
// remark gives the block structure with exact offsets; tool-owned blocks are found by
// their marker lines and cut out of every answer before anything else reads it.
import { DEFAULT_LEVEL, isLevel, LEVELS } from './rubric.js';
import { append } from '../append.js';
import { toString } from 'mdast-util-to-string';
import type { Heading } from 'mdast';
import { ContentError } from '../errors.js';
import { readFrontmatter } from './frontmatter.js';
import { FORMAT_VERSION, STEPS, type SectionDef, type StepDef, type StepId } from '../method.js';
import { componentKey, inferType } from './components.js';
import { parseBlocks, type BlockCache } from './markdown.js';
import { extractChoices, extractEndpoints, extractComponents, extractDataModel, extractEdges, extractFailures } from './extract.js';
import type { AnswerLine, Diagnostic, Edge, FollowUpAnswer, Frontmatter, OwnedBlock, Section, Session, Span, Step, TypedText } from '../session.js';
import { LineIndex, normalizeName, slug } from '../text.js';
import type { ParseContext } from './context.js';
import { eachLine, FOLLOW_UP_KEY, isSdpText, readMarker } from './blocks.js';

export interface ParseOptions {
  /** Reuses the markdown nodes of chunks parsed before (see markdown.ts). */
  cache?: BlockCache;
}

export function parseSession(source: string, options: ParseOptions = {}): Session {
  if (source.replace(/^\uFEFF/, '').trim() === '') {
    throw ContentError.at('session-empty', 1, 'the session file is empty', 'create a session with `sdp new <question>`');
  }
  const fm = readFrontmatter(source);
  const frontmatter = validateFrontmatter(fm.data, fm.lineOf);
  const lines = new LineIndex(source);
  const diagnostics: Diagnostic[] = [];
  const owned = findOwnedBlocks(source, fm.bodyStart, lines, diagnostics);

  const blocks = parseBlocks(source.slice(fm.bodyStart), fm.bodyStart, lines.line(fm.bodyStart), options.cache);
  const nodes = blocks.filter((n) => !insideOwned(owned, n.position!.start.offset!));
  const ctx: ParseContext = { source, lines, owned, diagnostics, nodes, title: frontmatter.title };

  const steps = buildSteps(ctx);
  const questionBlock = owned.find((b) => b.kind === 'question');
  const session: Session = {
    frontmatter,
    question: questionBlock ? unquote(source.slice(questionBlock.inner.start, questionBlock.inner.end)) : '',
    bodyStart: fm.bodyStart,
    steps,
    owned,
    endpoints: [],
    workflows: [],
    components: [],
    wiring: [],
    replications: [],
    dataModel: [],
    choices: [],
    failures: [],
    lines: [],
    followUps: readFollowUps(source, owned, lines),
    diagnostics,
  };
  extractStructure(ctx, session);
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return session;
}

function validateFrontmatter(data: Record<string, unknown>, lineOf: (key: string) => number): Frontmatter {
  const version = data.sdp;
  if (version === undefined) {
    throw ContentError.at(
      'format-version-missing',
      2,
      'frontmatter has no `sdp:` format version, so this is not an sdp session',
      'add `sdp: 1` to the frontmatter, or create the session with `sdp new`',
    );
  }
  if (version !== FORMAT_VERSION) {
    throw ContentError.at(
      'format-version-unknown',
      lineOf('sdp'),
      `unknown session format version ${JSON.stringify(version)}; this sdp reads version ${FORMAT_VERSION}`,
      'upgrade sdp, or set `sdp: 1` if the file was written by hand',
    );
  }
  const question = data.question;
  if (typeof question !== 'string' || question.trim() === '') {
    throw ContentError.at('question-missing', lineOf('question'), 'frontmatter needs `question:` with the preset id, e.g. `question: airbnb`', 'run `sdp list` to see the ids');
  }
  const budget: Frontmatter['budget'] = {};
  if (data.budget !== undefined) {
    if (data.budget === null || typeof data.budget !== 'object' || Array.isArray(data.budget)) {
      throw ContentError.at('budget-invalid', lineOf('budget'), '`budget:` must map steps to minutes, e.g. `requirements: 5`', 'see the README for the session format');
    }
    for (const [key, minutes] of Object.entries(data.budget)) {
      const step = STEPS.find((s) => s.id === key);
      if (!step || typeof minutes !== 'number' || !(minutes >= 0)) {
        throw ContentError.at(
          'budget-invalid',
          lineOf('budget'),
          `budget entry \`${key}: ${String(minutes)}\` is not a step with a number of minutes`,
          `steps are: ${STEPS.map((s) => s.id).join(', ')}`,
        );
      }
      budget[step.id] = minutes;
    }
  }
  const samples: StepId[] = [];
  if (data.samples !== undefined) {
    const list = Array.isArray(data.samples) ? data.samples : [data.samples];
    for (const id of list) {
      const step = STEPS.find((s) => s.id === id);
      if (!step) throw ContentError.at('samples-invalid', lineOf('samples'), `\`samples:\` names "${String(id)}", which is not a step`, `steps are: ${STEPS.map((s) => s.id).join(', ')}`);
      samples.push(step.id);
    }
  }
  if (data.level !== undefined && !isLevel(data.level)) {
    throw ContentError.at('level-invalid', lineOf('level'), `\`level: ${String(data.level)}\` is not a level`, `use one of: ${LEVELS.join(', ')} (the default is ${DEFAULT_LEVEL})`);
  }
  const started = data.started;
  return {
    sdp: FORMAT_VERSION,
    question: question.trim(),
    title: typeof data.title === 'string' ? data.title : question.trim(),
    started: typeof started === 'string' ? started : undefined,
    budget,
    samples,
    level: isLevel(data.level) ? data.level : DEFAULT_LEVEL,
    raw: data,
  };
}

/** Follow-ups written by `watch --interview` or `practice`: each block's heading above it and the answer below. */
function readFollowUps(source: string, owned: OwnedBlock[], lines: LineIndex): FollowUpAnswer[] {
  return owned
    .filter((b) => b.kind === 'hint' && b.key.startsWith(FOLLOW_UP_KEY))
    .map((b) => {
      const before = source.slice(0, b.span.start).replace(/\s+$/, '');
      const headingStart = before.lastIndexOf('\n') + 1;
      const heading = /^## Follow-up:\s*(.*)$/.exec(before.slice(headingStart).replace(/\r$/, ''));
      const rest = source.slice(b.span.end);
      const next = /^#{1,2}\s/m.exec(rest);
      let answer = rest.slice(0, next ? next.index : rest.length);
      // Other sdp blocks inside the answer area are not the candidate's words.
      for (const other of owned.filter((o) => o.span.start >= b.span.end && o.span.end <= b.span.end + answer.length).reverse()) {
        answer = answer.slice(0, other.span.start - b.span.end) + answer.slice(other.span.end - b.span.end);
      }
      return { id: b.key.slice(FOLLOW_UP_KEY.length), ask: heading ? heading[1].trim() : '', line: lines.line(heading ? headingStart : b.span.start), answer: answer.replace(/\r\n/g, '\n').trim() };
    });
}

function findOwnedBlocks(source: string, from: number, lines: LineIndex, diagnostics: Diagnostic[]): OwnedBlock[] {
  const blocks: OwnedBlock[] = [];
  let open: { kind: OwnedBlock['kind']; key: string; start: number; innerStart: number } | undefined;
  eachLine(source, { start: from, end: source.length }, (offset, text, next) => {
    const marker = readMarker(text);
    if (!marker) return;
    if (!marker.closing) {
      if (open) diagnostics.push(markerWarning(lines, open.start, 'marker-unclosed', open.key, `hint block "${open.key}" has no end marker`));
      open = { kind: marker.kind, key: marker.key, start: offset, innerStart: next };
      return;
    }
    if (open && open.kind === marker.kind && open.key === marker.key) {
      const inner = { start: open.innerStart, end: offset };
      const typed = open.kind === 'hint' ? typedLines(source, inner, marker.mark) : [];
      blocks.push({ kind: open.kind, key: open.key, span: { start: open.start, end: next }, inner, ...(marker.mark ? { fingerprint: marker.mark } : {}), typed });
    } else {
      diagnostics.push(markerWarning(lines, offset, 'marker-unopened', marker.key, `end marker for "${marker.key}" has no matching start marker`));
    }
    open = undefined;
  });
  if (open) diagnostics.push(markerWarning(lines, open.start, 'marker-unclosed', open.key, `hint block "${open.key}" has no end marker`));
  return blocks;
}

/**
 * The lines a person typed inside a hint block: once the block is no longer sdp's text
 * (watch then keeps it as it is), its unquoted, non-blank lines. sdp writes only quoted lines.
 */
function typedLines(source: string, inner: Span, mark: string | undefined): Span[] {
  const text = source.slice(inner.start, inner.end);
  if (isSdpText(text.split('\n').slice(0, -1), mark)) return [];
  const spans: Span[] = [];
  eachLine(source, inner, (offset, line, next) => {
    if (line.trim() !== '' && !/^[ \t]*>/.test(line)) spans.push({ start: offset, end: next });
  });
  return spans;
}

/** Is the offset on a line the person typed inside a hint block? */
function typedAt(owned: OwnedBlock[], offset: number): boolean {
  return owned.some((b) => b.typed.some((t) => offset >= t.start && offset < t.end));
}

function markerWarning(lines: LineIndex, offset: number, id: 'marker-unclosed' | 'marker-unopened', key: string, message: string): Diagnostic {
  return {
    id,
    subject: key,
    severity: 'warning',
    line: lines.line(offset),
    column: 1,
    text: `${message}; its text is read as your answer`,
    hint: 'restore the marker line, or delete the whole hint block',
  };
}

function insideOwned(owned: OwnedBlock[], offset: number): boolean {
  return owned.some((b) => offset >= b.span.start && offset < b.span.end);
}

function unquote(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.replace(/^[ \t]*> ?/, ''))
    .join('\n')
    .trim();
}

// ---------------------------------------------------------------- headings

const NUMBERED = /^\s*(?:step\s*)?(\d+)\s*[.):\-–—]?\s*(.*)$/i;

function matchesName(text: string, names: string[]): boolean {
  const norm = normalizeName(text);
  return names.some((n) => {
    const name = normalizeName(n);
    return norm === name || norm.startsWith(`${name} `);
  });
}

function matchStep(text: string): StepDef | undefined {
  const numbered = NUMBERED.exec(text);
  if (numbered) {
    const byNumber = STEPS.find((s) => s.number === Number(numbered[1]));
    if (byNumber) return byNumber;
  }
  const rest = numbered ? numbered[2] : text;
  return STEPS.find((s) => matchesName(rest, [s.title, ...s.aliases]));
}

function matchSection(step: StepDef, text: string): SectionDef | undefined {
  const rest = text.replace(/^\s*(?:\d+(?:\.\d+)*|[a-z])[.)]\s+/i, '');
  return step.sections.find((s) => matchesName(rest, [s.title, ...s.aliases]));
}

function headingText(node: Heading): string {
  return toString(node).trim();
}

interface Draft {
  step: Step;
  depth: number;
}

function buildSteps(ctx: ParseContext): Step[] {
  const { nodes, lines, source } = ctx;
  const drafts = new Map<StepId, Draft>();
  let current: Draft | undefined;
  let section: Section | undefined;
  let sectionDepth = 0;
  let workflowCount = 0;

  const close = (at: number) => {
    if (section) section.span.end = at;
    if (current) current.step.span.end = at;
  };

  for (const node of nodes) {
    const start = node.position!.start.offset!;
    if (node.type !== 'heading') continue;
    const text = headingText(node);
    // The session's title (`# Design Airbnb`) is never a step, whatever words it uses.
    const isTitle = node.depth === 1 && normalizeName(text) === normalizeName(ctx.title);
    const stepDef = node.depth <= 2 && !isTitle && (!current || node.depth <= current.depth) ? matchStep(text) : undefined;
    if (stepDef) {
      close(start);
      section = undefined;
      const existing = drafts.get(stepDef.id);
      if (existing) {
        ctx.diagnostics.push({
          id: 'step-heading-twice',
          severity: 'warning',
          line: lines.line(start),
          column: 1,
          text: `step ${stepDef.number} (${stepDef.title}) has a second heading; both parts are read as one step`,
          hint: 'merge the two parts under one heading',
        });
        current = existing;
        current.step.span.end = source.length;
      } else {
        current = {
          depth: node.depth,
          step: { id: stepDef.id, number: stepDef.number, title: stepDef.title, present: true, line: lines.line(start), span: { start, end: source.length }, preamble: '', sections: [] },
        };
        drafts.set(stepDef.id, current);
      }
      continue;
    }
    if (!current) continue;
    if (node.depth <= current.depth) {
      // A heading of step rank that is not a step ends the step (a closing "Notes", say).
      close(start);
      current = undefined;
      section = undefined;
      continue;
    }
    if (section && node.depth > sectionDepth) continue; // a sub-heading inside a section's answer
    if (section) section.span.end = start;
    const def = STEPS.find((s) => s.id === current!.step.id)!;
    const known = matchSection(def, text);
    let id = known?.id ?? slug(text);
    let title = known?.title ?? text;
    if (def.id === 'workflows' && !known) {
      workflowCount += 1;
      id = `workflow-${workflowCount}`;
      title = workflowName(text, workflowCount);
    }
    if (known && current.step.sections.some((s) => s.id === id)) {
      ctx.diagnostics.push({
        id: 'section-twice',
        severity: 'warning',
        line: lines.line(start),
        column: 1,
        text: `"${text}" appears twice in step ${def.number}; only the first is read as ${known.title}`,
        hint: 'merge the two sections under one heading',
      });
      id = `${id}-${current.step.sections.length + 1}`;
    }
    section = { id, title, known: Boolean(known), line: lines.line(start), span: { start, end: current.step.span.end }, answer: '' };
    sectionDepth = node.depth;
    current.step.sections.push(section);
  }

  return STEPS.map((def) => {
    const draft = drafts.get(def.id);
    if (!draft) {
      return { id: def.id, number: def.number, title: def.title, present: false, line: 0, span: { start: 0, end: 0 }, preamble: '', sections: [] };
    }
    const step = draft.step;
    const headingEnd = lineAfter(source, step.span.start);
    const firstSection = step.sections[0]?.span.start ?? step.span.end;
    step.preamble = answerText(ctx, { start: headingEnd, end: firstSection });
    const typed = typedText(ctx, { start: headingEnd, end: firstSection });
    if (typed) step.typed = typed;
    for (const s of step.sections) {
      const body = { start: lineAfter(source, s.span.start), end: s.span.end };
      s.answer = answerText(ctx, body);
      const inside = typedText(ctx, body);
      if (inside) s.typed = inside;
    }
    return step;
  });
}

function workflowName(heading: string, n: number): string {
  const name = heading.replace(/^\s*(?:\d+[.)]\s*)?(?:workflow|flow)\s*\d*\s*[:.\-–—]?\s*/i, '').trim();
  return name || `Workflow ${n}`;
}

function lineAfter(source: string, offset: number): number {
  const nl = source.indexOf('\n', offset);
  return nl < 0 ? source.length : nl + 1;
}

/** The user's text in a span: owned blocks cut out (unless `typed`: then what was typed inside them stays), CRLF folded, blank edges trimmed. */
export function answerText(ctx: ParseContext, span: Span, typed = true): string {
  let text = '';
  let at = span.start;
  for (const block of ctx.owned) {
    if (block.span.end <= span.start || block.span.start >= span.end) continue;
    text += ctx.source.slice(at, Math.max(at, block.span.start));
    if (typed) for (const t of block.typed) text += ctx.source.slice(t.start, t.end);
    at = Math.max(at, block.span.end);
  }
  if (at < span.end) text += ctx.source.slice(at, span.end);
  return tidy(text);
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '');
}

/** What was typed inside the hint blocks of a span, when anything was. */
function typedText(ctx: ParseContext, span: Span): TypedText | undefined {
  const typed = ctx.owned.filter((b) => b.span.start >= span.start && b.span.start < span.end).flatMap((b) => b.typed);
  if (typed.length === 0) return undefined;
  return { line: ctx.lines.line(typed[0].start), text: tidy(typed.map((t) => ctx.source.slice(t.start, t.end)).join('')), outside: answerText(ctx, span, false) };
}

// ---------------------------------------------------------------- structure

function extractStructure(ctx: ParseContext, session: Session): void {
  const step = (id: StepId) => session.steps.find((s) => s.id === id)!;
  const within = (span: Span) => ctx.nodes.filter((n) => n.position!.start.offset! >= span.start && n.position!.start.offset! < span.end);

  session.lines = answerLines(ctx, session.steps);

  const api = step('api');
  if (api.present) {
    const headingEnd = lineAfter(ctx.source, api.span.start);
    append(session.endpoints, extractEndpoints(ctx, { start: headingEnd, end: api.sections[0]?.span.start ?? api.span.end }, true));
    for (const s of api.sections) append(session.endpoints, extractEndpoints(ctx, { start: lineAfter(ctx.source, s.span.start), end: s.span.end }, s.id !== 'internal'));
  }

  const workflows = step('workflows');
  if (workflows.present) {
    const preambleEnd = workflows.sections[0]?.span.start ?? workflows.span.end;
    const loose = extractEdges(ctx, { start: lineAfter(ctx.source, workflows.span.start), end: preambleEnd });
    if (loose.length) session.workflows.push({ name: 'Workflow', line: loose[0].line, edges: loose });
    for (const s of workflows.sections) {
      if (s.id === 'components') {
        append(session.components, extractComponents(ctx, within(s.span)));
      } else {
        session.workflows.push({ name: s.title, line: s.line, edges: extractEdges(ctx, s.span) });
      }
    }
  }

  const architecture = step('architecture');
  for (const s of architecture.sections) {
    if (s.id === 'wiring') append(session.wiring, extractEdges(ctx, s.span));
    if (s.id === 'data-model') append(session.dataModel, extractDataModel(ctx, within(s.span)));
  }
  for (const id of ['architecture', 'optimizations'] as const) {
    const st = step(id);
    if (!st.present) continue;
    append(
      session.choices,
      extractChoices(ctx, within(st.span), (offset) => sectionAt(st, offset)),
    );
  }
  const failures = step('failures');
  for (const s of failures.sections) append(session.failures, extractFailures(ctx, within(s.span), s.id));

  takeReplications(session);
  session.components = mergeComponents(session);
}

/**
 * `Inbox DB -> Inbox DB (other region): async replication` is a store copying to its own
 * replica: a fact about Inbox DB, not an edge to another database.
 */
function takeReplications(session: Session): void {
  const isCopy = (e: Edge) => e.replica !== undefined && componentKey(e.from) === componentKey(e.to);
  for (const e of [...session.workflows.flatMap((w) => w.edges), ...session.wiring]) {
    if (isCopy(e)) session.replications.push({ component: e.from, replica: e.replica!.to ?? e.replica!.from!, how: e.action, line: e.line });
  }
  for (const w of session.workflows) w.edges = w.edges.filter((e) => !isCopy(e));
  session.wiring = session.wiring.filter((e) => !isCopy(e));
}

/** Every non-blank line the candidate wrote in a step, with its section: for searches by position. */
function answerLines(ctx: ParseContext, steps: Step[]): AnswerLine[] {
  const out: AnswerLine[] = [];
  for (const step of steps) {
    if (!step.present) continue;
    eachLine(ctx.source, { start: lineAfter(ctx.source, step.span.start), end: step.span.end }, (offset, text) => {
      const section = step.sections.find((s) => offset >= s.span.start && offset < s.span.end);
      const isHeading = section !== undefined && offset === section.span.start;
      if (text.trim() !== '' && !isHeading && (!insideOwned(ctx.owned, offset) || typedAt(ctx.owned, offset))) {
        out.push({ step: step.id, section: section?.id ?? '', line: ctx.lines.line(offset), text });
      }
    });
  }
  return out;
}

function sectionAt(step: Step, offset: number): string {
  const s = step.sections.find((x) => offset >= x.span.start && offset < x.span.end);
  return s ? `${step.id}/${s.id}` : step.id;
}

/** Declared components first, in order, then any only named in workflows or wiring. */
function mergeComponents(session: Session): Session['components'] {
  const byKey = new Map<string, Session['components'][number]>();
  for (const c of session.components) if (!byKey.has(componentKey(c.name))) byKey.set(componentKey(c.name), c);
  const edges = [...session.workflows.flatMap((w) => w.edges), ...session.wiring];
  for (const e of edges) {
    for (const name of [e.from, e.to]) {
      const key = componentKey(name);
      if (!byKey.has(key)) byKey.set(key, { name, type: inferType(name), typed: false, responsibility: '' });
    }
  }
  // Copies named anywhere (a replica note on an edge, a replication line) belong to their component.
  const notes: [string, string | undefined][] = [
    ...edges.flatMap((e): [string, string | undefined][] => [
      [e.from, e.replica?.from],
      [e.to, e.replica?.to],
    ]),
    ...session.replications.map((r): [string, string] => [r.component, r.replica]),
  ];
  for (const [name, note] of notes) {
    const c = note && byKey.get(componentKey(name));
    if (c && !c.replicas?.includes(note)) byKey.set(componentKey(name), { ...c, replicas: [...(c.replicas ?? []), note] });
  }
  return [...byKey.values()];
}
