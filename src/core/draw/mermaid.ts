// Session -> mermaid text. Node ids are generated (n1, p1, …), never taken from user
// text, and every label is quoted and entity-escaped so any text parses and renders
// as typed: no directive, click, style or HTML can come through a label.
import { componentKey } from '../parse/components.js';
import type { Component, ComponentType, Edge, Session, Workflow } from '../session.js';

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

const SHAPES: Record<ComponentType, [string, string]> = {
  client: ['(["', '"])'],
  service: ['["', '"]'],
  gateway: ['{{"', '"}}'],
  'load-balancer': ['{{"', '"}}'],
  database: ['[("', '")]'],
  cache: ['[("', '")]'],
  queue: ['[["', '"]]'],
  storage: ['[/"', '"/]'],
  cdn: ['(("', '"))'],
  external: ['>"', '"]'],
};

const STYLES: Record<ComponentType, string> = {
  client: 'fill:#eef6ff,stroke:#3b82f6',
  service: 'fill:#f5f5f5,stroke:#525252',
  gateway: 'fill:#f3e8ff,stroke:#7c3aed',
  'load-balancer': 'fill:#f3e8ff,stroke:#7c3aed',
  database: 'fill:#ecfdf5,stroke:#059669',
  cache: 'fill:#fff7ed,stroke:#ea580c',
  queue: 'fill:#fefce8,stroke:#ca8a04',
  storage: 'fill:#ecfdf5,stroke:#059669',
  cdn: 'fill:#eef6ff,stroke:#0891b2',
  external: 'fill:#fef2f2,stroke:#dc2626',
};

const MAX_LABELS_PER_EDGE = 3;

interface Link {
  from: string;
  to: string;
  labels: string[];
  /** Only from the Wiring section: drawn dotted. */
  wiringOnly: boolean;
}

/** The architecture flowchart, or undefined when nothing is connected or declared. */
export function architectureDiagram(session: Session): string | undefined {
  const components = session.components;
  if (components.length === 0) return undefined;
  const ids = new Map<string, string>();
  components.forEach((c, i) => ids.set(componentKey(c.name), `n${i + 1}`));
  const id = (name: string) => ids.get(componentKey(name))!;

  const links = new Map<string, Link>();
  const add = (e: Edge, wiring: boolean) => {
    const key = `${id(e.from)} ${id(e.to)}`;
    const link = links.get(key) ?? { from: id(e.from), to: id(e.to), labels: [], wiringOnly: wiring };
    if (!wiring) link.wiringOnly = false;
    if (e.action && !link.labels.includes(e.action)) link.labels.push(e.action);
    links.set(key, link);
  };
  for (const w of session.workflows) for (const e of w.edges) add(e, false);
  for (const e of session.wiring) add(e, true);

  const lines = ['flowchart LR'];
  for (const c of components) {
    const [open, close] = SHAPES[c.type];
    lines.push(`  ${id(c.name)}${open}${escapeLabel(c.name)}${close}:::${className(c.type)}`);
  }
  for (const link of links.values()) {
    const arrow = link.wiringOnly ? '-.->' : '-->';
    const shown = link.labels.slice(0, MAX_LABELS_PER_EDGE);
    if (link.labels.length > shown.length) shown.push(`+${link.labels.length - shown.length} more`);
    const label = shown.length ? `|"${escapeLabel(shown.join('\n'))}"|` : '';
    lines.push(`  ${link.from} ${arrow}${label} ${link.to}`);
  }
  const used = [...new Set(components.map((c) => c.type))];
  for (const type of used) lines.push(`  classDef ${className(type)} ${STYLES[type]}`);
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
