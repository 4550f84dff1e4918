// Pictures through the real browser. Skipped, saying why, where no Chromium is found
// (.ci/run installs Debian's chromium, so CI always runs them).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architectureDiagram, workflowDiagram } from '../src/core/draw/mermaid.js';
import { parseSession } from '../src/core/parse/parse.js';
import type { Component, Session } from '../src/core/session.js';
import { findBrowser, type BrowserChoice } from '../src/io/browser.js';
import { RenderError, UNSAFE, openRenderer, type Renderer } from '../src/io/render.js';
import { edgeLabelBoxes, overlapping, parseSvgXml } from './support/xml.js';

let browser: BrowserChoice | undefined;
try {
  browser = findBrowser();
} catch (err) {
  console.log(`skipping the render tests: ${(err as Error).message} (apt-get install -y chromium)`);
}

const hostile: string[] = JSON.parse(readFileSync(new URL('./fixtures/hostile-labels.json', import.meta.url), 'utf8'));
const component = (name: string, type: Component['type'] = 'service'): Component => ({ name, type, typed: true, responsibility: '' });
const sessionWith = (components: Component[], edges: { from: string; to: string; action: string }[]) =>
  ({ components, workflows: [{ name: 'w', line: 1, edges: edges.map((e) => ({ ...e, line: 1 })) }], wiring: [] }) as unknown as Session;
/** How a label reads back: mermaid trims the ends and shows line breaks as breaks. */
const shown = (label: string) => label.replace(/\r?\n/g, '').trim() || '';

