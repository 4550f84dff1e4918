// Content files in YAML (the playbook, the failure catalogue) read with their line numbers, so
// a malformed entry is reported at its own line. The core schema, no aliases beyond a few,
// unique keys: the same limits as session frontmatter.
import YAML, { isMap, isSeq, LineCounter, type Node } from 'yaml';
import { ContentError } from '../errors.js';

export interface YamlEntry {
  /** The entry as plain data. */
  value: Record<string, unknown>;
  /** 1-based line of the entry, or of one of its keys. */
  line(key?: string): number;
}

/** The list under `key` of a YAML file, each entry with its line; a missing key is an empty list. */
export function yamlList(text: string, key: string): YamlEntry[] {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(text, { schema: 'core', uniqueKeys: true, lineCounter: counter, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    throw ContentError.at(
      'yaml-invalid',
      problem.linePos?.[0].line ?? 1,
      `invalid YAML: ${problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      'fix the YAML (quote values that contain ": " or start with a special character)',
      problem.linePos?.[0].col ?? 1,
    );
  }
  const lineAt = (node: Node | null | undefined) => (node?.range ? counter.linePos(node.range[0]).line : 1);
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw ContentError.at('yaml-shape', 1, `expected \`${key}:\` followed by a list of entries`);
  const list = doc.contents.get(key, true) as Node | undefined;
  if (list === undefined) return [];
  if (!isSeq(list)) throw ContentError.at('yaml-shape', lineAt(list), `\`${key}:\` must be a list of entries (\`- id: …\`)`);
  return list.items.map((item) => {
    const node = item as Node;
    if (!isMap(node)) throw ContentError.at('yaml-shape', lineAt(node), `each entry of \`${key}:\` must be a set of \`key: value\` lines`);
    const value = node.toJSON() as Record<string, unknown>;
    return {
      value,
      line: (k?: string) => {
        if (k === undefined) return lineAt(node);
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === k);
        return lineAt((pair?.value as Node | undefined) ?? (pair?.key as Node | undefined) ?? node);
      },
    };
  });
}
