import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureDiagram } from '../src/core/draw/mermaid.js';
import {
  ARROW_GAP,
  excalidrawScene,
  fractionalIndex,
  renderExcalidraw,
  type ExcalidrawArrow,
  type ExcalidrawElement,
  type ExcalidrawFile,
  type ExcalidrawShape,
  type ExcalidrawText,
} from '../src/core/draw/excalidraw/index.js';
import { parseSession } from '../src/core/parse/parse.js';
import type { Component, Edge, Session, Workflow } from '../src/core/session.js';

const fixtureSource = readFileSync(new URL('./fixtures/airbnb-complete.md', import.meta.url), 'utf8');
const hostile: string[] = JSON.parse(readFileSync(new URL('./fixtures/hostile-labels.json', import.meta.url), 'utf8'));

function sessionWith(components: Component[], workflows: Workflow[], wiring: Edge[] = []): Session {
  return { components, workflows, wiring } as unknown as Session;
}

function component(name: string, type: Component['type'] = 'service'): Component {
  return { name, type, typed: true, responsibility: '' };
}

function edge(from: string, to: string, action = ''): Edge {
  return { from, to, action, line: 1 };
}

function flow(...edges: Edge[]): Workflow[] {
  return [{ name: 'w', line: 1, edges }];
}

const shapes = (scene: ExcalidrawFile) => scene.elements.filter((e): e is ExcalidrawShape => ['rectangle', 'ellipse', 'diamond'].includes(e.type));
const arrows = (scene: ExcalidrawFile) => scene.elements.filter((e): e is ExcalidrawArrow => e.type === 'arrow');
const texts = (scene: ExcalidrawFile) => scene.elements.filter((e): e is ExcalidrawText => e.type === 'text');
const byId = (scene: ExcalidrawFile) => new Map<string, ExcalidrawElement>(scene.elements.map((e) => [e.id, e]));
const shapeNamed = (scene: ExcalidrawFile, name: string) => {
  const text = texts(scene).find((t) => t.originalText === name && byId(scene).get(t.containerId!)?.type !== 'arrow')!;
  return byId(scene).get(text.containerId!) as ExcalidrawShape;
};

const BASE_FIELDS: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string' && v.length > 0,
  type: (v) => typeof v === 'string',
  x: Number.isFinite,
  y: Number.isFinite,
  width: (v) => Number.isFinite(v) && (v as number) >= 0,
  height: (v) => Number.isFinite(v) && (v as number) >= 0,
  angle: (v) => v === 0,
  strokeColor: (v) => typeof v === 'string' && /^#[0-9a-f]{6}$/.test(v),
  backgroundColor: (v) => v === 'transparent' || (typeof v === 'string' && /^#[0-9a-f]{6}$/.test(v)),
  fillStyle: (v) => ['hachure', 'cross-hatch', 'solid', 'zigzag'].includes(v as string),
  strokeWidth: (v) => Number.isFinite(v) && (v as number) > 0,
  strokeStyle: (v) => ['solid', 'dashed', 'dotted'].includes(v as string),
  roughness: (v) => [0, 1, 2].includes(v as number),
  opacity: (v) => Number.isFinite(v) && (v as number) > 0 && (v as number) <= 100,
  groupIds: (v) => Array.isArray(v) && v.length === 0,
  frameId: (v) => v === null,
  index: (v) => typeof v === 'string' && /^[a-z][0-9A-Za-z]+$/.test(v),
  roundness: (v) => v === null || (typeof v === 'object' && [1, 2, 3].includes((v as { type: number }).type)),
  seed: (v) => Number.isInteger(v) && (v as number) > 0 && (v as number) < 2 ** 31,
  version: (v) => Number.isInteger(v) && (v as number) >= 1,
  versionNonce: (v) => Number.isInteger(v) && (v as number) > 0 && (v as number) < 2 ** 31,
  isDeleted: (v) => v === false,
  boundElements: Array.isArray,
  updated: Number.isInteger,
  link: (v) => v === null,
  locked: (v) => v === false,
};
const TEXT_FIELDS: Record<string, (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string' && v !== '',
  fontSize: (v) => Number.isFinite(v) && (v as number) > 0,
  fontFamily: (v) => [1, 2, 3, 5, 6, 7, 8].includes(v as number),
  textAlign: (v) => v === 'center',
  verticalAlign: (v) => v === 'middle',
  containerId: (v) => typeof v === 'string',
  originalText: (v) => typeof v === 'string',
  autoResize: (v) => v === true,
  lineHeight: (v) => Number.isFinite(v) && (v as number) > 1,
};
const ARROW_FIELDS: Record<string, (v: unknown) => boolean> = {
  points: (v) => Array.isArray(v) && v.length >= 2 && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)),
  lastCommittedPoint: (v) => v === null,
  startBinding: (v) => typeof v === 'object' && v !== null,
  endBinding: (v) => typeof v === 'object' && v !== null,
  startArrowhead: (v) => v === null,
  endArrowhead: (v) => v === 'arrow',
  elbowed: (v) => v === false,
};

