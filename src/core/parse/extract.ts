// Structure read out of the candidate's answers: workflow edges, components, the data
// model, choices and failure entries. Each extractor reads source slices (never
// re-stringified markdown) so names and labels stay exactly as typed.
import { append } from '../append.js';
import type { List, ListItem, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { inferType, readNames, typeFromTag, COMPONENT_TYPES } from './components.js';
import type { ParseContext } from './context.js';
import { eachLine } from './blocks.js';
import type { Choice, Component, DataEntity, Edge, Endpoint, FailureEntry, Span } from '../session.js';

const ARROW = /-{1,2}>>?|→|⟶|=>/;
const LIST_MARKER = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/;
const STEP_PREFIX = /^(?:step[ \t]*)?\d+(?:\.\d+)*[.):]?[ \t]+/i;
const EDGE_HINT = 'ComponentA -> ComponentB: action';
const MAX_NAME_WORDS = 8;

function plain(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function offsetOf(node: { position?: { start: { offset?: number } } }): number {
  return node.position!.start.offset!;
}

function endOf(node: { position?: { end: { offset?: number } } }): number {
  return node.position!.end.offset!;
}

/** Spans sdp owns, less the lines typed inside them (those are the person's answer). */
function ownedSkips(ctx: ParseContext): Span[] {
  return ctx.owned.flatMap((b) => {
    const out: Span[] = [];
    let at = b.span.start;
    for (const t of b.typed) {
      out.push({ start: at, end: t.start });
      at = t.end;
    }
    out.push({ start: at, end: b.span.end });
    return out;
  });
}

/** Spans of fenced or indented code, where arrows are not workflow steps. */
function codeSpans(ctx: ParseContext): Span[] {
  return ctx.nodes.filter((n) => n.type === 'code' || n.type === 'html').map((n) => ({ start: offsetOf(n), end: endOf(n) }));
}

export function extractEdges(ctx: ParseContext, span: Span): Edge[] {
  const edges: Edge[] = [];
  const skip = [...ownedSkips(ctx), ...codeSpans(ctx)];
  eachLine(ctx.source, span, (offset, raw) => {
    if (skip.some((s) => offset >= s.start && offset < s.end) || /^\s*#/.test(raw)) return;
    edges.push(...parseEdgeLine(ctx, raw, offset));
  });
  return edges;
}

/**
 * One written hop, read as edges: a list on either side (`Chat Server -> Sender App,
 * Recipient App`) is one edge per pair; `Chat Server (B)` is Chat Server; a replica note
 * (`Inbox DB (other region)`) stays on the edge, off the name.
 */
function parseEdgeLine(ctx: ParseContext, raw: string, offset: number): Edge[] {
  const hop = parseHop(ctx, raw, offset);
  if (!hop) return [];
  const edges: Edge[] = [];
  for (const from of readNames(hop.from)) {
    for (const to of readNames(hop.to)) {
      const replica = from.replica || to.replica ? { ...(from.replica ? { from: from.replica } : {}), ...(to.replica ? { to: to.replica } : {}) } : undefined;
      edges.push({ from: from.name, to: to.name, action: hop.action, line: hop.line, ...(replica ? { replica } : {}) });
    }
  }
  return edges;
}

function parseHop(ctx: ParseContext, raw: string, offset: number): Edge | undefined {
  const text = plain(raw.replace(LIST_MARKER, '').trimStart().replace(STEP_PREFIX, ''));
  const arrow = ARROW.exec(text);
  if (!arrow) return undefined;
  const line = ctx.lines.line(offset);
  const column = raw.length - raw.trimStart().length + 1;
  const fail = (why: string): undefined => {
    ctx.diagnostics.push({ id: 'edge-unparsed', severity: 'warning', line, column, text: `"${clip(text)}" looks like a workflow step but does not parse: ${why}`, hint: EDGE_HINT });
    return undefined;
  };
  const from = text.slice(0, arrow.index).trim();
  const rest = text.slice(arrow.index + arrow[0].length);
  const colon = rest.indexOf(':');
  const to = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const action = colon < 0 ? '' : rest.slice(colon + 1).trim();
  if (!from) return fail('no component before the arrow');
  if (!to) return fail('no component after the arrow');
  if (ARROW.test(to)) return fail('one hop per line; split the chain into one line per arrow');
  if (from.includes(':')) return fail(`the name before the arrow contains ":"`);
  if (from.split(' ').length > MAX_NAME_WORDS || to.split(' ').length > MAX_NAME_WORDS) return fail('a component name is a sentence; name the components and put the sentence after ":"');
  return { from, to, action, line };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------- endpoints

/** `GET /x`, also split over table cells (`| GET | /x |`) or wrapped in code spans. */
const HTTP_ENDPOINT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|WS|WSS)\b[\s|`*]*(\/[^\s`|*,;)\]]*)/g;
/** `bookStay(listingId, dates)`: a camelCase, dotted or snake_case name followed by `(`. */
const RPC_ENDPOINT = /^[\s>*+\-|`\d.)]*`?([A-Za-z][A-Za-z0-9]*\.[A-Za-z]\w*|[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*|_[a-z]\w*)+)\s*\(/;

/** `rpc SendMessage(SendRequest) returns (…)` in a .proto block, or `SendMessage(req)`. */
const GRPC_ENDPOINT = /^[\s>*+\-|`\d.)]*`?(?:rpc\s+([A-Z]\w*)|([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+))\s*\(/;
/** Where a frame goes: `→ send`, `C→S send`, `client -> server: send` up; `← message`, `S→C` down. */
const DIRECTION = /^(?:(client|server|c|s)\s*(?:→|->|⟶)\s*(?:client|server|c|s)\s*:?\s*|(→|->|⟶|↑|⬆)\s*|(←|<-|⟵|↓|⬇)\s*)/i;
/** A frame: a lower-case name (`presence-sub`, `send`, `typing_start`) and its payload `{…}`. */
const FRAME = /^`?([a-z][a-z0-9]*(?:[-_.:/][a-z0-9]+)*)`?[\s|`]*(?:frame[\s|`]*)?\{/;
/** `event order.created`, `Events \`PostCreated {…}\` and \`PostRemoved\``, `\`FileChanged\` event`. */
const EVENT_WORD = /\bevents?\b/i;
const EVENT_NAME = /(?:\bevents?\s+`?|`)([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:[._][a-z][a-z0-9]*)+)\b`?/g;

/** The APIs one line of step 3 declares: HTTP endpoints, else an RPC, a frame or events. */
function endpointsOf(text: string): Omit<Endpoint, 'external' | 'text' | 'line'>[] {
  const http = [...text.matchAll(HTTP_ENDPOINT)];
  if (http.length) return http.map((m) => ({ kind: 'http', method: m[1], path: m[2] }));
  const rpc = RPC_ENDPOINT.exec(text) ?? GRPC_ENDPOINT.exec(text);
  if (rpc) return [{ kind: 'rpc', method: 'RPC', path: rpc[1] ?? rpc[2] }];
  const bare = text.replace(/^[\s>*+\-|]*(?:\d+[.)]\s*)?/, '');
  const dir = DIRECTION.exec(bare);
  const frame = FRAME.exec(dir ? bare.slice(dir[0].length) : bare);
  if (frame && !EVENT_WORD.test(text.slice(0, 12))) {
    const down = dir && (dir[3] || /^s/i.test(dir[1] ?? ''));
    return [{ kind: 'ws-frame', method: 'FRAME', path: frame[1], ...(dir ? { direction: down ? 'down' : 'up' } : {}) }];
  }
  if (EVENT_WORD.test(text)) return [...new Set([...text.matchAll(EVENT_NAME)].map((m) => m[1]))].map((path) => ({ kind: 'event', method: 'EVENT', path }));
  return [];
}

export function extractEndpoints(ctx: ParseContext, span: Span, external: boolean): Endpoint[] {
  const out: Endpoint[] = [];
  const skip = ownedSkips(ctx);
  eachLine(ctx.source, span, (offset, text) => {
    if (skip.some((s) => offset >= s.start && offset < s.end) || /^\s*#/.test(text)) return;
    const line = ctx.lines.line(offset);
    for (const e of endpointsOf(text)) out.push({ ...e, external, text, line });
  });
  return out;
}

// ---------------------------------------------------------------- lists

interface Head {
  text: string;
  line: number;
  offset: number;
}

/** The first line (paragraph) of a list item, soft wraps joined. */
function itemHead(ctx: ParseContext, item: ListItem): Head | undefined {
  const first = item.children[0];
  if (!first || first.type !== 'paragraph') return undefined;
  const text = ctx.source.slice(offsetOf(first), endOf(first)).replace(/\s*\r?\n\s*/g, ' ');
  return { text, line: ctx.lines.line(offsetOf(first)), offset: offsetOf(first) };
}

function* listItems(nodes: RootContent[], deep: boolean): Generator<ListItem> {
  for (const node of nodes) {
    if (node.type !== 'list') continue;
    for (const item of (node as List).children) {
      yield item;
      if (deep) yield* listItems(item.children as RootContent[], deep);
    }
  }
}

/** Split `Name: rest`, `Name - rest` or `Name — rest`. */
function splitKey(text: string): [string, string] | undefined {
  const m = /^(.+?)(?:\s*:\s+|\s*:$|\s+[-–—]\s+)(.*)$/.exec(text);
  return m ? [m[1].trim(), m[2].trim()] : undefined;
}

// ---------------------------------------------------------------- components

export function extractComponents(ctx: ParseContext, nodes: RootContent[]): Component[] {
  const out: Component[] = [];
  for (const item of listItems(nodes, false)) {
    const head = itemHead(ctx, item);
    if (!head) continue;
    const c = parseComponent(ctx, head);
    if (c) out.push(...expandNames(c));
  }
  for (const table of nodes.filter((n): n is Table => n.type === 'table')) append(out, componentsFromTable(ctx, table));
  return out.sort((a, b) => a.line! - b.line!);
}

function parseComponent(ctx: ParseContext, head: Head): Component | undefined {
  let text = head.text;
  let tag: string | undefined;
  const bracket = /\[([^\]]{1,30})\]/.exec(text);
  if (bracket) {
    tag = bracket[1];
    text = (text.slice(0, bracket.index) + text.slice(bracket.index + bracket[0].length)).replace(/\s+/g, ' ');
  } else {
    const paren = /\(([^)]{1,30})\)/.exec(text);
    if (paren && typeFromTag(paren[1])) {
      tag = paren[1];
      text = (text.slice(0, paren.index) + text.slice(paren.index + paren[0].length)).replace(/\s+/g, ' ');
    }
  }
  const parts = splitKey(plain(text));
  const name = plain(parts ? parts[0] : text).replace(/[:\s]+$/, '');
  if (!name) return undefined;
  let type = tag ? typeFromTag(tag) : undefined;
  if (tag && !type) {
    ctx.diagnostics.push({
      id: 'component-type-unknown',
      severity: 'warning',
      line: head.line,
      column: 1,
      text: `unknown component type [${tag}] for "${name}"; the type is guessed from the name`,
      hint: `use one of ${COMPONENT_TYPES.join(', ')}`,
    });
  }
  return { name, type: type ?? inferType(name), typed: Boolean(type), responsibility: parts ? parts[1] : '', line: head.line };
}

function cellTexts(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => plain(toString(cell))));
}

function componentsFromTable(ctx: ParseContext, table: Table): Component[] {
  const [header, ...rows] = cellTexts(table);
  const col = (re: RegExp) => header.findIndex((h) => re.test(h.toLowerCase()));
  const nameCol = Math.max(0, col(/component|name|service/));
  const typeCol = col(/^type|kind/);
  const roleCol = col(/responsib|role|purpose|description|does/);
  return rows
    .map((cells, i) => {
      const name = cells[nameCol] ?? '';
      const tagged = typeCol >= 0 ? typeFromTag(cells[typeCol] ?? '') : undefined;
      const line = ctx.lines.line(offsetOf(table.children[i + 1]));
      return { name, type: tagged ?? inferType(name), typed: Boolean(tagged), responsibility: roleCol >= 0 ? (cells[roleCol] ?? '') : '', line };
    })
    .filter((c) => c.name !== '')
    .flatMap(expandNames);
}

/** A row or bullet naming several components (`Sender App, Recipient App`) is one per name; `X (A, B)` is X with two instances. */
function expandNames(c: Component): Component[] {
  return readNames(c.name).map((ref) => ({
    ...c,
    name: ref.name,
    type: c.typed ? c.type : inferType(ref.name),
    ...(ref.instances ? { instances: ref.instances } : {}),
    ...(ref.replica ? { replicas: [ref.replica] } : {}),
  }));
}

// ---------------------------------------------------------------- data model

const SQL_TABLE = /create\s+table\s+(?:if\s+not\s+exists\s+)?[`"[]?([\w.]+)[`"\]]?\s*\(/gi;

/** `CREATE TABLE name (...)` statements: the name and the text inside the matching parentheses. */
function* sqlTables(code: string): Generator<{ name: string; body: string; index: number }> {
  for (const m of code.matchAll(SQL_TABLE)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      if (code[i] === ')') depth--;
    }
    yield { name: m[1], body: code.slice(start, depth === 0 ? i - 1 : i), index: m.index };
  }
}

export function extractDataModel(ctx: ParseContext, nodes: RootContent[]): DataEntity[] {
  const out: DataEntity[] = [];
  let label: { name: string; line: number } | undefined;
  for (const node of nodes.slice(1)) {
    const line = ctx.lines.line(offsetOf(node));
    if (node.type === 'heading') {
      label = { name: plain(toString(node)), line };
    } else if (node.type === 'code') {
      for (const t of sqlTables(node.value)) {
        // +1 for the opening fence line.
        const at = line + node.value.slice(0, t.index).split('\n').length;
        out.push({ name: t.name, fields: splitTopLevel(t.body, ','), line: at });
      }
    } else if (node.type === 'table') {
      append(out, entitiesFromTable(ctx, node, label));
      label = undefined;
    } else if (node.type === 'paragraph') {
      const lines = ctx.source.slice(offsetOf(node), endOf(node)).split(/\r?\n/);
      lines.forEach((text, i) => {
        const e = entityFromLine(text, line + i);
        if (e && e.fields.length) out.push(e);
        else if (e && i === lines.length - 1) label = { name: e.name, line: e.line };
      });
    } else if (node.type === 'list') {
      const loose: string[] = [];
      for (const item of (node as List).children) {
        const head = itemHead(ctx, item);
        if (!head) continue;
        const e = entityFromLine(head.text, head.line);
        const nested = [...listItems(item.children as RootContent[], false)]
          .map((i) => itemHead(ctx, i)?.text ?? '')
          .map(plain)
          .filter(Boolean);
        if (e && e.fields.length) out.push(e);
        else if (nested.length) out.push({ name: e?.name ?? plain(head.text), fields: nested, line: head.line });
        else loose.push(plain(head.text));
      }
      if (label && loose.length) out.push({ name: label.name, fields: loose, line: label.line });
      label = undefined;
    }
  }
  return out;
}

function entityFromLine(text: string, line: number): DataEntity | undefined {
  const parts = splitKey(plain(text.replace(LIST_MARKER, '')));
  if (!parts) return undefined;
  const name = parts[0].replace(/\s*\([^)]*\)\s*$/, '').trim();
  if (!name || name.split(' ').length > 5) return undefined;
  const fields = parts[1] ? splitTopLevel(parts[1], ',;') : [];
  return { name, fields, line };
}

/** Split on separators outside parentheses: `status enum(free, held), id uuid` is two fields. */
function splitTopLevel(body: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

function entitiesFromTable(ctx: ParseContext, table: Table, label: { name: string; line: number } | undefined): DataEntity[] {
  const [header, ...rows] = cellTexts(table);
  const lower = header.map((h) => h.toLowerCase());
  const entityCol = lower.findIndex((h) => /^(entity|table|store|collection|model|name)$/.test(h));
  const fieldsCol = lower.findIndex((h) => /field|column|attribute|schema|key/.test(h));
  if (entityCol >= 0 && fieldsCol >= 0) {
    // Keys, indexes and partitioning in columns of their own are part of the schema too.
    const keyCols = lower.map((h, i) => (i !== entityCol && i !== fieldsCol && /key|index|partition|sort|primary|unique|shard/.test(h) ? i : -1)).filter((i) => i >= 0);
    return rows.map((cells, i) => ({
      name: cells[entityCol],
      fields: [...splitTopLevel(cells[fieldsCol] ?? '', ',;'), ...keyCols.filter((c) => cells[c]).map((c) => `${header[c]}: ${cells[c]}`)],
      line: ctx.lines.line(offsetOf(table.children[i + 1])),
    }));
  }
  const name = label?.name ?? 'Table';
  // One row per field: its name, type and whatever else the row says (key, index, notes).
  const fields = rows.map((cells) => cells.filter(Boolean).join(' ')).filter(Boolean);
  return [{ name, fields, line: label?.line ?? ctx.lines.line(offsetOf(table)) }];
}

// ---------------------------------------------------------------- choices

const CHOICE = /^(?:[-*+]\s+)?(?:choice|decision)\s*:\s*(.*)$/i;
const PART = /^(why|reasons?|because|alternatives?|alternatives considered|instead of|trade-?offs?|cost|downsides?)\s*:\s*(.*)$/i;

export function extractChoices(ctx: ParseContext, nodes: RootContent[], where: (offset: number) => string): Choice[] {
  const out: Choice[] = [];
  for (const item of listItems(nodes, true)) {
    const head = itemHead(ctx, item);
    if (!head) continue;
    // Why / Alternatives / Trade-off may be nested bullets or continuation lines of the item.
    const lines = ctx.source
      .slice(head.offset, endOf(item))
      .split(/\r?\n/)
      .map((l) => plain(l.replace(LIST_MARKER, '')));
    const firstPart = lines.findIndex((l, i) => i > 0 && PART.test(l));
    const headText = lines.slice(0, firstPart < 0 ? 1 : firstPart).join(' ');
    const m = CHOICE.exec(headText);
    if (!m) continue;
    // "Choice: X. Why: … Alternatives: … Trade-off: …" on one line counts as the nested form.
    const inline = m[1].split(/\s+(?=(?:why|reasons?|because|alternatives?|instead of|trade-?offs?|downsides?)\s*:)/i);
    const choice: Choice = { where: where(head.offset), text: inline[0].replace(/[.;,]\s*$/, '').trim(), line: head.line };
    for (const line of [...inline.slice(1), ...lines.slice(1)]) {
      const part = PART.exec(line);
      if (!part) continue;
      const key = part[1].toLowerCase();
      const value = part[2].trim();
      if (/^(why|reason|because)/.test(key)) choice.why ??= value;
      else if (/^(alternative|instead)/.test(key)) choice.alternatives ??= value;
      else choice.tradeoff ??= value;
    }
    out.push(choice);
  }
  return out;
}

// ---------------------------------------------------------------- failures

export function extractFailures(ctx: ParseContext, nodes: RootContent[], section: string): FailureEntry[] {
  const out: FailureEntry[] = [];
  for (const item of listItems(nodes, false)) {
    const head = itemHead(ctx, item);
    if (!head) continue;
    const parts = splitKey(plain(head.text));
    out.push({ section, failure: parts ? parts[0] : plain(head.text), mitigation: parts ? parts[1] : '', line: head.line });
  }
  return out;
}
