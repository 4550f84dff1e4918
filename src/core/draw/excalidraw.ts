// Session -> Excalidraw scene (a `.excalidraw` file). The same graph as the mermaid
// architecture flowchart (diagram.ts): every component in `session.components` order,
// workflow and wiring edges merged per ordered pair, wiring-only edges dashed. Laid out
// with dagre (left to right); everything is derived from the session, so the same
// session gives the same bytes: ids and seeds are hashes of component keys and roles,
// `updated` is a constant, and no clock or random number is read.
//
// Excalidraw has no DOM-free text measurement, so text sizes are estimated generously
// from the characters; Excalidraw re-measures and re-centres bound text when its fonts
// load, and because shapes are sized for the estimate the text still fits.
import { Graph, layout } from '@dagrejs/dagre';
import { componentKey } from '../parse/components.js';
import type { ComponentType, Edge, Session } from '../session.js';

// ---------------------------------------------------------------------------
// The file format (the subset sdp writes; field names as Excalidraw's own types)
// ---------------------------------------------------------------------------

export type ExcalidrawFillStyle = 'hachure' | 'cross-hatch' | 'solid' | 'zigzag';
export type ExcalidrawStrokeStyle = 'solid' | 'dashed' | 'dotted';

export interface ExcalidrawBoundElement {
  type: 'arrow' | 'text';
  id: string;
}

export interface ExcalidrawElementBase {
  id: string;
  type: 'rectangle' | 'ellipse' | 'diamond' | 'text' | 'arrow';
  x: number;
  y: number;
  width: number;
  height: number;
  angle: number;
  strokeColor: string;
  backgroundColor: string;
  fillStyle: ExcalidrawFillStyle;
  strokeWidth: number;
  strokeStyle: ExcalidrawStrokeStyle;
  roughness: number;
  opacity: number;
  groupIds: string[];
  frameId: string | null;
  /** Fractional index (rocicorp/fractional-indexing), increasing in array order. */
  index: string;
  /** 2 = proportional radius (ellipses, diamonds, curved arrows), 3 = adaptive radius (rounded rectangles). */
  roundness: { type: 1 | 2 | 3 } | null;
  seed: number;
  version: number;
  versionNonce: number;
  isDeleted: boolean;
  /** What is bound to this element ([] when nothing, as Excalidraw's restore writes it). */
  boundElements: ExcalidrawBoundElement[];
  updated: number;
  link: string | null;
  locked: boolean;
}

export interface ExcalidrawShape extends ExcalidrawElementBase {
  type: 'rectangle' | 'ellipse' | 'diamond';
}

export interface ExcalidrawText extends ExcalidrawElementBase {
  type: 'text';
  /** What is drawn: `originalText` wrapped to the container (lines broken at spaces). */
  text: string;
  fontSize: number;
  /** 5 = Excalifont, Excalidraw's default hand-drawn font. */
  fontFamily: number;
  textAlign: 'left' | 'center' | 'right';
  verticalAlign: 'top' | 'middle' | 'bottom';
  containerId: string | null;
  /** The user's text exactly as written. */
  originalText: string;
  autoResize: boolean;
  lineHeight: number;
}

export interface ExcalidrawPointBinding {
  elementId: string;
  /** -1…1: where the end segment's line passes the shape's centre; 0 = through it. */
  focus: number;
  /** Distance from the shape's outline to the arrow's end. */
  gap: number;
}

export interface ExcalidrawArrow extends ExcalidrawElementBase {
  type: 'arrow';
  /** Relative to x/y; the first is always [0, 0]. */
  points: [number, number][];
  lastCommittedPoint: null;
  startBinding: ExcalidrawPointBinding;
  endBinding: ExcalidrawPointBinding;
  startArrowhead: null;
  endArrowhead: 'arrow';
  elbowed: false;
}

export type ExcalidrawElement = ExcalidrawShape | ExcalidrawText | ExcalidrawArrow;

export interface ExcalidrawFile {
  type: 'excalidraw';
  version: 2;
  source: 'sdp';
  elements: ExcalidrawElement[];
  appState: { viewBackgroundColor: string; gridSize: null };
  files: Record<string, never>;
}

