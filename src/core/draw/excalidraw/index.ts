// Session -> Excalidraw scene (a `.excalidraw` file): the architecture graph that the mermaid
// flowchart draws too (../graph.ts), laid out with dagre (layout.ts), as shapes with bound
// text and arrows bound to both ends (elements.ts). Everything is derived from the session,
// so the same session gives the same bytes: ids and seeds are hashes of component keys and
// roles (ids.ts), `updated` is a constant, and no clock or random number is read.
import type { Session } from '../../session.js';
import { architectureGraph, shownLabels } from '../graph.js';
import { arrowElement, shapeElement, textElement } from './elements.js';
import type { ExcalidrawBoundElement, ExcalidrawElement, ExcalidrawFile } from './format.js';
import { fractionalIndex, Ids } from './ids.js';
import { layOut, type PlacedArrow, type PlacedNode } from './layout.js';
import { excalidrawLook, shapeSize } from './shapes.js';
import { measure, type Measured } from './text.js';

export * from './format.js';
export { fractionalIndex } from './ids.js';
export { ARROW_GAP } from './shapes.js';

const NODE_FONT_SIZE = 20;
const LABEL_FONT_SIZE = 16;
/** Names wrap beyond this; the shape grows to fit the widest line. */
const NODE_TEXT_MAX_WIDTH = 260;
/** Excalidraw wraps arrow labels at max(0.7 × arrow width, 11 × font size): stay under the floor. */
const LABEL_TEXT_MAX_WIDTH = 11 * LABEL_FONT_SIZE;

interface SceneNode extends PlacedNode {
  key: string;
  textId: string;
  text: Measured;
}

interface SceneArrow extends PlacedArrow {
  /** Both ends' component keys: what the ids and seeds are made from. */
  edgeKey: string;
  textId?: string;
  dashed: boolean;
}

/** The architecture as an Excalidraw scene, or undefined when there are no components. */
export function excalidrawScene(session: Session): ExcalidrawFile | undefined {
  const graph = architectureGraph(session);
  if (!graph) return undefined;
  const ids = new Ids();
  const byId = new Map<string, SceneNode>();
  const nodes = graph.nodes.map((n): SceneNode => {
    const look = excalidrawLook(n.type);
    const text = measure(n.label, NODE_FONT_SIZE, NODE_TEXT_MAX_WIDTH);
    const [width, height] = shapeSize(look.shape, text);
    const node = { key: n.key, id: ids.make('shape', n.key), textId: ids.make('shape-text', n.key), look, text, width, height, loopSpace: 0, cx: 0, cy: 0 };
    byId.set(n.id, node);
    return node;
  });
  const arrows = graph.edges.map((e): SceneArrow => {
    const edgeKey = `${e.from.key}\u0000${e.to.key}`;
    const shown = shownLabels(e);
    const label = shown.length ? measure(shown.join('\n'), LABEL_FONT_SIZE, LABEL_TEXT_MAX_WIDTH) : undefined;
    return {
      edgeKey,
      id: ids.make('arrow', edgeKey),
      textId: label ? ids.make('arrow-text', edgeKey) : undefined,
      from: byId.get(e.from.id)!,
      to: byId.get(e.to.id)!,
      label,
      dashed: e.wiringOnly,
      points: [],
      sharp: false,
    };
  });
  layOut(nodes, arrows);

  // Each shape then its text, then each arrow then its label.
  const bound = new Map<string, ExcalidrawBoundElement[]>();
  for (const node of nodes) bound.set(node.id, node.text.text === '' ? [] : [{ type: 'text', id: node.textId }]);
  for (const a of arrows) {
    bound.get(a.from.id)!.push({ type: 'arrow', id: a.id });
    if (a.to !== a.from) bound.get(a.to.id)!.push({ type: 'arrow', id: a.id });
  }
  const elements: ExcalidrawElement[] = [];
  for (const node of nodes) {
    elements.push(shapeElement(node, node.key, bound.get(node.id)!));
    if (node.text.text !== '') elements.push(textElement(node.textId, node.text, NODE_FONT_SIZE, { x: node.cx, y: node.cy }, node.id, node.key));
  }
  for (const a of arrows) {
    elements.push(arrowElement(a, a.edgeKey, a.dashed, a.textId));
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
