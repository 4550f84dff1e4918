// The parse cache on disk is an optimisation only: what it holds must never change what sdp
// reads, and a cache it cannot read or write must never stop a command.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSession } from '../src/core/parse.js';
import { ChunkCache } from '../src/core/markdown.js';
import { cacheDir, DiskParseCache } from '../src/io/parse-cache.js';

const session = readFileSync(path.resolve(__dirname, 'fixtures/airbnb-complete.md'), 'utf8');
const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-cache-test-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function counting(cache: DiskParseCache) {
  const seen = { hits: 0, misses: 0 };
  const get = cache.get.bind(cache);
  cache.get = (chunk) => {
    const hit = get(chunk);
    seen[hit === undefined ? 'misses' : 'hits']++;
    return hit;
  };
  return seen;
}

describe('DiskParseCache', () => {
  it('gives the next run every chunk of an unchanged file, and the same session', async () => {
    const dir = temp();
    const fresh = parseSession(session);
    const first = DiskParseCache.open('/s/airbnb.md', dir);
    expect(parseSession(session, { cache: first })).toEqual(fresh);
    await first.save();
    expect(readdirSync(dir)).toHaveLength(1);

    const second = DiskParseCache.open('/s/airbnb.md', dir);
    const seen = counting(second);
    expect(parseSession(session, { cache: second })).toEqual(fresh);
    expect(seen.misses).toBe(0);
    expect(seen.hits).toBeGreaterThan(10);
  });

  it('keeps one file per session, holding only the chunks of the last run', async () => {
    const dir = temp();
    const a = DiskParseCache.open('/s/a.md', dir);
    parseSession(session, { cache: a });
    await a.save();
    const file = path.join(dir, readdirSync(dir)[0]);
    const before = readFileSync(file, 'utf8').split('\n').length;

    const edited = session.replace('### Out of scope', '### Out of scope\n\n- Reviews, for now');
    const b = DiskParseCache.open('/s/a.md', dir);
    const seen = counting(b);
    parseSession(edited, { cache: b });
    await b.save();
    expect(seen.misses).toBe(1);
    expect(readFileSync(file, 'utf8').split('\n').length).toBe(before);
    expect(readdirSync(dir)).toHaveLength(1);

    const other = DiskParseCache.open('/s/b.md', dir);
    parseSession(session, { cache: other });
    await other.save();
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('ignores a file written by another version, and damaged entries', async () => {
    const dir = temp();
    const a = DiskParseCache.open('/s/a.md', dir);
    parseSession(session, { cache: a });
    await a.save();
    const file = path.join(dir, readdirSync(dir)[0]);
    const lines = readFileSync(file, 'utf8').split('\n');

    writeFileSync(file, ['sdp-parse-cache 0.0.1 old', ...lines.slice(1)].join('\n'));
    const old = DiskParseCache.open('/s/a.md', dir);
    const seenOld = counting(old);
    expect(parseSession(session, { cache: old })).toEqual(parseSession(session));
    expect(seenOld.hits).toBe(0);

    writeFileSync(file, lines.map((l, i) => (i === 3 ? `${l.slice(0, l.indexOf('\t'))}\t[{"type":` : l)).join('\n'));
    const damaged = DiskParseCache.open('/s/a.md', dir);
    expect(parseSession(session, { cache: damaged })).toEqual(parseSession(session));
  });

  it('never fails a command when the folder cannot be written', async () => {
    const notAFolder = path.join(temp(), 'file');
    writeFileSync(notAFolder, '');
    const cache = DiskParseCache.open('/s/a.md', path.join(notAFolder, 'sdp'));
    expect(parseSession(session, { cache })).toEqual(parseSession(session));
    await expect(cache.save()).resolves.toBeUndefined();
  });

  it('lives in SDP_CACHE_DIR, else the XDG cache folder, and can be turned off', () => {
    expect(cacheDir({ SDP_CACHE_DIR: 'off' })).toBeUndefined();
    expect(cacheDir({ SDP_CACHE_DIR: '/x/y' })).toBe(path.resolve('/x/y'));
    expect(cacheDir({ XDG_CACHE_HOME: '/c' })).toBe(path.join('/c', 'sdp'));
    expect(cacheDir({})).toBe(path.join(os.homedir(), '.cache', 'sdp'));
  });
});

describe('ChunkCache', () => {
  const counted = (cache: ChunkCache) => {
    const seen = { hits: 0, misses: 0 };
    const probe = {
      get(chunk: string) {
        const hit = cache.get(chunk);
        seen[hit === undefined ? 'misses' : 'hits']++;
        return hit;
      },
      set: (chunk: string, nodes: string) => cache.set(chunk, nodes),
    };
    return { seen, probe };
  };

  it('reuses the chunks of the last parse and forgets older ones', () => {
    const first = new ChunkCache();
    parseSession(session, { cache: first });
    const second = first.next();
    const edited = session.replace('### Out of scope', '### Out of scope\n\n- Reviews, for now');
    const a = counted(second);
    expect(parseSession(edited, { cache: a.probe })).toEqual(parseSession(edited));
    expect(a.seen.misses).toBe(1);

    const third = second.next();
    parseSession('---\nsdp: 1\nquestion: x\n---\n\n# X\n', { cache: third });
    const b = counted(third.next());
    parseSession(edited, { cache: b.probe });
    expect(b.seen.hits).toBe(0);
  });
});