// ---------------------------------------------------------------------------
// Look: one scheme per component type, colours as the mermaid classDefs
// ---------------------------------------------------------------------------

interface Look {
  shape: ExcalidrawShape['type'];
  /** Rounded corners (rectangles only; ellipses and diamonds always use type 2). */
  rounded: boolean;
  fill: string;
  stroke: string;
  fillStyle: ExcalidrawFillStyle;
  strokeStyle: ExcalidrawStrokeStyle;
}

const look = (shape: Look['shape'], rounded: boolean, fill: string, stroke: string, more: Partial<Look> = {}): Look => ({
  shape,
  rounded,
  fill,
  stroke,
  fillStyle: 'solid',
  strokeStyle: 'solid',
  ...more,
});

/**
 * Clients and CDNs are ellipses (mermaid's stadium and circle), gateways and load
 * balancers diamonds (mermaid's hexagon), services sharp rectangles, and the stateful or
 * outside parts rounded rectangles told apart by colour: storage shares the database
 * colours as in mermaid but is hatched, and external systems have a dashed outline.
 */
export const LOOKS: Record<ComponentType, Look> = {
  client: look('ellipse', true, '#eef6ff', '#3b82f6'),
  service: look('rectangle', false, '#f5f5f5', '#525252'),
  gateway: look('diamond', true, '#f3e8ff', '#7c3aed'),
  'load-balancer': look('diamond', true, '#f3e8ff', '#7c3aed'),
  database: look('rectangle', true, '#ecfdf5', '#059669'),
  cache: look('rectangle', true, '#fff7ed', '#ea580c'),
  queue: look('rectangle', true, '#fefce8', '#ca8a04'),
  storage: look('rectangle', true, '#ecfdf5', '#059669', { fillStyle: 'hachure' }),
  cdn: look('ellipse', true, '#eef6ff', '#0891b2'),
  external: look('rectangle', true, '#fef2f2', '#dc2626', { strokeStyle: 'dashed' }),
};

const TEXT_COLOR = '#1e1e1e';
const ARROW_COLOR = '#1e1e1e';
const FONT_FAMILY = 5;
const LINE_HEIGHT = 1.25;
const NODE_FONT_SIZE = 20;
const LABEL_FONT_SIZE = 16;
/** Names wrap beyond this; the shape grows to fit the widest line. */
const NODE_TEXT_MAX_WIDTH = 260;
/** Excalidraw wraps arrow labels at max(0.7 × arrow width, 11 × font size): stay under the floor. */
const LABEL_TEXT_MAX_WIDTH = 11 * LABEL_FONT_SIZE;
/** Excalidraw's padding between a container and its bound text. */
const BOUND_TEXT_PADDING = 5;
/** Distance from a shape's outline to a bound arrow's end. */
export const ARROW_GAP = 6;
/** All elements share this: no clock is read. */
const UPDATED = 1;
const MAX_LABELS_PER_EDGE = 3;
const SQRT2 = Math.SQRT2;

// ---------------------------------------------------------------------------
// The scene
// ---------------------------------------------------------------------------

interface Link {
  fromKey: string;
  toKey: string;
  labels: string[];
  wiringOnly: boolean;
}

interface Node {
  key: string;
  id: string;
  textId: string;
  look: Look;
  text: Measured;
  width: number;
  height: number;
  /** Room reserved above the shape for a self-loop and its label (0 without one). */
  loopSpace: number;
  loopLabel?: Measured;
  /** Centre of the shape once laid out. */
  cx: number;
  cy: number;
}

interface Measured {
  original: string;
  text: string;
  width: number;
  height: number;
}

interface Point {
  x: number;
  y: number;
}

/**
 * The architecture as an Excalidraw scene, or undefined when there are no components.
 * Edges whose ends are not components are left out (the parser adds every component a
 * workflow or the wiring names, so this only happens for hand-built sessions); a component
 * key that repeats keeps its first component, as the parser does.
 */
