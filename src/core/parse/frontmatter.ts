// Frontmatter read safely. gray-matter splits the file; YAML is parsed by `yaml` with
// alias and size limits, and every executable engine is replaced by one that refuses.
import matter from 'gray-matter';
import YAML from 'yaml';
import { ContentError } from '../errors.js';

const MAX_FRONTMATTER_BYTES = 64 * 1024;
const MAX_ALIASES = 50;

export interface FrontmatterBlock {
  data: Record<string, unknown>;
  /** Offset of the first body character in the original source. */
  bodyStart: number;
  /** 1-based line of a top-level key, for diagnostics. */
  lineOf(key: string): number;
}

function refuse(language: string) {
  return () => {
    throw ContentError.at('frontmatter-language', 1, `frontmatter in ${language} is not allowed; sdp reads YAML only and never runs code from a file`, 'start the file with a plain `---` line');
  };
}

/** Parse YAML with limits; `firstLine` is the file line of the YAML's first line. */
export function parseYaml(text: string, firstLine: number): unknown {
  if (Buffer.byteLength(text) > MAX_FRONTMATTER_BYTES) {
    throw ContentError.at('frontmatter-too-large', firstLine, `frontmatter is larger than ${MAX_FRONTMATTER_BYTES / 1024} KiB`, 'keep the frontmatter to a few keys; answers go in the body');
  }
  // The core schema keeps timestamps as strings and has no merge keys.
  const doc = YAML.parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const noticed = problem.linePos?.[0].line ?? 1;
    const line = firstLine + startOfUnclosed(text, noticed, problem.message) - 1;
    const what = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw ContentError.at(
      'yaml-invalid',
      line,
      `invalid YAML in frontmatter: ${what}`,
      'fix the YAML (quote values that contain ": " or start with a special character)',
      problem.linePos?.[0].col ?? 1,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw ContentError.at('yaml-refused', firstLine, `frontmatter refused: ${(err as Error).message}`, 'remove YAML anchors and aliases (&a / *a)');
  }
}

/**
 * YAML reports an unclosed `[`, `{` or quote where it gave up, often the next key's line;
 * people need the line that opened it.
 */
function startOfUnclosed(text: string, noticed: number, message: string): number {
  const pair = /end with a \]/.test(message) ? ['[', ']'] : /end with a \}/.test(message) ? ['{', '}'] : /closing "/.test(message) ? ['"', '"'] : /closing '/.test(message) ? ["'", "'"] : undefined;
  if (!pair) return noticed;
  const lines = text.split('\n');
  for (let l = noticed - 1; l >= 1; l--) {
    const line = lines[l - 1] ?? '';
    const opens = line.split(pair[0]).length - 1;
    const closes = line.split(pair[1]).length - 1;
    if (pair[0] === pair[1] ? opens % 2 === 1 : opens > closes) return l;
  }
  return noticed;
}

export function readFrontmatter(source: string): FrontmatterBlock {
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const first = /^---([^\r\n]*)\r?\n/.exec(source.slice(bom, bom + 200));
  if (!first) {
    throw ContentError.at(
      'frontmatter-missing',
      1,
      'no frontmatter: a session starts with a `---` block that names its question',
      'create sessions with `sdp new <question>`, or restore the `---` lines at the top',
    );
  }
  const language = first[1].trim();
  if (language !== '' && language.toLowerCase() !== 'yaml' && language.toLowerCase() !== 'yml') {
    refuse(`"${language.slice(0, 20)}"`)();
  }
  if (!/\r?\n---[ \t]*(\r?\n|$)/.test(source.slice(bom + first[0].length - 1))) {
    throw ContentError.at('frontmatter-unclosed', 1, 'frontmatter is not closed: no `---` line after it', 'add a line with `---` after the last frontmatter key');
  }

  let yamlText = '';
  const file = matter(source, {
    engines: {
      yaml: (text: string) => {
        yamlText = text;
        // gray-matter hands over the text from just after the opening `---`, so its line 1 is the file's line 1.
        return parseYaml(text.replace(/\r\n?/g, '\n'), 1) as object;
      },
      js: refuse('JavaScript'),
      javascript: refuse('JavaScript'),
      coffee: refuse('CoffeeScript'),
      json: refuse('JSON'),
    },
  } as unknown as Parameters<typeof matter>[1]);

  const data = file.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw ContentError.at('frontmatter-invalid', 2, 'frontmatter must be `key: value` lines', 'see the README for the session format');
  }
  return {
    data: data as Record<string, unknown>,
    bodyStart: source.length - file.content.length,
    lineOf(key: string) {
      const lines = yamlText.split('\n');
      const i = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`));
      return i < 0 ? 2 : i + 1;
    },
  };
}
