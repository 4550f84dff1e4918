// Every SVG sdp writes must be XML: GitHub, browsers and `<img>` show anything else as a broken
// image. @xmldom/xmldom reports what a browser's XML parser would refuse (unclosed tags, HTML
// entities such as &nbsp;, text after the root); its warnings are not errors.
import { DOMParser } from '@xmldom/xmldom';

/** The parsed SVG's root; throws saying what is wrong (and `where`) when the text is not XML. */
export function parseSvgXml(text: string, where = 'an SVG'): { width: number; height: number } {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${where} is not well-formed XML: ${message}`);
    },
  }).parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg') throw new Error(`${where} has no <svg> root`);
  // Mermaid's own size: the viewBox (width is "100%", the pixels are in max-width).
  const [, , width, height] = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  return { width, height };
}

export interface LabelBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The box of every edge label a mermaid flowchart SVG shows: where a reader sees its text. */
export function edgeLabelBoxes(svg: string): LabelBox[] {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const translate = (el: { getAttribute(name: string): string | null } | null) => {
    const m = /translate\(\s*([-\d.e]+)[\s,]+([-\d.e]+)\s*\)/.exec(el?.getAttribute('transform') ?? '');
    return m ? [Number(m[1]), Number(m[2])] : [0, 0];
  };
  const boxes: LabelBox[] = [];
  for (const outer of Array.from(doc.getElementsByTagName('g')).filter((g) => g.getAttribute('class') === 'edgeLabel')) {
    const label = Array.from(outer.getElementsByTagName('g')).find((g) => g.getAttribute('class') === 'label') ?? null;
    const box = outer.getElementsByTagName('foreignObject')[0];
    const text = (box?.textContent ?? '').trim();
    if (!box || text === '') continue;
    const [ox, oy] = translate(outer);
    const [lx, ly] = translate(label);
    const x0 = ox + lx;
    const y0 = oy + ly;
    boxes.push({ text, x0, y0, x1: x0 + Number(box.getAttribute('width')), y1: y0 + Number(box.getAttribute('height')) });
  }
  return boxes;
}

/** Pairs of boxes that share more than a sliver (2 px²). */
export function overlapping(boxes: LabelBox[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const area = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
      if (area > 2) pairs.push([a.text, b.text]);
    }
  }
  return pairs;
}
