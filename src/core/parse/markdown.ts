// parseBlocks(body) -> the top-level markdown nodes of a session body, from remark.
//
// micromark is exact but slow here (~0.25 MB/s cold, ~0.6 MB/s warm on this project's
// machines), so a 2,000-line session costs ~300 ms to parse. Most saves and checks change
// one section, so the body is cut into chunks at points where a whole-document parse would
// start afresh anyway, and each chunk's nodes can be reused from a cache keyed by its text.
// The chunked result is the whole-document result, positions included: a chunk whose last
// block was still open at its end (a fence, raw HTML) is merged with the next one, and a
// document with link definitions, which act across the whole document, is never cut.
import { append } from '../append.js';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import type { Root, RootContent } from 'mdast';
import { ContentError } from '../errors.js';
import { MAX_MARKDOWN_DEPTH, tooDeep } from '../limits.js';

/** Names what the nodes depend on: change it whenever the parser or its options change. */
export const PARSER_KEY = 'remark-parse@11.0.0+gfm-table@2.1.2/1';

/**
 * Parsed chunks by their exact text. `get` returns serialized nodes (positions relative to the
 * chunk) that the caller may take apart; `set` is called once per chunk parsed afresh.
 */
export interface BlockCache {
  get(chunk: string): string | undefined;
  set(chunk: string, nodes: string): void;
}

// Only GFM tables: candidates write APIs, components and schemas as tables. The rest of
// GFM (autolinks, footnotes, strikethrough) changes nothing we read and costs start-up time.
function remarkTables(this: { data(): { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] } }) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
}

const markdown = unified().use(remarkParse).use(remarkTables);

/** remark's parse of `text` in one piece: positions relative to it. */
export function parseMarkdown(text: string): RootContent[] {
  return (markdown.parse(text) as Root).children;
}

/** A heading at the start of a line after a blank line closes every block but a fence or raw HTML. */
const CUT = /\n[ \t]*\r?\n(?=#{1,6}(?:[ \t]|\r?$))/gm;
/** A link definition anywhere makes references resolve across chunks: then the body stays whole. */
const DEFINITION = /^[ \t>*+\-\d.)]*\[[^\]\n]+\]:/m;

/**
 * Top-level nodes of `body`, positioned as if `body` started at `offset` on `line` of the file
 * (column 1). Equal to remark's parse of the whole body.
 */
export function parseBlocks(body: string, offset = 0, line = 1, cache?: BlockCache): RootContent[] {
  const nodes: RootContent[] = [];
  const starts = chunkStarts(body);
  let lineAt = line;
  let from = 0;
  for (let i = 0; i < starts.length; i++) {
    const end = starts[i + 1] ?? body.length;
    const chunk = body.slice(from, end);
    const parsed = parseChunk(chunk, cache);
    // Before anything walks the tree (shift below, the cache's JSON, every extractor) recurses.
    const deep = tooDeep(parsed);
    if (deep) {
      throw ContentError.at(
        'markdown-too-deep',
        lineAt - 1 + deep.line,
        `markdown nested more than ${MAX_MARKDOWN_DEPTH} levels deep (lists, quotes or emphasis inside each other): sdp does not read it`,
        'flatten it to a few levels',
      );
    }
    if (end < body.length && runsOn(parsed, chunk)) continue; // parse it with the next chunk
    for (const node of parsed) shift(node, offset + from, lineAt - 1);
    append(nodes, parsed);
    lineAt += countLines(chunk);
    from = end;
  }
  return nodes;
}

/** Where chunks may start: 0, then every heading line that follows a blank line. */
export function chunkStarts(body: string): number[] {
  const starts = [0];
  if (DEFINITION.test(body)) return starts;
  for (const m of body.matchAll(CUT)) starts.push(m.index + m[0].length);
  return starts;
}

function parseChunk(chunk: string, cache: BlockCache | undefined): RootContent[] {
  const hit = cache?.get(chunk);
  if (hit !== undefined) {
    try {
      return JSON.parse(hit) as RootContent[];
    } catch {
      // A damaged entry is a miss.
    }
  }
  const nodes = parseMarkdown(chunk);
  if (!tooDeep(nodes)) cache?.set(chunk, JSON.stringify(nodes));
  return nodes;
}

function runsOn(nodes: RootContent[], chunk: string): boolean {
  const last = nodes.at(-1);
  if (!last) return false;
  // Every block that a heading after a blank line closes has closed at that blank line. A
  // block that runs on over it (a fence, raw HTML, a fence in a list item) was closed only by
  // the end of the chunk, and in the whole document it might swallow what follows.
  const blank = chunk.length - (/\n[ \t]*\r?\n$/.exec(chunk)?.[0].length ?? 1) + 1;
  return last.position!.end.offset! >= blank;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

interface Positioned {
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
  children?: Positioned[];
}

function shift(node: Positioned, offset: number, lines: number): void {
  if (node.position) {
    const { start, end } = node.position;
    start.offset = (start.offset ?? 0) + offset;
    end.offset = (end.offset ?? 0) + offset;
    start.line += lines;
    end.line += lines;
  }
  if (node.children) for (const child of node.children) shift(child, offset, lines);
}

/**
 * A cache in memory for a process that re-parses one file as it changes (`sdp watch`): each
 * parse reads the chunks of the previous one, and `next()` keeps only the chunks of the last,
 * so memory stays at about one document however long it runs. The first generation may fall
 * back on another cache (the one on disk), so the first parse starts warm.
 */
export class ChunkCache implements BlockCache {
  private readonly used = new Map<string, string>();

  constructor(
    private readonly previous = new Map<string, string>(),
    private readonly fallback?: BlockCache,
  ) {}

  get(chunk: string): string | undefined {
    const nodes = this.used.get(chunk) ?? this.previous.get(chunk) ?? this.fallback?.get(chunk);
    if (nodes !== undefined) this.used.set(chunk, nodes);
    return nodes;
  }

  set(chunk: string, nodes: string): void {
    this.used.set(chunk, nodes);
  }

  /** The cache for the next parse: this parse's chunks and no others. */
  next(): ChunkCache {
    return new ChunkCache(this.used);
  }

  /** This parse's chunks and their nodes. */
  entries(): IterableIterator<[string, string]> {
    return this.used.entries();
  }
}