/** Everything that would leave something dangling or malformed when Excalidraw opens the file. */
function expectValidScene(scene: ExcalidrawFile): void {
  expect(scene).toMatchObject({ type: 'excalidraw', version: 2, source: 'sdp', appState: { viewBackgroundColor: '#ffffff', gridSize: null }, files: {} });
  const ids = scene.elements.map((e) => e.id);
  expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
  const all = byId(scene);

  for (const [i, el] of scene.elements.entries()) {
    const fields = { ...BASE_FIELDS, ...(el.type === 'text' ? TEXT_FIELDS : {}), ...(el.type === 'arrow' ? ARROW_FIELDS : {}) };
    for (const [field, ok] of Object.entries(fields)) {
      expect(field in el, `${el.type} ${el.id} has ${field}`).toBe(true);
      expect(ok((el as unknown as Record<string, unknown>)[field]), `${el.type} ${el.id}.${field} = ${JSON.stringify((el as unknown as Record<string, unknown>)[field])}`).toBe(true);
    }
    if (i > 0) expect(scene.elements[i - 1].index < el.index, 'fractional indices increase').toBe(true);
  }

  for (const a of arrows(scene)) {
    for (const binding of [a.startBinding, a.endBinding]) {
      expect(Object.keys(binding).sort()).toEqual(['elementId', 'focus', 'gap']);
      const target = all.get(binding.elementId);
      expect(target && ['rectangle', 'ellipse', 'diamond'].includes(target.type), `arrow ${a.id} bound to a shape`).toBe(true);
      expect(target!.boundElements, `${target!.id} lists arrow ${a.id}`).toContainEqual({ type: 'arrow', id: a.id });
      expect(Math.abs(binding.focus)).toBeLessThanOrEqual(1);
      expect(binding.gap).toBeGreaterThanOrEqual(0);
    }
    expect(a.points[0]).toEqual([0, 0]);
    const xs = a.points.map((p) => p[0]);
    const ys = a.points.map((p) => p[1]);
    expect(a.width).toBeCloseTo(Math.max(...xs) - Math.min(...xs), 1);
    expect(a.height).toBeCloseTo(Math.max(...ys) - Math.min(...ys), 1);
    // Excalidraw only binds both ends of an arrow to one shape when it has 3+ points.
    if (a.startBinding.elementId === a.endBinding.elementId) expect(a.points.length).toBeGreaterThanOrEqual(3);
  }

  for (const s of shapes(scene)) {
    const expected = [
      ...texts(scene)
        .filter((t) => t.containerId === s.id)
        .map((t) => ({ type: 'text', id: t.id })),
      ...arrows(scene)
        .filter((a) => a.startBinding.elementId === s.id || a.endBinding.elementId === s.id)
        .map((a) => ({ type: 'arrow', id: a.id })),
    ];
    expect(s.boundElements, `boundElements of ${s.id}`).toEqual(expect.arrayContaining(expected));
    expect(s.boundElements.length, `boundElements of ${s.id} has nothing else and no repeats`).toBe(expected.length);
  }

  for (const el of scene.elements) {
    for (const b of el.boundElements) {
      const target = all.get(b.id);
      expect(target?.type, `${el.id} lists ${b.id}`).toBe(b.type);
      if (b.type === 'text') expect((target as ExcalidrawText).containerId).toBe(el.id);
    }
  }

  for (const t of texts(scene)) {
    const container = all.get(t.containerId!);
    expect(container, `container of ${t.id}`).toBeDefined();
    expect(container!.boundElements).toContainEqual({ type: 'text', id: t.id });
    expect(
      texts(scene).filter((x) => x.containerId === t.containerId),
      'one text per container',
    ).toHaveLength(1);
  }
}

