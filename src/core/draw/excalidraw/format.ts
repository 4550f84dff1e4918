// The Excalidraw file format: the subset sdp writes, field names as Excalidraw's own types.

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
