// Component shapes: how each type looks in Excalidraw (from the shared palette), how big a
// shape must be to hold its name, and where an arrow meets its outline.
import type { GraphNode } from '../graph.js';
import { lookOf, type NodeShape } from '../graph.js';
import type { ExcalidrawFillStyle, ExcalidrawShape, ExcalidrawStrokeStyle } from './format.js';
import type { Point } from './geometry.js';
import type { Measured } from './text.js';

export interface ExcalidrawLook {
  shape: ExcalidrawShape['type'];
  /** Rounded corners (rectangles only; ellipses and diamonds always use type 2). */
  rounded: boolean;
  fill: string;
  stroke: string;
  fillStyle: ExcalidrawFillStyle;
  strokeStyle: ExcalidrawStrokeStyle;
}

/**
 * Excalidraw has three outlines: mermaid's stadium and circle become ellipses, its hexagon a
 * diamond, a plain rectangle stays sharp and every other outline (cylinder, subroutine,
 * parallelogram, flag) is a rounded rectangle told apart by colour, hatching or a dashed line.
 */
const OUTLINE: Record<NodeShape, ExcalidrawShape['type']> = {
  stadium: 'ellipse',
  circle: 'ellipse',
  hexagon: 'diamond',
  rectangle: 'rectangle',
  cylinder: 'rectangle',
  subroutine: 'rectangle',
  parallelogram: 'rectangle',
  flag: 'rectangle',
};

export function excalidrawLook(type: GraphNode['type']): ExcalidrawLook {
  const look = lookOf(type);
  return {
    shape: OUTLINE[look.shape],
    rounded: look.shape !== 'rectangle',
    fill: look.fill,
    stroke: look.stroke,
    fillStyle: look.hatched ? 'hachure' : 'solid',
    strokeStyle: look.dashed ? 'dashed' : 'solid',
  };
}

/** Excalidraw's padding between a container and its bound text. */
export const BOUND_TEXT_PADDING = 5;
/** Distance from a shape's outline to a bound arrow's end. */
export const ARROW_GAP = 6;
const SQRT2 = Math.SQRT2;

/** A component's shape, sized for its name; the centre is set by the layout. */
export interface Box {
  look: ExcalidrawLook;
  width: number;
  height: number;
  /** Room reserved above the shape for a self-loop and its label (0 without one). */
  loopSpace: number;
  cx: number;
  cy: number;
}

/**
 * Shape size that holds the text with Excalidraw's own container maths
 * (`getBoundTextMaxWidth`/`Height`: the inscribed box of an ellipse or a diamond).
 */
export function shapeSize(shape: ExcalidrawLook['shape'], t: Measured): [number, number] {
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

/** Distance from the centre to the outline along the unit vector (ux, uy). */
function outlineDistance(box: Box, ux: number, uy: number): number {
  const a = box.width / 2;
  const b = box.height / 2;
  switch (box.look.shape) {
    case 'ellipse':
      return 1 / Math.hypot(ux / a, uy / b);
    case 'diamond':
      return 1 / (Math.abs(ux) / a + Math.abs(uy) / b);
    default:
      return Math.min(ux === 0 ? Infinity : a / Math.abs(ux), uy === 0 ? Infinity : b / Math.abs(uy));
  }
}

/** The point ARROW_GAP outside the outline on the line from the shape's centre towards `toward`. */
export function onOutline(box: Box, toward: Point): Point {
  let dx = toward.x - box.cx;
  let dy = toward.y - box.cy;
  const len = Math.hypot(dx, dy);
  if (len === 0) [dx, dy] = [1, 0];
  const ux = dx / (len || 1);
  const uy = dy / (len || 1);
  const r = outlineDistance(box, ux, uy) + ARROW_GAP;
  return { x: box.cx + ux * r, y: box.cy + uy * r };
}

/** Whether the segment a-b passes through the box (its loop room included), by Liang-Barsky clipping. */
export function crosses(a: Point, b: Point, box: Box): boolean {
  const margin = 4;
  const left = box.cx - box.width / 2 - margin;
  const right = box.cx + box.width / 2 + margin;
  const top = box.cy - box.height / 2 - box.loopSpace - margin;
  const bottom = box.cy + box.height / 2 + margin;
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