/** Excalidraw's getBoundTextMaxWidth / getBoundTextMaxHeight (BOUND_TEXT_PADDING 5). */
function boundTextMax(s: ExcalidrawShape): { width: number; height: number } {
  if (s.type === 'ellipse') return { width: Math.round((s.width / 2) * Math.SQRT2) - 10, height: Math.round((s.height / 2) * Math.SQRT2) - 10 };
  if (s.type === 'diamond') return { width: Math.round(s.width / 2) - 10, height: Math.round(s.height / 2) - 10 };
  return { width: s.width - 10, height: s.height - 10 };
}

function expectTextFits(scene: ExcalidrawFile): void {
  for (const s of shapes(scene)) {
    const t = texts(scene).find((x) => x.containerId === s.id);
    if (!t) continue;
    const max = boundTextMax(s);
    expect(t.width, `text of ${JSON.stringify(t.originalText)} fits the ${s.type}'s width`).toBeLessThanOrEqual(max.width);
    expect(t.height, `text of ${JSON.stringify(t.originalText)} fits the ${s.type}'s height`).toBeLessThanOrEqual(max.height);
    expect(t.x + t.width / 2).toBeCloseTo(s.x + s.width / 2, 1);
    expect(t.y + t.height / 2).toBeCloseTo(s.y + s.height / 2, 1);
  }
}

/** Distance from the centre to the outline of a shape along a direction. */
function outline(s: ExcalidrawShape, ux: number, uy: number): number {
  const a = s.width / 2;
  const b = s.height / 2;
  if (s.type === 'ellipse') return 1 / Math.hypot(ux / a, uy / b);
  if (s.type === 'diamond') return 1 / (Math.abs(ux) / a + Math.abs(uy) / b);
  return Math.min(ux === 0 ? Infinity : a / Math.abs(ux), uy === 0 ? Infinity : b / Math.abs(uy));
}

/** How far outside the outline a point is, measured along the ray from the shape's centre. */
function outsideBy(s: ExcalidrawShape, x: number, y: number): number {
  const dx = x - (s.x + s.width / 2);
  const dy = y - (s.y + s.height / 2);
  const len = Math.hypot(dx, dy);
  return len - outline(s, dx / len, dy / len);
}

function expectEndsOnOutlines(scene: ExcalidrawFile): void {
  const all = byId(scene);
  for (const a of arrows(scene)) {
    const first = a.points[0];
    const last = a.points[a.points.length - 1];
    const start = all.get(a.startBinding.elementId) as ExcalidrawShape;
    const end = all.get(a.endBinding.elementId) as ExcalidrawShape;
    expect(outsideBy(start, a.x + first[0], a.y + first[1]), `start of ${a.id}`).toBeCloseTo(ARROW_GAP, 1);
    expect(outsideBy(end, a.x + last[0], a.y + last[1]), `end of ${a.id}`).toBeCloseTo(ARROW_GAP, 1);
    // focus 0: the end segments point at the shape's centre.
    for (const [s, p, q] of [
      [start, first, a.points[1]],
      [end, last, a.points[a.points.length - 2]],
    ] as const) {
      const cx = s.x + s.width / 2 - a.x;
      const cy = s.y + s.height / 2 - a.y;
      const cross = (q[0] - p[0]) * (cy - p[1]) - (q[1] - p[1]) * (cx - p[0]);
      expect(Math.abs(cross) / Math.hypot(q[0] - p[0], q[1] - p[1]), `${a.id} aims at the centre`).toBeLessThan(0.1);
    }
  }
}