describe.skipIf(!browser)('rendering with Chromium', () => {
  let r: Renderer;
  beforeAll(async () => {
    const opened = await openRenderer({ browser: browser!, timeoutMs: 30_000 });
    // Every SVG any test here draws is parsed as XML on the way out.
    r = {
      svg: async (definition, id) => {
        const svg = await opened.svg(definition, id);
        parseSvgXml(svg, `the SVG of ${JSON.stringify(definition.slice(0, 200))}`);
        return svg;
      },
      png: (svg) => opened.png(svg),
      labels: (svg) => opened.labels(svg),
      close: () => opened.close(),
    };
  }, 60_000);
  afterAll(async () => r?.close());

  it('draws the architecture and every workflow of the sample sessions', async () => {
    for (const name of ['airbnb', 'uber', 'payment-system']) {
      const session = parseSession(readFileSync(new URL(`../templates/samples/${name}.md`, import.meta.url), 'utf8'));
      const arch = await r.svg(architectureDiagram(session)!, `a-${name}`);
      expect(arch).toMatch(/^<svg[\s\S]*<\/svg>$/);
      expect(await r.labels(arch)).toEqual(expect.arrayContaining(session.components.map((c) => c.name)));
      for (const [i, w] of session.workflows.entries()) expect(await r.svg(workflowDiagram(w, session.components)!, `w-${name}-${i}`)).toContain('<svg');
    }
  }, 60_000);

  it(`shows ${hostile.length} hostile labels exactly as typed, in flowcharts and sequence diagrams`, async () => {
    for (const [i, label] of hostile.entries()) {
      // Mermaid's own placeholder syntax (ﬂ°lt¶ß) is decoded twice inside mermaid, whatever we
      // escape: the one known case that does not render as typed.
      if (shown(label) === '' || /ﬂ°\w+¶ß/.test(label)) continue;
      // Every line of the label shows, exactly as typed (mermaid trims the ends of each line).
      const lines = label
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      const arch = await r.svg(architectureDiagram(sessionWith([component('Client', 'client'), component(label)], [{ from: 'Client', to: label, action: label }]))!, `h${i}`);
      const archText = (await r.labels(arch)).join('\n');
      for (const line of lines) expect(archText, JSON.stringify(label)).toContain(line);
      expect(arch, JSON.stringify(label)).not.toMatch(UNSAFE);
      const seq = await r.svg(workflowDiagram({ name: 'w', line: 1, edges: [{ from: 'Client', to: label, action: label, line: 1 }] }, [component('Client', 'client'), component(label)])!, `s${i}`);
      const seqText = (await r.labels(seq)).join('\n');
      for (const line of lines) expect(seqText, JSON.stringify(label)).toContain(line);
      expect(seq, JSON.stringify(label)).not.toMatch(UNSAFE);
    }
  }, 120_000);

  it('lets no injection through: no script, no handler, no javascript: URL, no changed settings', async () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      'javascript:alert(1)',
      '%%{init: {"securityLevel": "loose"}}%%',
      'x"]\n  click n1 call alert()\n  n1["y',
      '<a href="javascript:alert(1)">x</a>',
      'x:::cls',
      'style n1 fill:#f00',
    ];
    for (const [i, p] of payloads.entries()) {
      const svg = await r.svg(architectureDiagram(sessionWith([component('A'), component(p)], [{ from: 'A', to: p, action: p }]))!, `i${i}`);
      expect(svg, p).not.toMatch(UNSAFE);
    }
  });

  it("refuses a diagram over mermaid's edge limit with a clear error", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `S${i}`);
    const edges = names.flatMap((a) => names.filter((b) => b !== a).map((b) => ({ from: a, to: b, action: '' }))).slice(0, 600);
    const err = await r
      .svg(
        architectureDiagram(
          sessionWith(
            names.map((n) => component(n)),
            edges,
          ),
        )!,
        'big',
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RenderError);
    expect((err as RenderError).kind).toBe('too-large');
    expect((err as Error).message).toMatch(/over mermaid's limits/);
  });

  it('draws many diagrams asked for at once, and one that fails stops none of the others', async () => {
    const session = parseSession(readFileSync(new URL('../templates/samples/uber.md', import.meta.url), 'utf8'));
    const good = [architectureDiagram(session)!, ...session.workflows.map((w) => workflowDiagram(w, session.components)!)];
    // More than a dozen waiting: a second page is opened and shares the work.
    const asked = Array.from({ length: 24 }, (_, i) => (i === 7 ? 'flowchart LR\n  n1["A"] -->\n' : good[i % good.length]));
    const drawn = await Promise.allSettled(asked.map((text, i) => r.svg(text, `many${i}`)));
    const failed = drawn[7] as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(RenderError);
    expect((failed.reason as RenderError).kind).toBe('invalid');
    for (const [i, d] of drawn.entries()) if (i !== 7) expect(d.status === 'fulfilled' && d.value, `diagram ${i}`).toMatch(/^<svg id="many\d+"[\s\S]*<\/svg>$/);
  }, 60_000);

  it('lays out the biggest sample architectures with no edge label over another', async () => {
    for (const name of ['uber', 'whatsapp', 'ticketmaster']) {
      const session = parseSession(readFileSync(new URL(`../templates/samples/${name}.md`, import.meta.url), 'utf8'));
      const svg = await r.svg(architectureDiagram(session)!, `big-${name}`);
      const boxes = edgeLabelBoxes(svg);
      expect(boxes.length, name).toBeGreaterThan(10);
      expect(overlapping(boxes), name).toEqual([]);
    }
  });

  it('writes an architecture whose merged labels break lines as well-formed XML', async () => {
    // Two hops joining the same pair: one edge labelled "send<br>ack", which mermaid returns as
    // HTML (`<br>` unclosed).
    const svg = await r.svg(
      architectureDiagram(
        sessionWith(
          [component('App', 'client'), component('Chat Server')],
          [
            { from: 'App', to: 'Chat Server', action: 'send &nbsp; frame' },
            { from: 'App', to: 'Chat Server', action: 'ack' },
          ],
        ),
      )!,
      'merged',
    );
    expect(() => parseSvgXml(svg)).not.toThrow();
    expect(svg).toMatch(/<br\s*\/>/);
    const shown = (await r.labels(svg)).join('\n');
    expect(shown).toContain('send &nbsp; frame');
    expect(shown).toContain('ack');
  });

  it("writes a PNG on a white background at twice the picture's own size", async () => {
    const session = parseSession(readFileSync(new URL('../tests/fixtures/airbnb-complete.md', import.meta.url), 'utf8'));
    for (const [i, text] of ['flowchart LR\n  n1["A"] --> n2["B"]\n', architectureDiagram(session)!, workflowDiagram(session.workflows[0], session.components)!].entries()) {
      const svg = await r.svg(text, `png${i}`);
      const png = await r.png(svg);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
      const { width, height } = parseSvgXml(svg);
      expect(png.readUInt32BE(16), `width of diagram ${i}`).toBe(2 * Math.ceil(width));
      expect(png.readUInt32BE(20), `height of diagram ${i}`).toBe(2 * Math.ceil(height));
    }
  });
});

describe.skipIf(!browser)("a diagram over the timeout, which counts from the browser's start", () => {
  it('stops the browser: the first fails as too slow, and every diagram waiting or asked for later fails saying why', async () => {
    const quick = await openRenderer({ browser: browser!, timeoutMs: 1 });
    try {
      const text = 'flowchart LR\n  n1["A"] --> n2["B"]\n';
      const drawn = await Promise.allSettled([0, 1, 2].map((i) => quick.svg(text, `t${i}`)));
      expect(drawn.map((d) => d.status === 'rejected' && (d.reason as RenderError).kind)).toEqual(['timeout', 'browser', 'browser']);
      expect((drawn[2] as PromiseRejectedResult).reason.message).toMatch(/the browser was stopped after starting the browser took longer than 0\.001 s/);
      await expect(quick.svg(text, 'later')).rejects.toHaveProperty('kind', 'browser');
    } finally {
      await quick.close();
    }
  }, 60_000);
});