export function excalidrawScene(session: Session): ExcalidrawFile | undefined {
  if (session.components.length === 0) return undefined;
  const ids = new Ids();

  const nodes = new Map<string, Node>();
  for (const component of session.components) {
    const key = componentKey(component.name);
    if (nodes.has(key)) continue;
    const l = LOOKS[component.type] ?? LOOKS.service;
    const text = measure(component.name, NODE_FONT_SIZE, NODE_TEXT_MAX_WIDTH);
    const [width, height] = shapeSize(l.shape, text);
    nodes.set(key, {
      key,
      id: ids.make('shape', key),
      textId: ids.make('shape-text', key),
      look: l,
      text,
      width,
      height,
      loopSpace: 0,
      cx: 0,
      cy: 0,
    });
  }

  const links = mergeLinks(session, nodes);
  const arrows = [...links.values()].map((link) => {
    const edgeKey = `${link.fromKey}\u0000${link.toKey}`;
    const shown = link.labels.slice(0, MAX_LABELS_PER_EDGE);
    if (link.labels.length > shown.length) shown.push(`+${link.labels.length - shown.length} more`);
    const label = shown.length ? measure(shown.join('\n'), LABEL_FONT_SIZE, LABEL_TEXT_MAX_WIDTH) : undefined;
    return {
      link,
      edgeKey,
      id: ids.make('arrow', edgeKey),
      textId: label ? ids.make('arrow-text', edgeKey) : undefined,
      label,
      points: [] as Point[],
      /** Drawn with sharp corners: a curve through a detour's short first leg would hook. */
      sharp: false,
      labelAt: undefined as Point | undefined,
    };
  });

  // Self-loops are drawn above their shape: reserve the room in the layout.
  for (const a of arrows) {
    if (a.link.fromKey !== a.link.toKey) continue;
    const node = nodes.get(a.link.fromKey)!;
    node.loopLabel = a.label;
    node.loopSpace = LOOP_RISE + (a.label?.height ?? 0) + 10;
  }

  // Layout: dagre gives node centres, edge paths and a point for each edge's label.
  const g = new Graph({ multigraph: true }) as unknown as DagreGraph;
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 110, edgesep: 24, marginx: 40, marginy: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes.values()) {
    const loop = arrows.find((a) => a.link.fromKey === node.key && a.link.toKey === node.key);
    // The loop's own spread (its points around a centre at 0, 0, as nodes are before layout) and its label.
    const loopWidth = loop ? Math.max(2 * Math.max(...selfLoop(node).map((p) => Math.abs(p.x))) + 20, (loop.label?.width ?? 0) + 4 * BOUND_TEXT_PADDING) : 0;
    g.setNode(node.id, { width: Math.max(node.width, loopWidth), height: node.height + node.loopSpace });
  }
  for (const a of arrows) {
    if (a.link.fromKey === a.link.toKey) continue;
    const w = a.label ? a.label.width + 4 * BOUND_TEXT_PADDING : 0;
    const h = a.label ? a.label.height + 2 * BOUND_TEXT_PADDING : 0;
    g.setEdge(nodes.get(a.link.fromKey)!.id, nodes.get(a.link.toKey)!.id, { width: w, height: h, labelpos: 'c', minlen: 1, weight: 1 }, a.id);
  }
  layout(g);
  for (const node of nodes.values()) {
    const n = g.node(node.id);
    node.cx = n.x!;
    node.cy = n.y! + node.loopSpace / 2;
  }
  // dagre centres each rank on one x: the half width of the widest box per rank.
  const columns = new Map<number, number>();
  for (const node of nodes.values()) {
    const k = Math.round(node.cx);
    columns.set(k, Math.max(columns.get(k) ?? 0, g.node(node.id).width / 2));
  }
  for (const a of arrows) {
    const from = nodes.get(a.link.fromKey)!;
    const to = nodes.get(a.link.toKey)!;
    if (from === to) {
      a.points = selfLoop(from);
      a.labelAt = a.points[Math.floor(a.points.length / 2)];
      continue;
    }
    const e = g.edge(from.id, to.id, a.id);
    const path = e.points!.map((p) => ({ x: p.x, y: p.y }));
    // dagre ends edges on the layout box; end them on the drawn outline instead, leaving
    // sideways first when the straight end segment would cut through a neighbour.
    const others = [...nodes.values()].filter((n) => n !== from && n !== to);
    const head = attach(from, path[1], others, columns);
    const tail = attach(to, path[path.length - 2], others, columns).reverse();
    path.splice(0, 1, ...head);
    path.splice(path.length - 1, 1, ...tail);
    a.sharp = head.length > 1 || tail.length > 1;
    a.labelAt = a.label && e.x !== undefined && e.y !== undefined ? { x: e.x, y: e.y } : undefined;
    // Excalidraw puts an arrow's label on its middle point (odd count): make dagre's label point the middle one.
    a.points = a.labelAt ? centreOn(path, a.labelAt) : path;
    if (!a.labelAt) a.labelAt = midpoint(a.points);
  }

  // Elements: each shape then its text, then each arrow then its label.
  const elements: ExcalidrawElement[] = [];
  const bound = new Map<string, ExcalidrawBoundElement[]>();
  for (const node of nodes.values()) bound.set(node.id, node.text.text === '' ? [] : [{ type: 'text', id: node.textId }]);
  for (const a of arrows) {
    bound.get(nodes.get(a.link.fromKey)!.id)!.push({ type: 'arrow', id: a.id });
    if (a.link.toKey !== a.link.fromKey) bound.get(nodes.get(a.link.toKey)!.id)!.push({ type: 'arrow', id: a.id });
  }
  for (const node of nodes.values()) {
    const l = node.look;
    elements.push({
      ...base(node.id, l.shape, node.cx - node.width / 2, node.cy - node.height / 2, node.width, node.height, node.key),
      strokeColor: l.stroke,
      backgroundColor: l.fill,
      fillStyle: l.fillStyle,
      strokeStyle: l.strokeStyle,
      roundness: l.shape === 'rectangle' ? (l.rounded ? { type: 3 } : null) : { type: 2 },
      boundElements: bound.get(node.id)!,
    } as ExcalidrawShape);
    if (node.text.text !== '') elements.push(textElement(node.textId, node.text, NODE_FONT_SIZE, { x: node.cx, y: node.cy }, node.id, node.key));
  }
  for (const a of arrows) {
    const from = nodes.get(a.link.fromKey)!;
    const to = nodes.get(a.link.toKey)!;
    const origin = a.points[0];
    const rel = a.points.map((p): [number, number] => [round(p.x - origin.x), round(p.y - origin.y)]);
    const xs = rel.map((p) => p[0]);
    const ys = rel.map((p) => p[1]);
    elements.push({
      ...base(a.id, 'arrow', origin.x, origin.y, 0, 0, a.edgeKey),
      // Not rounded again: exactly what Excalidraw derives from the points on load.
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
      strokeColor: ARROW_COLOR,
      strokeStyle: a.link.wiringOnly ? 'dashed' : 'solid',
      roundness: a.sharp ? null : { type: 2 },
      boundElements: a.textId ? [{ type: 'text', id: a.textId }] : [],
      points: rel,
      lastCommittedPoint: null,
      // Both end segments are aimed at the shape's centre, so focus is 0.
      startBinding: { elementId: from.id, focus: 0, gap: ARROW_GAP },
      endBinding: { elementId: to.id, focus: 0, gap: ARROW_GAP },
      startArrowhead: null,
      endArrowhead: 'arrow',
      elbowed: false,
    } as ExcalidrawArrow);
    if (a.label && a.textId) elements.push(textElement(a.textId, a.label, LABEL_FONT_SIZE, a.labelAt!, a.id, a.edgeKey));
  }
  elements.forEach((el, i) => (el.index = fractionalIndex(i)));

  return {
    type: 'excalidraw',
    version: 2,
    source: 'sdp',
    elements,
    appState: { viewBackgroundColor: '#ffffff', gridSize: null },
    files: {},
  };
}

