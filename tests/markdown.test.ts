// The chunked parse must be remark's whole-document parse, node for node and position for
// position: the checker, the hints and the report all read these nodes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkStarts, parseBlocks, parseMarkdown, type BlockCache } from '../src/core/parse/markdown.js';
import { counting } from './support/counting-cache.js';

const ROOT = path.resolve(__dirname, '..');

function whole(body: string): unknown {
  return parseMarkdown(body);
}

function mdFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? mdFiles(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
}

/** Chunks by text, as a cache holds them. */
class MapCache implements BlockCache {
  readonly entries = new Map<string, string>();
  get = (chunk: string) => this.entries.get(chunk);
  set = (chunk: string, nodes: string) => void this.entries.set(chunk, nodes);
}

describe('parseBlocks', () => {
  const files = [...mdFiles(path.join(ROOT, 'tests/fixtures')), ...mdFiles(path.join(ROOT, 'templates/samples'))].filter(
    (f) => !f.endsWith('README.md') && !f.includes(`${path.sep}grades${path.sep}`),
  );

  it.each(files.map((f) => [path.relative(ROOT, f), f]))('equals the whole-document parse of %s', (_name, file) => {
    const body = readFileSync(file, 'utf8');
    expect(chunkStarts(body).length).toBeGreaterThan(3);
    expect(parseBlocks(body)).toEqual(whole(body));
  });

  it('places nodes at their file offset and line', () => {
    const body = 'intro\n\n## Two\n\n- a\n- b\n';
    const [, heading, list] = parseBlocks(body, 100, 10);
    expect(heading.position).toMatchObject({ start: { line: 12, column: 1, offset: 107 } });
    expect(list.position).toMatchObject({ start: { line: 14, column: 1, offset: 115 }, end: { line: 15, column: 4, offset: 122 } });
  });

  // Each case has a heading after a blank line that a whole-document parse reads as part of an
  // earlier block, or a construct that acts across the whole document.
  const tricky: Record<string, string> = {
    'unclosed fence': 'a\n\n```\ncode\n\n## not a heading\n\ntext\n',
    'fence closed by a shorter fence': '````\nx\n```\n\n## inside\n````\n\n## outside\n',
    'tilde fence with backtick close': '~~~\nx\n```\n\n## inside\n~~~\n\n## out\n',
    'fence in a list item ended by the heading': '- item\n  ```\n  code\n\n## heading\n\nafter\n',
    'fence in a list item then a top-level fence': '- item\n  ```\n  code\n```\n\n## inside the new fence\n',
    'html comment across a heading': '<!--\nnote\n\n## inside\n-->\n\n## out\n',
    'script block': '<script>\nlet a;\n\n## inside\n</script>\n\n## out\n',
    'pre block closed': '<pre>\nx\n</pre>\n\n## out\n',
    'processing instruction': '<?php\n\n## inside\n?>\n\n## out\n',
    declaration: '<!DOCTYPE\n\n## inside\n>\n\n## out\n',
    cdata: '<![CDATA[\n\n## inside\n]]>\n\n## out\n',
    'div then blank then heading': '<div>\nx\n\n## out\n',
    'link definition after the reference': 'See [the doc][d].\n\n## Later\n\n[d]: https://example.com\n',
    'definition in a list': '- [d]: /x\n\n## H\n\n[d] here\n',
    crlf: 'a\r\n\r\n## Two\r\n\r\n- x\r\n\r\n```\r\ncode\r\n\r\n## in\r\n```\r\n\r\n# out\r\n',
    tabs: '-\tx\n\n##\tH\n\n\tindented code\n\n## H2\n',
    'setext and empty headings': 'Title\n===\n\n#\n\n## \n\n###### six\n\n####### seven\n',
    'table before a heading': '| a | b |\n| - | - |\n| 1 | 2 |\n\n## T\n\n| c |\n| - |\n',
    'blockquote with a fence': '> ```\n> code\n\n## out\n',
    'heading at the end': 'x\n\n## end',
    'indented code with blank lines': '    code\n\n    more\n\n## H\n',
    'owned hint markers': '## 1. Req\n\n<!-- sdp:hint x -->\n> hint\n<!-- /sdp:hint x #0000abcd -->\n\n## 2. Next\n',
  };
  it.each(Object.entries(tricky))('%s', (_name, body) => {
    expect(parseBlocks(body)).toEqual(whole(body));
  });

  it('matches the whole parse on 600 random documents', () => {
    const pieces = [
      '## Heading',
      '# H1',
      '### Sub',
      '####### seven',
      'text line',
      'more *em* and `code`',
      '',
      '```',
      '````',
      '```sql',
      '~~~',
      '  ```',
      '- item',
      '  - nested',
      '1. first',
      '   continued',
      '    indented',
      '> quote',
      '> ```',
      '<!--',
      '-->',
      '<!-- one line -->',
      '<div>',
      '</div>',
      '<script>',
      '</script>',
      '| a | b |',
      '| - | - |',
      '| 1 | 2 |',
      'Setext',
      '===',
      '---',
      'A -> B: call',
      '- Choice: x',
      '  - Why: y',
      '[ref]: /url',
      'see [ref]',
      '\t- tab item',
      '  ',
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 600; i++) {
      const lines = Array.from({ length: 5 + random(40) }, () => pieces[random(pieces.length)]);
      const body = lines.join(random(5) === 0 ? '\r\n' : '\n') + (random(2) ? '\n' : '');
      expect(parseBlocks(body), body).toEqual(whole(body));
    }
  });

  it('reuses unchanged chunks and parses only the edited one', () => {
    const body = readFileSync(path.join(ROOT, 'tests/fixtures/airbnb-complete.md'), 'utf8');
    const map = new MapCache();
    const first = counting(map);
    parseBlocks(body, 0, 1, first.cache);
    const chunks = first.seen.misses;
    expect(chunks).toBeGreaterThan(10);
    expect(first.seen.hits).toBe(0);

    const edited = body.replace('### Out of scope', '### Out of scope\n\n- Reviews, for now');
    const second = counting(map);
    expect(parseBlocks(edited, 0, 1, second.cache)).toEqual(whole(edited));
    expect(second.seen.misses).toBe(1);
    expect(second.seen.hits).toBe(chunks - 1);
  });

  it('treats a damaged cache entry as a miss', () => {
    const body = 'a\n\n## B\n\ntext\n';
    const cache = new MapCache();
    parseBlocks(body, 0, 1, cache);
    for (const key of cache.entries.keys()) cache.entries.set(key, '{not json');
    expect(parseBlocks(body, 0, 1, cache)).toEqual(whole(body));
  });
});
