// Laid-out shapes and arrows as Excalidraw elements: the fields Excalidraw's own restore
// writes, text bound to its container, and arrows bound to the shapes at both ends.
import type { ExcalidrawArrow, ExcalidrawBoundElement, ExcalidrawElementBase, ExcalidrawShape, ExcalidrawText } from './format.js';
import { round, type Point } from './geometry.js';
import { positiveInt } from './ids.js';
import type { PlacedArrow, PlacedNode } from './layout.js';
import { ARROW_GAP } from './shapes.js';
import { LINE_HEIGHT, type Measured } from './text.js';

const TEXT_COLOR = '#1e1e1e';
const ARROW_COLOR = '#1e1e1e';
/** 5 = Excalifont, Excalidraw's default hand-drawn font. */
const FONT_FAMILY = 5;
/** All elements share this: no clock is read. */
const UPDATED = 1;

/**
 * `content` (the component key or the edge's pair of keys) seeds the hand-drawn strokes, so
 * an element looks the same in every build of the same session.
 */
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

export function textElement(id: string, m: Measured, fontSize: number, centre: Point, containerId: string, content: string): ExcalidrawText {
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

export function shapeElement(node: PlacedNode, content: string, bound: ExcalidrawBoundElement[]): ExcalidrawShape {
  const l = node.look;
  return {
    ...base(node.id, l.shape, node.cx - node.width / 2, node.cy - node.height / 2, node.width, node.height, content),
    strokeColor: l.stroke,
    backgroundColor: l.fill,
    fillStyle: l.fillStyle,
    strokeStyle: l.strokeStyle,
    roundness: l.shape === 'rectangle' ? (l.rounded ? { type: 3 } : null) : { type: 2 },
    boundElements: bound,
  } as ExcalidrawShape;
}

export function arrowElement(a: PlacedArrow, content: string, dashed: boolean, labelId: string | undefined): ExcalidrawArrow {
  const origin = a.points[0];
  const rel = a.points.map((p): [number, number] => [round(p.x - origin.x), round(p.y - origin.y)]);
  const xs = rel.map((p) => p[0]);
  const ys = rel.map((p) => p[1]);
  return {
    ...base(a.id, 'arrow', origin.x, origin.y, 0, 0, content),
    // Not rounded again: exactly what Excalidraw derives from the points on load.
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
    strokeColor: ARROW_COLOR,
    strokeStyle: dashed ? 'dashed' : 'solid',
    roundness: a.sharp ? null : { type: 2 },
    boundElements: labelId ? [{ type: 'text', id: labelId }] : [],
    points: rel,
    lastCommittedPoint: null,
    // Both end segments are aimed at the shape's centre, so focus is 0.
    startBinding: { elementId: a.from.id, focus: 0, gap: ARROW_GAP },
    endBinding: { elementId: a.to.id, focus: 0, gap: ARROW_GAP },
    startArrowhead: null,
    endArrowhead: 'arrow',
    elbowed: false,
  } as ExcalidrawArrow;
}
