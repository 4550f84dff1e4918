// Session -> mermaid text. Node ids are generated (n1, p1, …), never taken from user
// text, and every label is quoted and entity-escaped so any text parses and renders
// as typed: no directive, click, style or HTML can come through a label.
import { componentKey } from './components.js';
import type { Component, ComponentType, Edge, Session, Workflow } from './session.js';

/** Labels in flowcharts: `id["…"]` and `-->|"…"|`. Order matters: `#` first. */
export function escapeFlowLabel(text: string): string {
  const out = text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\r?\n/g, '<br>');
  return out.trim() === '' ? '#32;' : out;
}

/**
 * Text in sequence diagrams (participant names after `as`, message text after `:`):
 * unquoted, ends at the line, and `;` `#` `,` `:` and arrows mean something there.
 */
export function escapeSequenceText(text: string): string {
  const out = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/;/g, '#59;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/"/g, '#quot;')
    .replace(/`/g, '#96;')
    .replace(/,/g, '#44;')
    .replace(/:/g, '#58;')
    .replace(/%/g, '#37;')
    .replace(/\+/g, '#43;')
    .replace(/-/g, '#45;')
    .trim();
  return out === '' ? '#32;' : out;
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
    lines.push(`  ${id(c.name)}${open}${escapeFlowLabel(c.name)}${close}:::${className(c.type)}`);
  }
  for (const link of links.values()) {
    const arrow = link.wiringOnly ? '-.->' : '-->';
    const shown = link.labels.slice(0, MAX_LABELS_PER_EDGE);
    if (link.labels.length > shown.length) shown.push(`+${link.labels.length - shown.length} more`);
    const label = shown.length ? `|"${escapeFlowLabel(shown.join('\n'))}"|` : '';
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
      lines.push(`  ${kind} ${pid} as ${escapeSequenceText(c?.name ?? name)}`);
    }
    return pid;
  };
  for (const e of workflow.edges) {
    participant(e.from);
    participant(e.to);
  }
  for (const e of workflow.edges) {
    lines.push(`  ${ids.get(componentKey(e.from))}->>${ids.get(componentKey(e.to))}: ${escapeSequenceText(e.action || ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
