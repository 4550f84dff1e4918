import type { RootContent } from 'mdast';
import type { Diagnostic, OwnedBlock } from '../session.js';
import type { LineIndex } from '../text.js';

/** Shared state of one parse, handed to the extractors. */
export interface ParseContext {
  source: string;
  lines: LineIndex;
  owned: OwnedBlock[];
  diagnostics: Diagnostic[];
  /** Top-level markdown nodes outside owned blocks, with offsets into `source`. */
  nodes: RootContent[];
  title: string;
}
