import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureDiagram, escapeLabel, workflowDiagram } from '../src/core/draw/mermaid.js';
import { parseSession } from '../src/core/parse/parse.js';
import type { Component, Session, Workflow } from '../src/core/session.js';
import { parseMermaid } from './support/mermaid-parse.js';

const hostile: string[] = JSON.parse(readFileSync(new URL('./fixtures/hostile-labels.json', import.meta.url), 'utf8'));

function sessionWith(components: Component[], workflows: Workflow[], wiring: Workflow['edges'] = []): Session {
  return { components, workflows, wiring } as unknown as Session;
}

function component(name: string, type: Component['type'] = 'service'): Component {
  return { name, type, typed: true, responsibility: '' };
}

describe('escapeLabel', () => {
  it('leaves plain text alone and encodes what mermaid would read as syntax', () => {
    expect(escapeLabel('Booking Service')).toBe('Booking Service');
    expect(escapeLabel('a "b" #c; <d> & `e` %%f $g \\h: i')).toBe('a #34;b#34; #35;c#59; #60;d#62; #38; #96;e#96; #37;#37;f #36;g #92;h#58; i');
    expect(escapeLabel('two\nlines')).toBe('two<br>lines');
    expect(escapeLabel('')).toBe('#32;');
    expect(escapeLabel('  ')).toBe('#32;');
  });
});

describe("generated mermaid passes mermaid's own parser for every hostile label", () => {
  it(`as component names and edge labels in the flowchart (${hostile.length} labels)`, async () => {
    for (const label of hostile) {
      const diagram = architectureDiagram(
        sessionWith([component('Client', 'client'), component(label, 'database')], [{ name: 'w', line: 1, edges: [{ from: 'Client', to: label, action: label, line: 1 }] }]),
      )!;
      await expect(parseMermaid(diagram), JSON.stringify(label)).resolves.toBeUndefined();
      // Two node lines, one edge line, class definitions: nothing a label added.
      const body = diagram.split('\n').slice(1).filter(Boolean);
      expect(
        body.filter((l) => !l.startsWith('  classDef ')),
        JSON.stringify(label),
      ).toHaveLength(3);
      expect(
        body.every((l) => /^  (n\d+[(\[{>]|n\d+ -->|classDef t_\w+ )/.test(l)),
        JSON.stringify(label),
      ).toBe(true);
    }
  });

  it('as participant names and message texts in sequence diagrams', async () => {
    for (const label of hostile) {
      const diagram = workflowDiagram({ name: 'w', line: 1, edges: [{ from: label, to: 'Service', action: label, line: 1 }] }, [component(label, 'client')])!;
      await expect(parseMermaid(diagram), JSON.stringify(label)).resolves.toBeUndefined();
      expect(diagram.split('\n').filter(Boolean), JSON.stringify(label)).toHaveLength(5);
    }
  });

  it('when the labels come through a session file and the parser', async () => {
    const lines = hostile.filter((l) => !/[\r\n]/.test(l) && !/->|→|=>|:/.test(l) && l.trim() !== '');
    const source = `---\nsdp: 1\nquestion: x\n---\n## 4. Workflows\n### Workflow: w\n${lines.map((l) => `- Client -> Service: ${l}`).join('\n')}\n`;
    const session = parseSession(source);
    expect(session.workflows[0].edges.length).toBe(lines.length);
    await expect(parseMermaid(architectureDiagram(session)!)).resolves.toBeUndefined();
    await expect(parseMermaid(workflowDiagram(session.workflows[0], session.components)!)).resolves.toBeUndefined();
  });
});

describe('architectureDiagram', () => {
  const session = parseSession(readFileSync(new URL('./fixtures/airbnb-complete.md', import.meta.url), 'utf8'));
  const diagram = architectureDiagram(session)!;

  it('draws every component once with a generated id and a shape for its type', () => {
    expect(diagram).toContain('n8[("Booking DB")]:::t_database');
    expect(diagram).toContain('n1(["Guest"]):::t_client');
    expect(diagram).toContain('n13>"Payment Provider"]:::t_external');
    expect(diagram.match(/^  n\d+[(\[{>]/gm)).toHaveLength(session.components.length);
  });

  it('merges the labels of edges between the same pair, and dots edges that only wiring has', () => {
    expect(diagram).toContain('n1 -->|"POST /bookings<br>GET /listings<br>GET /listings/{id}"| n3');
    expect(diagram).toContain('n15 -.->|"fetch photos on cache miss"| n14');
  });

  it('caps the labels on one edge and says how many more', () => {
    const edges = Array.from({ length: 5 }, (_, i) => ({ from: 'A', to: 'B', action: `call ${i}`, line: i }));
    const out = architectureDiagram(sessionWith([component('A'), component('B')], [{ name: 'w', line: 1, edges }]))!;
    expect(out).toContain('n1 -->|"call 0<br>call 1<br>call 2<br>+2 more"| n2');
  });

  it('gives nothing to draw for a session without components', () => {
    expect(architectureDiagram(sessionWith([], []))).toBeUndefined();
  });

  it('parses in mermaid, as do the sequence diagrams', async () => {
    await expect(parseMermaid(diagram)).resolves.toBeUndefined();
    for (const w of session.workflows) await expect(parseMermaid(workflowDiagram(w, session.components)!)).resolves.toBeUndefined();
  });
});