/** The `.excalidraw` file text (JSON, 2-space indent, trailing newline), or undefined without components. */
export function renderExcalidraw(session: Session): string | undefined {
  const scene = excalidrawScene(session);
  return scene && `${JSON.stringify(scene, null, 2)}\n`;
}

/** Workflow edges then wiring, merged per ordered pair exactly as the mermaid flowchart does. */
function mergeLinks(session: Session, nodes: Map<string, Node>): Map<string, Link> {
  const links = new Map<string, Link>();
  const add = (e: Edge, wiring: boolean) => {
    const fromKey = componentKey(e.from);
    const toKey = componentKey(e.to);
    if (!nodes.has(fromKey) || !nodes.has(toKey)) return;
    const key = `${fromKey}\u0000${toKey}`;
    const link = links.get(key) ?? { fromKey, toKey, labels: [], wiringOnly: wiring };
    if (!wiring) link.wiringOnly = false;
    if (e.action && !link.labels.includes(e.action)) link.labels.push(e.action);
    links.set(key, link);
  };
  for (const w of session.workflows) for (const e of w.edges) add(e, false);
  for (const e of session.wiring) add(e, true);
  return links;
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

function base(id: string, type: ExcalidrawElementBase['type'], x: number, y: number, width: number, height: number, content: string): ExcalidrawElementBase {
  return {
    id,
    type,
    x: round(x),
    y: round(y),
    width: round(width),
    height: round(height),
    angle: 0,
    strokeColor: TEXT_COLOR,
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 2,
    strokeStyle: 'solid',
    roughness: 1,
    opacity: 100,
    groupIds: [],
    frameId: null,
    index: '',
    roundness: null,
    seed: positiveInt(`seed\u0000${id}\u0000${content}`),
    version: 1,
    versionNonce: positiveInt(`nonce\u0000${id}\u0000${content}`),
    isDeleted: false,
    boundElements: [],
    updated: UPDATED,
    link: null,
    locked: false,
  };
}

function textElement(id: string, m: Measured, fontSize: number, centre: Point, containerId: string, content: string): ExcalidrawText {
  return {
    ...base(id, 'text', centre.x - m.width / 2, centre.y - m.height / 2, m.width, m.height, content),
    type: 'text',
    text: m.text,
    fontSize,
    fontFamily: FONT_FAMILY,
    textAlign: 'center',
    verticalAlign: 'middle',
    containerId,
    originalText: m.original,
    autoResize: true,
    lineHeight: LINE_HEIGHT,
  };
}

/**
 * Shape size that holds the text with Excalidraw's own container maths
 * (`getBoundTextMaxWidth`/`Height`: the inscribed box of an ellipse or a diamond).
 */
function shapeSize(shape: Look['shape'], t: Measured): [number, number] {
  const w = t.width + 2 * BOUND_TEXT_PADDING;
  const h = t.height + 2 * BOUND_TEXT_PADDING;
  switch (shape) {
    case 'ellipse':
      return [Math.max(150, Math.ceil(((w + 24) / SQRT2) * 2)), Math.max(80, Math.ceil(((h + 12) / SQRT2) * 2))];
    case 'diamond':
      return [Math.max(170, Math.ceil(2 * (w + 16))), Math.max(100, Math.ceil(2 * (h + 8)))];
    default:
      return [Math.max(150, Math.ceil(w + 40)), Math.max(70, Math.ceil(h + 30))];
  }
}

// ---------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------

interface DagreNodeLabel {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

interface DagreEdgeLabel {
  width: number;
  height: number;
  labelpos: 'c';
  minlen: number;
  weight: number;
  points?: Point[];
  x?: number;
  y?: number;
}

/** The part of dagre's graph used here (its bundled types do not resolve under NodeNext). */
interface DagreGraph {
  setGraph(label: Record<string, unknown>): DagreGraph;
  setDefaultEdgeLabel(fn: () => object): DagreGraph;
  setNode(id: string, label: DagreNodeLabel): DagreGraph;
  setEdge(v: string, w: string, label: DagreEdgeLabel, name: string): DagreGraph;
  node(id: string): DagreNodeLabel;
  edge(v: string, w: string, name: string): DagreEdgeLabel;
}

/** Distance from the centre to the outline along the unit vector (ux, uy). */
function outlineDistance(node: Node, ux: number, uy: number): number {
  const a = node.width / 2;
  const b = node.height / 2;
  switch (node.look.shape) {
    case 'ellipse':
      return 1 / Math.hypot(ux / a, uy / b);
    case 'diamond':
      return 1 / (Math.abs(ux) / a + Math.abs(uy) / b);
    default:
      return Math.min(ux === 0 ? Infinity : a / Math.abs(ux), uy === 0 ? Infinity : b / Math.abs(uy));
  }
}

/** The point ARROW_GAP outside the outline on the line from the shape's centre towards `toward`. */
function onOutline(node: Node, toward: Point): Point {
  let dx = toward.x - node.cx;
  let dy = toward.y - node.cy;
  const len = Math.hypot(dx, dy);
  if (len === 0) [dx, dy] = [1, 0];
  const ux = dx / (len || 1);
  const uy = dy / (len || 1);
  const r = outlineDistance(node, ux, uy) + ARROW_GAP;
  return { x: node.cx + ux * r, y: node.cy + uy * r };
}

/** How far past its rank's widest box an edge that leaves sideways goes before turning. */
const STUB = 20;

/**
 * The end of an edge at `node`, given the next point of dagre's path: on the outline
 * towards that point, or, when that straight segment would cross another shape, out of
 * the left or right side and past the widest box of the rank first.
 */
function attach(node: Node, next: Point, others: Node[], columns: Map<number, number>): Point[] {
  const direct = onOutline(node, next);
  if (!others.some((o) => crosses(direct, next, o))) return [direct];
  // A turning point just past the rank's widest box, level with this shape: the way
  // there stays in this shape's own band, where no other shape is.
  const side = next.x >= node.cx ? 1 : -1;
  const half = columns.get(Math.round(node.cx)) ?? node.width / 2;
  const band = node.height / 2 - 4;
  const stub = { x: node.cx + side * (half + STUB), y: node.cy + Math.max(-band, Math.min(band, next.y - node.cy)) };
  return [onOutline(node, stub), stub];
}

/** Whether the segment a-b passes through the node's box (its loop room included), by Liang-Barsky clipping. */
function crosses(a: Point, b: Point, node: Node): boolean {
  const margin = 4;
  const left = node.cx - node.width / 2 - margin;
  const right = node.cx + node.width / 2 + margin;
  const top = node.cy - node.height / 2 - node.loopSpace - margin;
  const bottom = node.cy + node.height / 2 + margin;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, a.x - left],
    [dx, right - a.x],
    [-dy, a.y - top],
    [dy, bottom - a.y],
  ]) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** Height of a self-loop (its label's lower edge) above its shape's top. */
const LOOP_RISE = 36;

/**
 * A self-loop: leaves the top of the shape right of centre, runs level above it (past both
 * ends of its label, which Excalidraw draws over the middle point) and comes back in left
 * of centre. Both end segments lie on rays from the centre, so focus is 0.
 */
function selfLoop(node: Node): Point[] {
  const labelWidth = node.loopLabel?.width ?? 0;
  const labelHeight = node.loopLabel?.height ?? 0;
  const peak = node.cy - node.height / 2 - LOOP_RISE - labelHeight / 2;
  const reach = Math.max(labelWidth / 2 + 24, Math.min(node.width / 4, 30) + 16);
  const up = { x: node.cx + reach, y: peak };
  const down = { x: node.cx - reach, y: peak };
  return [onOutline(node, up), up, { x: node.cx, y: peak }, down, onOutline(node, down)];
}

/** Insert points on the longer half so that `at` (a point of `path`) is the middle one. */
function centreOn(path: Point[], at: Point): Point[] {
  let best = 0;
  for (let i = 1; i < path.length; i++) if (dist(path[i], at) < dist(path[best], at)) best = i;
  if (best === 0 || best === path.length - 1) return path;
  let before = path.slice(0, best + 1);
  let after = path.slice(best);
  while (before.length < after.length) before = subdivideLongest(before);
  while (after.length < before.length) after = subdivideLongest(after);
  return [...before, ...after.slice(1)];
}

function subdivideLongest(points: Point[]): Point[] {
  let longest = 0;
  for (let i = 1; i < points.length - 1; i++) if (dist(points[i], points[i + 1]) > dist(points[longest], points[longest + 1])) longest = i;
  const mid = { x: (points[longest].x + points[longest + 1].x) / 2, y: (points[longest].y + points[longest + 1].y) / 2 };
  return [...points.slice(0, longest + 1), mid, ...points.slice(longest + 1)];
}

/** Where Excalidraw draws an arrow's label: its middle point, or the middle of its middle segment. */
function midpoint(points: Point[]): Point {
  if (points.length % 2 === 1) return points[(points.length - 1) / 2];
  const a = points[points.length / 2 - 1];
  const b = points[points.length / 2];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function round(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}

// ---------------------------------------------------------------------------
// Text: estimated widths and wrapping
// ---------------------------------------------------------------------------

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Width of one grapheme in hundredths of an em (integers: sums are exact), erring wide (Excalifont is a wide hand-drawn face). */
function graphemeWidth(g: string): number {
  if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(g)) return 130;
  const cp = g.codePointAt(0)!;
  if (isWide(cp)) return 105;
  if (/^[\p{M}\p{Cf}]/u.test(g)) return 0;
  if (g === ' ') return 33;
  if ("il.,:;'|!Ij`".includes(g)) return 33;
  if ('frt()[]{}-/\\"*'.includes(g)) return 48;
  if ('mwMW@%&'.includes(g)) return 95;
  if (/[A-Z]/.test(g)) return 72;
  return 62;
}

/** East Asian wide and fullwidth ranges. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function graphemes(s: string): string[] {
  return Array.from(GRAPHEMES.segment(s), (x) => x.segment);
}

/** In hundredths of an em. */
function textWidth(text: string): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}