/** Where Excalidraw puts an arrow's label: its middle point, or the middle of its middle segment. */
function labelPoint(a: ExcalidrawArrow): [number, number] {
  const n = a.points.length;
  if (n % 2 === 1) return [a.x + a.points[(n - 1) / 2][0], a.y + a.points[(n - 1) / 2][1]];
  const [p, q] = [a.points[n / 2 - 1], a.points[n / 2]];
  return [a.x + (p[0] + q[0]) / 2, a.y + (p[1] + q[1]) / 2];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the segment p-q passes through the box (Liang-Barsky). */
function segmentCrossesBox(p: { x: number; y: number }, q: { x: number; y: number }, b: Box): boolean {
  const [dx, dy] = [q.x - p.x, q.y - p.y];
  let [t0, t1] = [0, 1];
  for (const [d, e] of [
    [-dx, p.x - b.x],
    [dx, b.x + b.width - p.x],
    [-dy, p.y - b.y],
    [dy, b.y + b.height - p.y],
  ]) {
    if (d === 0) {
      if (e < 0) return false;
      continue;
    }
    const t = e / d;
    if (d < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** The mermaid edge label as plain text: entity codes decoded, `<br>` back to a newline. */
const unescapeMermaid = (s: string) => s.replace(/<br>/g, '\n').replace(/#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));

describe('excalidrawScene on the complete Airbnb session', () => {
  const session = parseSession(fixtureSource);
  const scene = excalidrawScene(session)!;

  it('is a valid scene with nothing dangling', () => {
    expectValidScene(scene);
  });

  it('draws every component once, in session order, with its name as bound text', () => {
    const s = shapes(scene);
    expect(s).toHaveLength(session.components.length);
    const all = byId(scene);
    const names = s.map((shape) => (all.get(shape.boundElements.find((b) => b.type === 'text')!.id) as ExcalidrawText).originalText);
    expect(names).toEqual(session.components.map((c) => c.name));
    // Each shape is followed by its text.
    for (const shape of s) expect(scene.elements[scene.elements.indexOf(shape) + 1]).toMatchObject({ type: 'text', containerId: shape.id });
  });

  it('has the same edges as the mermaid flowchart: merged labels, dashed exactly where mermaid dots', () => {
    const mermaid = architectureDiagram(session)!;
    const edgeLines = [...mermaid.matchAll(/^ {2}n(\d+) (-->|-\.->)(?:\|"(.*)"\|)? n(\d+)$/gm)];
    expect(edgeLines.length).toBeGreaterThan(10);
    expect(arrows(scene)).toHaveLength(edgeLines.length);
    const all = byId(scene);
    const shapeOf = (n: string) => shapeNamed(scene, session.components[Number(n) - 1].name);
    for (const [, from, kind, label, to] of edgeLines) {
      const arrow = arrows(scene).find((a) => a.startBinding.elementId === shapeOf(from).id && a.endBinding.elementId === shapeOf(to).id)!;
      expect(arrow, `${from} ${kind} ${to}`).toBeDefined();
      expect(arrow.strokeStyle).toBe(kind === '-.->' ? 'dashed' : 'solid');
      const text = arrow.boundElements.length ? (all.get(arrow.boundElements[0].id) as ExcalidrawText) : undefined;
      expect(text?.originalText).toBe(label === undefined ? undefined : unescapeMermaid(label));
    }
    expect(arrows(scene).find((a) => a.strokeStyle === 'dashed')).toBeDefined();
    const guestToGateway = arrows(scene).find((a) => a.startBinding.elementId === shapeNamed(scene, 'Guest').id && a.endBinding.elementId === shapeNamed(scene, 'API Gateway').id)!;
    expect((all.get(guestToGateway.boundElements[0].id) as ExcalidrawText).originalText).toBe('POST /bookings\nGET /listings\nGET /listings/{id}');
  });

  it('uses one look per type, with the mermaid colours', () => {
    const mermaid = architectureDiagram(session)!;
    const classes = new Map([...mermaid.matchAll(/classDef t_(\w+) fill:(#\w+),stroke:(#\w+)/g)].map(([, t, fill, stroke]) => [t.replace('_', '-'), { fill, stroke }]));
    for (const c of session.components) {
      const s = shapeNamed(scene, c.name);
      expect({ fill: s.backgroundColor, stroke: s.strokeColor }, c.name).toEqual(classes.get(c.type));
    }
    expect(shapeNamed(scene, 'Guest')).toMatchObject({ type: 'ellipse' });
    expect(shapeNamed(scene, 'API Gateway')).toMatchObject({ type: 'diamond' });
    expect(shapeNamed(scene, 'Booking Service')).toMatchObject({ type: 'rectangle', roundness: null });
    expect(shapeNamed(scene, 'Booking DB')).toMatchObject({ type: 'rectangle', roundness: { type: 3 }, fillStyle: 'solid' });
    expect(shapeNamed(scene, 'Photo Storage')).toMatchObject({ type: 'rectangle', roundness: { type: 3 }, fillStyle: 'hachure' });
    expect(shapeNamed(scene, 'Payment Provider')).toMatchObject({ type: 'rectangle', strokeStyle: 'dashed' });
  });

  it('lays the shapes out without overlaps, left to right, with labels clear of the shapes', () => {
    const s = shapes(scene);
    for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) expect(overlap(s[i], s[j]), `${s[i].id} and ${s[j].id}`).toBe(false);
    const labels = texts(scene).filter((t) => byId(scene).get(t.containerId!)!.type === 'arrow');
    for (const l of labels) for (const shape of s) expect(overlap(l, shape), `label ${JSON.stringify(l.originalText)} and a shape`).toBe(false);
    // Left to right: the client is left of the gateway, which is left of the database.
    expect(shapeNamed(scene, 'Guest').x).toBeLessThan(shapeNamed(scene, 'API Gateway').x);
    expect(shapeNamed(scene, 'API Gateway').x).toBeLessThan(shapeNamed(scene, 'Booking DB').x);
  });

  it('routes no arrow through a shape it is not bound to', () => {
    for (const a of arrows(scene)) {
      for (const s of shapes(scene)) {
        if (s.id === a.startBinding.elementId || s.id === a.endBinding.elementId) continue;
        for (let i = 1; i < a.points.length; i++) {
          const [p, q] = [a.points[i - 1], a.points[i]].map(([x, y]) => ({ x: a.x + x, y: a.y + y }));
          expect(segmentCrossesBox(p, q, s), `${a.id} segment ${i} and ${s.id}`).toBe(false);
        }
      }
    }
  });

  it('sizes shapes so their text fits, and centres it', () => {
    expectTextFits(scene);
  });

  it('starts and ends arrows on the shape outlines, aimed at the centres, labels on the arrow middles', () => {
    expectEndsOnOutlines(scene);
    const all = byId(scene);
    for (const a of arrows(scene)) {
      if (!a.boundElements.length) continue;
      const t = all.get(a.boundElements[0].id) as ExcalidrawText;
      const [x, y] = labelPoint(a);
      expect(t.x + t.width / 2).toBeCloseTo(x, 1);
      expect(t.y + t.height / 2).toBeCloseTo(y, 1);
    }
  });

  it('gives byte-identical files for the same session, also after other scenes were laid out', () => {
    const first = renderExcalidraw(session)!;
    renderExcalidraw(sessionWith([component('A'), component('B')], flow(edge('A', 'B', 'x'), edge('B', 'A', 'y'))));
    expect(renderExcalidraw(parseSession(fixtureSource))).toBe(first);
    expect(first.endsWith('}\n')).toBe(true);
    expect(first).toBe(`${JSON.stringify(JSON.parse(first), null, 2)}\n`);
    expect(JSON.parse(first)).toEqual(scene);
    expect(first).not.toMatch(/"updated": (?!1,)/);
  });

  it('keeps the ids of unchanged components and edges when unrelated text moves', () => {
    // Workflows in another order, components listed backwards, an unrelated component added.
    const flows = fixtureSource.match(/^### Workflow: [\s\S]*?(?=^### Components)/m)![0];
    const blocks = flows.split(/(?=### Workflow: )/);
    let moved = fixtureSource.replace(flows, [...blocks].reverse().join(''));
    const list = moved.match(/(?<=<!-- \/sdp:hint workflows\/components -->\n\n)(?:- .*\n)+/)![0];
    moved = moved.replace(list, `${list.trimEnd().split('\n').reverse().join('\n')}\n- Audit Log [database]: unrelated\n`);
    const other = parseSession(moved);
    expect(other.workflows.map((w) => w.name)).toEqual(session.workflows.map((w) => w.name).reverse());
    expect(other.components.map((c) => c.name)).not.toEqual(session.components.map((c) => c.name));
    const scene2 = excalidrawScene(other)!;
    expectValidScene(scene2);
    for (const c of session.components) {
      const [a, b] = [shapeNamed(scene, c.name), shapeNamed(scene2, c.name)];
      expect(b.id, c.name).toBe(a.id);
      expect(b.seed, c.name).toBe(a.seed);
      expect(b.boundElements.find((x) => x.type === 'text')!.id).toBe(a.boundElements.find((x) => x.type === 'text')!.id);
    }
    const pairs = (s: ExcalidrawFile) => new Map(arrows(s).map((a) => [`${a.startBinding.elementId} ${a.endBinding.elementId}`, a.id]));
    for (const [pair, id] of pairs(scene)) expect(pairs(scene2).get(pair), pair).toBe(id);
  });
});

describe('excalidrawScene on synthetic sessions', () => {
  it('gives undefined for a session without components', () => {
    expect(excalidrawScene(sessionWith([], []))).toBeUndefined();
    expect(renderExcalidraw(sessionWith([], flow(edge('A', 'B', 'x'))))).toBeUndefined();
  });

  it('draws a lone component with no arrows', () => {
    const scene = excalidrawScene(sessionWith([component('Only One')], []))!;
    expectValidScene(scene);
    expect(scene.elements.map((e) => e.type)).toEqual(['rectangle', 'text']);
  });

  it('stores hostile names and labels verbatim and makes the shape wide enough', () => {
    const long = `${'Very long component name '.repeat(12)}`.slice(0, 300);
    expect(long).toHaveLength(300);
    const cases = [...hostile, 'He said "hi" \\ \'quoted\'', '🚀👩🏽‍💻 emoji 🇯🇵', '日本語のコンポーネント名', '<script>alert("x")</script>', long, 'x'.repeat(300), '日'.repeat(300)];
    for (const name of cases) {
      const session = sessionWith([component('Client', 'client'), component(name, 'database')], flow(edge('Client', name, name)));
      const scene = excalidrawScene(session)!;
      const file = renderExcalidraw(session)!;
      expectValidScene(scene);
      expectTextFits(scene);
      expectEndsOnOutlines(scene);
      expect(JSON.parse(file), JSON.stringify(name)).toEqual(scene);
      const named = texts(scene).filter((t) => t.originalText === name);
      if (name === '') {
        // Nothing to show: no empty text elements, which Excalidraw would delete on load.
        expect(texts(scene).map((t) => t.originalText)).toEqual(['Client']);
        continue;
      }
      expect(named, JSON.stringify(name)).toHaveLength(2); // the shape's name and the arrow's label
      // Only JSON's own escaping: the name appears in the file exactly as JSON.stringify writes it.
      expect(file).toContain(`"originalText": ${JSON.stringify(name)}`);
      for (const t of named) {
        // The drawn text is the name wrapped at spaces (or inside a word too long for a line).
        const squash = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(/[ \n]/g, '');
        expect(squash(t.text), JSON.stringify(name)).toBe(squash(name));
      }
    }
    const wide = excalidrawScene(sessionWith([component('A'), component(long, 'gateway')], flow(edge('A', long, 'x'))))!;
    const diamond = shapeNamed(wide, long);
    expect(diamond.type).toBe('diamond');
    expect(
      texts(wide)
        .find((t) => t.containerId === diamond.id)!
        .text.split('\n').length,
    ).toBeGreaterThan(3);
    expectTextFits(wide);
  });

  it('keeps unicode and markup literal in the file', () => {
    const names = ['<script>alert(1)</script>', '日本語のラベル', '🚀 launch', 'a "quoted" name'];
    const file = renderExcalidraw(
      sessionWith(
        names.map((n) => component(n)),
        flow(edge(names[0], names[1], names[2])),
      ),
    )!;
    expect(file).toContain('"originalText": "<script>alert(1)</script>"');
    expect(file).toContain('"originalText": "日本語のラベル"');
    expect(file).toContain('"originalText": "🚀 launch"');
    expect(file).toContain('"originalText": "a \\"quoted\\" name"');
    expect(file).not.toMatch(/\\u[0-9a-f]{4}/i);
  });

  it('draws a self-edge as a loop above the shape, bound at both ends, with its label on top', () => {
    const session = sessionWith(
      [component('Gateway', 'gateway'), component('Worker'), component('Other')],
      flow(edge('Gateway', 'Worker', 'enqueue'), edge('Gateway', 'Other', 'call'), edge('Worker', 'Worker', 'retry with backoff')),
    );
    const scene = excalidrawScene(session)!;
    expectValidScene(scene);
    expectEndsOnOutlines(scene);
    const worker = shapeNamed(scene, 'Worker');
    const loop = arrows(scene).find((a) => a.startBinding.elementId === worker.id && a.endBinding.elementId === worker.id)!;
    expect(loop).toBeDefined();
    expect(loop.points.length % 2).toBe(1);
    expect(worker.boundElements.filter((b) => b.id === loop.id)).toHaveLength(1);
    // Every point but the two ends is above the shape; the label sits above it too.
    for (const [x, y] of loop.points.slice(1, -1)) expect(loop.y + y, `${x}`).toBeLessThan(worker.y);
    const label = byId(scene).get(loop.boundElements[0].id) as ExcalidrawText;
    expect(label.originalText).toBe('retry with backoff');
    expect(label.y + label.height).toBeLessThan(worker.y);
    const [lx, ly] = labelPoint(loop);
    expect(label.x + label.width / 2).toBeCloseTo(lx, 1);
    expect(label.y + label.height / 2).toBeCloseTo(ly, 1);
    // The room for the loop was reserved: nothing else overlaps it.
    const loopBox = {
      x: loop.x + Math.min(...loop.points.map((p) => p[0])),
      y: Math.min(label.y, loop.y + Math.min(...loop.points.map((p) => p[1]))),
      width: Math.max(loop.width, label.width),
      height: worker.y - label.y,
    };
    for (const s of shapes(scene)) if (s !== worker) expect(overlap(loopBox, s)).toBe(false);
    // An unlabelled self-edge is a loop too.
    const bare = excalidrawScene(sessionWith([component('A')], flow(edge('A', 'A'))))!;
    expectValidScene(bare);
    expect(arrows(bare)).toHaveLength(1);
    expect(arrows(bare)[0].boundElements).toEqual([]);
  });

  it('merges edges per ordered pair like the flowchart: capped labels, dashed only when wiring alone has it', () => {
    const calls = Array.from({ length: 5 }, (_, i) => edge('A', 'B', `call ${i}`));
    const scene = excalidrawScene(
      sessionWith([component('A'), component('B'), component('C')], flow(...calls, edge('B', 'A', 'reply'), edge('a', 'b', 'call 1')), [edge('B', 'C', 'sync'), edge('A', 'B', 'wired')]),
    )!;
    expectValidScene(scene);
    const all = byId(scene);
    const [a, b, c] = ['A', 'B', 'C'].map((n) => shapeNamed(scene, n).id);
    const arrow = (from: string, to: string) => arrows(scene).find((x) => x.startBinding.elementId === from && x.endBinding.elementId === to)!;
    const label = (x: ExcalidrawArrow) => (all.get(x.boundElements[0].id) as ExcalidrawText).originalText;
    expect(arrows(scene)).toHaveLength(3);
    expect(label(arrow(a, b))).toBe('call 0\ncall 1\ncall 2\n+3 more');
    expect(arrow(a, b).strokeStyle).toBe('solid');
    expect(label(arrow(b, a))).toBe('reply');
    expect(arrow(b, c).strokeStyle).toBe('dashed');
    expect(label(arrow(b, c))).toBe('sync');
    // A -> B and B -> A are separate arrows on separate paths.
    expect(arrow(a, b).points).not.toEqual(arrow(b, a).points);
  });

  it('leaves out edges to names that are not components', () => {
    const scene = excalidrawScene(sessionWith([component('A'), component('B')], flow(edge('A', 'B', 'ok'), edge('A', 'Ghost', 'lost'))))!;
    expectValidScene(scene);
    expect(arrows(scene)).toHaveLength(1);
  });

  it('numbers elements with valid fractional indices past the one-digit range', () => {
    expect([0, 1, 9, 10, 35, 36, 61, 62, 63, 62 + 62 * 62].map(fractionalIndex)).toEqual(['a0', 'a1', 'a9', 'aA', 'aZ', 'aa', 'az', 'b00', 'b01', 'c000']);
    const names = Array.from({ length: 40 }, (_, i) => `Service ${i}`);
    const scene = excalidrawScene(
      sessionWith(
        names.map((n) => component(n)),
        flow(...names.slice(1).map((n, i) => edge(names[i], n, `step ${i}`))),
      ),
    )!;
    expect(scene.elements.length).toBeGreaterThan(62);
    expectValidScene(scene);
  });
});
