// Session -> mermaid text. Node ids are generated (n1, p1, …), never taken from user
// text, and every label is quoted and entity-escaped so any text parses and renders
// as typed: no directive, click, style or HTML can come through a label.
import { componentKey } from '../parse/components.js';
import type { Component, ComponentType, Session, Workflow } from '../session.js';
import { architectureGraph, lookOf, shownLabels, type NodeShape } from './graph.js';

/**
 * Any user text as a mermaid label: flowchart `id["…"]` and `-->|"…"|`, sequence
 * `participant p1 as …` and `p1->>p2: …`. One pass of entity codes, so order does not
 * matter: `#` and `;` end sequence text, `%%{init}%%` is found anywhere, `"` ends a
 * flowchart label, a leading backtick switches to markdown, `& < >` would be HTML, `$$`
 * maths, `\` an escape, and `ﬂ`/`¶` are mermaid's own placeholder characters. Checked
 * against mermaid's parser with tests/fixtures/hostile-labels.json.
 */
export function escapeLabel(text: string): string {
  const out = text
    .replace(/\r\n?/g, '\n')
    .replace(/[#"&<>`;:%$\\\uFB02\u00B6]/g, (c) => `#${c.codePointAt(0)};`)
    .replace(/\n/g, '<br>');
  return out.trim() === '' ? '#32;' : out;
}

/** Mermaid's syntax for each outline of the palette. */
const SHAPES: Record<NodeShape, [string, string]> = {
  stadium: ['(["', '"])'],
  rectangle: ['["', '"]'],
  hexagon: ['{{"', '"}}'],
  cylinder: ['[("', '")]'],
  subroutine: ['[["', '"]]'],
  parallelogram: ['[/"', '"/]'],
  circle: ['(("', '"))'],
  flag: ['>"', '"]'],
};

/**
 * The architecture flowchart, or undefined when nothing is connected or declared. Top to
 * bottom (clients above, stores below): half the width of left to right on the samples
 * (bench/layout.mjs), so a big architecture stays legible in a report's column.
 */
export function architectureDiagram(session: Session): string | undefined {
  const graph = architectureGraph(session);
  if (!graph) return undefined;
  const lines = ['flowchart TB'];
  for (const node of graph.nodes) {
    const [open, close] = SHAPES[lookOf(node.type).shape];
    lines.push(`  ${node.id}${open}${escapeLabel(node.label)}${close}:::${className(node.type)}`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.wiringOnly ? '-.->' : '-->';
    const shown = shownLabels(edge);
    const label = shown.length ? `|"${escapeLabel(shown.join('\n'))}"|` : '';
    lines.push(`  ${edge.from.id} ${arrow}${label} ${edge.to.id}`);
  }
  const used = [...new Set(graph.nodes.map((n) => n.type))];
  for (const type of used) {
    const look = lookOf(type);
    lines.push(`  classDef ${className(type)} fill:${look.fill},stroke:${look.stroke}`);
  }
  return `${lines.join('\n')}\n`;
}

function className(type: ComponentType): string {
  return `t_${type.replace('-', '_')}`;
}

/** One sequence diagram per workflow; undefined when the workflow has no steps. */
export function workflowDiagram(workflow: Workflow, components: Component[]): string | undefined {
  if (workflow.edges.length === 0) return undefined;
  const byKey = new Map(components.map((c) => [componentKey(c.name), c]));
  const ids = new Map<string, string>();
  const lines = ['sequenceDiagram', '  autonumber'];
  const participant = (name: string) => {
    const key = componentKey(name);
    let pid = ids.get(key);
    if (!pid) {
      pid = `p${ids.size + 1}`;
      ids.set(key, pid);
      const c = byKey.get(key);
      const kind = c?.type === 'client' ? 'actor' : 'participant';
      lines.push(`  ${kind} ${pid} as ${escapeLabel(c?.name ?? name)}`);
    }
    return pid;
  };
  for (const e of workflow.edges) {
    participant(e.from);
    participant(e.to);
  }
  for (const e of workflow.edges) {
    lines.push(`  ${ids.get(componentKey(e.from))}->>${ids.get(componentKey(e.to))}: ${escapeLabel(e.action)}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface ReportDiagram {
  /** `architecture` or `workflow-<n>` (n counts drawn workflows from 1): the picture's file stem. */
  key: string;
  title: string;
  mermaid: string;
}

/** Every diagram a report shows, in order, with stable keys for their picture files. */
export function reportDiagrams(session: Session): { architecture?: ReportDiagram; workflows: ReportDiagram[] } {
  const flow = architectureDiagram(session);
  const workflows = session.workflows
    .map((w) => ({ w, mermaid: workflowDiagram(w, session.components) }))
    .filter((x): x is { w: Workflow; mermaid: string } => x.mermaid !== undefined)
    .map((x, i) => ({ key: `workflow-${i + 1}`, title: x.w.name, mermaid: x.mermaid }));
  return { architecture: flow ? { key: 'architecture', title: 'Architecture', mermaid: flow } : undefined, workflows };
}
