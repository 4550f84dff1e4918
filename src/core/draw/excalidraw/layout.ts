// Where everything goes: dagre (left to right) gives node centres, edge paths and a point
// for each edge's label; the ends are then moved from dagre's layout boxes onto the drawn
// outlines, and self-loops, which dagre does not draw, are placed above their shape.
import { Graph, layout } from '@dagrejs/dagre';
import { centreOn, midpoint, type Point } from './geometry.js';
import { BOUND_TEXT_PADDING, crosses, onOutline, type Box } from './shapes.js';
import type { Measured } from './text.js';

export interface PlacedNode extends Box {
  id: string;
  /** The label of this node's self-loop, drawn above it. */
  loopLabel?: Measured;
}

export interface PlacedArrow {
  id: string;
  from: PlacedNode;
  to: PlacedNode;
  label?: Measured;
  /** Absolute, first on the start shape's outline, last on the end shape's. */
  points: Point[];
  /** Drawn with sharp corners: a curve through a detour's short first leg would hook. */
  sharp: boolean;
  /** Where the label's centre is: Excalidraw draws it on the arrow's middle point. */
  labelAt?: Point;
}

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

/** Height of a self-loop (its label's lower edge) above its shape's top. */
const LOOP_RISE = 36;
/** How far past its rank's widest box an edge that leaves sideways goes before turning. */
const STUB = 20;

/** Sets every node's centre and every arrow's points, label point and corners. */
export function layOut(nodes: PlacedNode[], arrows: PlacedArrow[]): void {
  // Self-loops are drawn above their shape: reserve the room in the layout.
  for (const a of arrows) {
    if (a.from !== a.to) continue;
    a.from.loopLabel = a.label;
    a.from.loopSpace = LOOP_RISE + (a.label?.height ?? 0) + 10;
  }

  const g = new Graph({ multigraph: true }) as unknown as DagreGraph;
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 110, edgesep: 24, marginx: 40, marginy: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    const loop = arrows.find((a) => a.from === node && a.to === node);
    // The loop's own spread (its points around a centre at 0, 0, as nodes are before layout) and its label.
    const loopWidth = loop ? Math.max(2 * Math.max(...selfLoop(node).map((p) => Math.abs(p.x))) + 20, (loop.label?.width ?? 0) + 4 * BOUND_TEXT_PADDING) : 0;
    g.setNode(node.id, { width: Math.max(node.width, loopWidth), height: node.height + node.loopSpace });
  }
  for (const a of arrows) {
    if (a.from === a.to) continue;
    const w = a.label ? a.label.width + 4 * BOUND_TEXT_PADDING : 0;
    const h = a.label ? a.label.height + 2 * BOUND_TEXT_PADDING : 0;
    g.setEdge(a.from.id, a.to.id, { width: w, height: h, labelpos: 'c', minlen: 1, weight: 1 }, a.id);
  }
  layout(g);
  for (const node of nodes) {
    const n = g.node(node.id);
    node.cx = n.x!;
    node.cy = n.y! + node.loopSpace / 2;
  }
  // dagre centres each rank on one x: the half width of the widest box per rank.
  const columns = new Map<number, number>();
  for (const node of nodes) {
    const k = Math.round(node.cx);
    columns.set(k, Math.max(columns.get(k) ?? 0, g.node(node.id).width / 2));
  }
  for (const a of arrows) {
    const { from, to } = a;
    if (from === to) {
      a.points = selfLoop(from);
      a.labelAt = a.points[Math.floor(a.points.length / 2)];
      continue;
    }
    const e = g.edge(from.id, to.id, a.id);
    const path = e.points!.map((p) => ({ x: p.x, y: p.y }));
    // dagre ends edges on the layout box; end them on the drawn outline instead, leaving
    // sideways first when the straight end segment would cut through a neighbour.
    const others = nodes.filter((n) => n !== from && n !== to);
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
}

/**
 * The end of an edge at `node`, given the next point of dagre's path: on the outline
 * towards that point, or, when that straight segment would cross another shape, out of
 * the left or right side and past the widest box of the rank first.
 */
function attach(node: Box, next: Point, others: Box[], columns: Map<number, number>): Point[] {
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

/**
 * A self-loop: leaves the top of the shape right of centre, runs level above it (past both
 * ends of its label, which Excalidraw draws over the middle point) and comes back in left
 * of centre. Both end segments lie on rays from the centre, so focus is 0.
 */
function selfLoop(node: PlacedNode): Point[] {
  const labelWidth = node.loopLabel?.width ?? 0;
  const labelHeight = node.loopLabel?.height ?? 0;
  const peak = node.cy - node.height / 2 - LOOP_RISE - labelHeight / 2;
  const reach = Math.max(labelWidth / 2 + 24, Math.min(node.width / 4, 30) + 16);
  const up = { x: node.cx + reach, y: peak };
  const down = { x: node.cx - reach, y: peak };
  return [onOutline(node, up), up, { x: node.cx, y: peak }, down, onOutline(node, down)];
}
