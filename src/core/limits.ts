// Limits on what a session may hold, where going past them would make sdp recurse as deep as
// the input (a stack overflow is a crash, not an answer). Each is documented in the README
// ("Limits") and gives a positioned note and exit 1 instead.

/**
 * Markdown nested deeper than this (a list in a list in a quote…, emphasis in emphasis) is
 * refused: every walk over the tree, and the parse cache's JSON, recurses once per level.
 * 1,500 nested list markers (3 KB) overflowed the stack; nobody writes 100 levels on purpose.
 */
export const MAX_MARKDOWN_DEPTH = 200;

/**
 * The .excalidraw scene is laid out by dagre, whose ordering walks the graph depth first by
 * recursion: a chain of 2,000 components overflowed the stack. Mermaid's own limit (maxEdges)
 * is 500 edges, so a diagram this large has no mermaid picture either.
 */
export const MAX_DIAGRAM_LINKS = 500;

import { componentKey } from './parse/components.js';

interface Tree {
  position?: { start: { line: number } };
  children?: Tree[];
}

/** The first node deeper than `max` levels below `roots`, found without recursion, or undefined. */
export function tooDeep(roots: Tree[], max = MAX_MARKDOWN_DEPTH): { line: number } | undefined {
  const stack: { node: Tree; depth: number }[] = roots.map((node) => ({ node, depth: 1 }));
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (depth > max) return { line: node.position?.start.line ?? 1 };
    for (const child of node.children ?? []) stack.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}

/** The links of the architecture picture: one per ordered pair of components, as it merges them. */
export function diagramLinks(session: { workflows: { edges: { from: string; to: string }[] }[]; wiring: { from: string; to: string }[] }): number {
  const pairs = new Set<string>();
  const add = (e: { from: string; to: string }) => pairs.add(`${componentKey(e.from)}\u0000${componentKey(e.to)}`);
  for (const w of session.workflows) for (const e of w.edges) add(e);
  for (const e of session.wiring) add(e);
  return pairs.size;
}
