// The architecture as a graph, once for every picture of it (the mermaid flowchart and the
// Excalidraw scene): nodes with generated ids, edges merged per ordered pair, and the look of
// each component type. A writer turns this into its own syntax and never re-reads the session.
import { componentKey } from '../parse/components.js';
import type { ComponentType, Edge, Session } from '../session.js';

export interface GraphNode {
  /** `n1`, `n2`, … in component order: never user text, so no name can break a writer's syntax. */
  id: string;
  /** The component key (case and spacing folded): what edges name. */
  key: string;
  /** As the user wrote it. */
  label: string;
  type: ComponentType;
}

export interface GraphEdge {
  from: GraphNode;
  to: GraphNode;
  /** Every distinct action of the hops joining this ordered pair, in the order written. */
  labels: string[];
  /** Only the Wiring section draws it: shown dashed or dotted. */
  wiringOnly: boolean;
}

export interface ArchitectureGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * Every component once (a key that repeats keeps its first component, as the parser does),
 * then the workflow hops and the wiring merged per ordered pair: two hops joining the same
 * two components are one edge with both labels. Hops whose ends are not components are left
 * out (the parser adds every component a hop names, so only hand-built sessions have them).
 * Undefined when there is no component.
 */
export function architectureGraph(session: Pick<Session, 'components' | 'workflows' | 'wiring'>): ArchitectureGraph | undefined {
  const byKey = new Map<string, GraphNode>();
  for (const c of session.components) {
    const key = componentKey(c.name);
    if (!byKey.has(key)) byKey.set(key, { id: `n${byKey.size + 1}`, key, label: c.name, type: c.type });
  }
  if (byKey.size === 0) return undefined;
  const edges = new Map<string, GraphEdge>();
  const add = (e: Edge, wiring: boolean) => {
    const from = byKey.get(componentKey(e.from));
    const to = byKey.get(componentKey(e.to));
    if (!from || !to) return;
    const pair = `${from.id} ${to.id}`;
    const edge = edges.get(pair) ?? { from, to, labels: [], wiringOnly: wiring };
    if (!wiring) edge.wiringOnly = false;
    if (e.action && !edge.labels.includes(e.action)) edge.labels.push(e.action);
    edges.set(pair, edge);
  };
  for (const w of session.workflows) for (const e of w.edges) add(e, false);
  for (const e of session.wiring) add(e, true);
  return { nodes: [...byKey.values()], edges: [...edges.values()] };
}

/** More labels than this on one edge pile up: the rest are counted, not shown. */
export const MAX_LABELS_PER_EDGE = 3;

/** The labels an edge shows: the first few, then `+N more`. */
export function shownLabels(edge: GraphEdge): string[] {
  const shown = edge.labels.slice(0, MAX_LABELS_PER_EDGE);
  if (edge.labels.length > shown.length) shown.push(`+${edge.labels.length - shown.length} more`);
  return shown;
}

/**
 * The outline a type is drawn with, in mermaid's words; a writer without the shape draws the
 * nearest it has (Excalidraw: stadium and circle as ellipses, hexagon as a diamond, the
 * rest as rectangles, sharp for a plain rectangle and rounded otherwise).
 */
export type NodeShape = 'stadium' | 'rectangle' | 'hexagon' | 'cylinder' | 'subroutine' | 'parallelogram' | 'circle' | 'flag';

export interface Look {
  shape: NodeShape;
  fill: string;
  stroke: string;
  /** Drawn hatched where the writer can (storage: told apart from a database of the same colours). */
  hatched?: boolean;
  /** Outline dashed where the writer can (outside systems). */
  dashed?: boolean;
}

/** One look per component type: clients blue, gateways purple, stores green, caches orange, queues yellow, outside red. */
export const PALETTE: Record<ComponentType, Look> = {
  client: { shape: 'stadium', fill: '#eef6ff', stroke: '#3b82f6' },
  service: { shape: 'rectangle', fill: '#f5f5f5', stroke: '#525252' },
  gateway: { shape: 'hexagon', fill: '#f3e8ff', stroke: '#7c3aed' },
  'load-balancer': { shape: 'hexagon', fill: '#f3e8ff', stroke: '#7c3aed' },
  database: { shape: 'cylinder', fill: '#ecfdf5', stroke: '#059669' },
  cache: { shape: 'cylinder', fill: '#fff7ed', stroke: '#ea580c' },
  queue: { shape: 'subroutine', fill: '#fefce8', stroke: '#ca8a04' },
  storage: { shape: 'parallelogram', fill: '#ecfdf5', stroke: '#059669', hatched: true },
  cdn: { shape: 'circle', fill: '#eef6ff', stroke: '#0891b2' },
  external: { shape: 'flag', fill: '#fef2f2', stroke: '#dc2626', dashed: true },
};

/** A type this build does not know (a hand-built session) is drawn as a service. */
export function lookOf(type: ComponentType): Look {
  return PALETTE[type] ?? PALETTE.service;
}
