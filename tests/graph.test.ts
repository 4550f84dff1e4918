import { describe, expect, it } from 'vitest';
import { architectureDiagram } from '../src/core/draw/mermaid.js';
import { excalidrawScene } from '../src/core/draw/excalidraw/index.js';
import { architectureGraph, PALETTE, shownLabels } from '../src/core/draw/graph.js';
import type { Component, Session } from '../src/core/session.js';

const component = (name: string, type: Component['type'] = 'service'): Component => ({ name, type, typed: true, responsibility: '' });
const hop = (from: string, to: string, action: string) => ({ from, to, action, line: 1 });

describe('architectureGraph', () => {
  const session = {
    components: [component('end', 'client'), component('Chat Server'), component('chat  server'), component('Inbox DB', 'database')],
    workflows: [{ name: 'w', line: 1, edges: [hop('end', 'Chat Server', 'send'), hop('END', 'chat server', 'send'), hop('end', 'Chat Server', 'ack'), hop('Chat Server', 'Nowhere', 'x')] }],
    wiring: [hop('Chat Server', 'Inbox DB', 'write'), hop('Chat Server', 'Inbox DB', 'write')],
  } as unknown as Session;
  const graph = architectureGraph(session)!;

  it('gives each component one node with a generated id, never its text', () => {
    expect(graph.nodes.map((n) => [n.id, n.label])).toEqual([
      ['n1', 'end'],
      ['n2', 'Chat Server'],
      ['n3', 'Inbox DB'],
    ]);
  });

  it('merges hops joining the same pair into one edge with each label once, wiring-only edges marked', () => {
    expect(graph.edges.map((e) => [e.from.id, e.to.id, e.labels, e.wiringOnly])).toEqual([
      ['n1', 'n2', ['send', 'ack'], false],
      ['n2', 'n3', ['write'], true],
    ]);
  });

  it('shows at most three labels on an edge and counts the rest', () => {
    expect(shownLabels({ ...graph.edges[0], labels: ['a', 'b', 'c', 'd', 'e'] })).toEqual(['a', 'b', 'c', '+2 more']);
  });

  it('is what both writers draw: the same edges and the palette colours', () => {
    const mermaid = architectureDiagram(session)!;
    const scene = excalidrawScene(session)!;
    expect(mermaid.match(/-->|-\.->/g)).toHaveLength(graph.edges.length);
    expect(scene.elements.filter((e) => e.type === 'arrow')).toHaveLength(graph.edges.length);
    for (const type of ['client', 'service', 'database'] as const) {
      expect(mermaid).toContain(`fill:${PALETTE[type].fill},stroke:${PALETTE[type].stroke}`);
      expect(scene.elements.some((e) => e.backgroundColor === PALETTE[type].fill && e.strokeColor === PALETTE[type].stroke)).toBe(true);
    }
  });
});
