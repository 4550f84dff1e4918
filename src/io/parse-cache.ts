// The parse cache on disk: for each session file, the markdown nodes of its chunks (see
// core/markdown.ts) by the sha1 of their text, so `sdp check` or `sdp build` after an edit
// re-parses only the sections that changed. It lives in the user's cache folder, never next
// to the session (sessions are committed), and it is only ever an optimisation: a missing,
// unreadable or damaged file is an empty cache, and a failed write is ignored.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PARSER_KEY, type BlockCache } from '../core/parse/markdown.js';
import { VERSION } from '../version.js';
import { writeOwned } from './safe-write.js';

const HEADER = `sdp-parse-cache ${VERSION} ${PARSER_KEY}`;

/** `SDP_CACHE_DIR`, else `$XDG_CACHE_HOME/sdp`, else `~/.cache/sdp`; undefined when set to `off`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SDP_CACHE_DIR === 'off') return undefined;
  if (env.SDP_CACHE_DIR) return path.resolve(env.SDP_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'sdp');
}

export class DiskParseCache implements BlockCache {
  /** Entries read from disk, by key, as serialized nodes. */
  private readonly stored = new Map<string, string>();
  /** Entries this run used or made: the next file holds exactly these. */
  private readonly used = new Map<string, string>();
  private changed = false;

  private constructor(private readonly file: string | undefined) {}

  static open(sessionFile: string, dir = cacheDir()): DiskParseCache {
    const cache = new DiskParseCache(fileFor(sessionFile, dir));
    if (!cache.file) return cache;
    // Read at once: fs.promises reads a file of this size in several trips to the thread pool.
    let text = '';
    try {
      text = readFileSync(cache.file!, 'utf8');
    } catch {
      // no cache yet
    }
    const lines = text.split('\n');
    if (lines[0] === HEADER) {
      for (const line of lines.slice(1)) {
        const tab = line.indexOf('\t');
        if (tab > 0) cache.stored.set(line.slice(0, tab), line.slice(tab + 1));
      }
    }
    return cache;
  }

  /** Replaces the session's cache with exactly these chunks, without reading it first. */
  static async keep(sessionFile: string, chunks: Iterable<[string, string]>, dir = cacheDir()): Promise<void> {
    const cache = new DiskParseCache(fileFor(sessionFile, dir));
    for (const [chunk, nodes] of chunks) cache.set(chunk, nodes);
    await cache.save();
  }

  get(chunk: string): string | undefined {
    const key = sha1(chunk);
    const nodes = this.stored.get(key);
    if (nodes !== undefined) this.used.set(key, nodes);
    return nodes;
  }

  set(chunk: string, nodes: string): void {
    this.used.set(sha1(chunk), nodes);
    this.changed = true;
  }

  /** Writes the entries of this run, when they differ from what was read. */
  async save(): Promise<void> {
    if (!this.file || (!this.changed && this.used.size === this.stored.size)) return;
    // JSON.stringify escapes every newline, so one entry is one line.
    const body = [HEADER, ...[...this.used].map(([key, nodes]) => `${key}\t${nodes}`)].join('\n') + '\n';
    await writeOwned(this.file, body).catch(() => undefined);
  }
}

function fileFor(sessionFile: string, dir: string | undefined): string | undefined {
  return dir && path.join(dir, `parse-${sha1(path.resolve(sessionFile)).slice(0, 20)}.jsonl`);
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