/** In pixels, rounded up. */
function lineWidth(line: string, fontSize: number): number {
  return Math.ceil((textWidth(line) * fontSize) / 100);
}

/** As Excalidraw shows text: CRLF and CR as LF, a tab as four spaces. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
}

/** Greedy wrap at spaces; a word wider than the line is broken between graphemes. */
function wrap(text: string, fontSize: number, maxWidth: number): string[] {
  const max = (maxWidth * 100) / fontSize;
  const space = graphemeWidth(' ');
  const out: string[] = [];
  for (const source of normalize(text).split('\n')) {
    let current = '';
    let width = 0;
    for (const word of source.split(' ')) {
      const wordWidth = textWidth(word);
      const candidate = current === '' ? wordWidth : width + space + wordWidth;
      if (candidate <= max) {
        current = current === '' ? word : `${current} ${word}`;
        width = candidate;
        continue;
      }
      if (current.trim() !== '') out.push(current);
      current = '';
      width = 0;
      for (const g of graphemes(word)) {
        const w = graphemeWidth(g);
        if (current !== '' && width + w > max) {
          out.push(current);
          current = '';
          width = 0;
        }
        current += g;
        width += w;
      }
    }
    out.push(current);
  }
  return out;
}

function measure(original: string, fontSize: number, maxWidth: number): Measured {
  let lines = original === '' ? [] : wrap(original, fontSize, maxWidth);
  // Only blanks: keep them rather than wrap them away ('' alone gets no text element).
  if (original !== '' && lines.every((l) => l.trim() === '')) lines = normalize(original).split('\n');
  return {
    original,
    text: lines.join('\n'),
    width: Math.max(0, ...lines.map((l) => lineWidth(l, fontSize))),
    height: round(Math.max(1, lines.length) * fontSize * LINE_HEIGHT),
  };
}

// ---------------------------------------------------------------------------
// Ids, seeds and order, all from content
// ---------------------------------------------------------------------------

/** cyrb53: a 53-bit string hash, plenty for a few hundred ids per scene. */
function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 1 … 2^31 - 1, as Excalidraw's seeds and nonces. */
function positiveInt(s: string): number {
  return (hash53(s) % 2147483646) + 1;
}

/** `<role>-<hash of role and key>`; a clash (never seen in practice) gets the next hash, still deterministic. */
class Ids {
  private used = new Set<string>();
  make(role: string, key: string): string {
    for (let salt = 0; ; salt++) {
      const id = `${role}-${hash53(`${role}\u0000${key}`, salt).toString(36).padStart(11, '0')}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

const INDEX_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The i-th key of rocicorp/fractional-indexing's integer sequence: a0 … az, b00 … bzz, c000 …. */
export function fractionalIndex(i: number): string {
  let digits = 1;
  let span = 62;
  while (i >= span) {
    i -= span;
    digits++;
    span *= 62;
  }
  let out = '';
  for (let d = 0; d < digits; d++) {
    out = INDEX_DIGITS[i % 62] + out;
    i = Math.floor(i / 62);
  }
  return String.fromCharCode(96 + digits) + out;
}
