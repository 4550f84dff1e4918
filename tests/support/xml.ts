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
