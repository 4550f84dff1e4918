// The parse cache on disk is an optimisation only: what it holds must never change what sdp
// reads, and a cache it cannot read or write must never stop a command.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSession } from '../src/core/parse/parse.js';
import { ChunkCache } from '../src/core/parse/markdown.js';
import { cacheDir, DiskParseCache } from '../src/io/parse-cache.js';
import { counting } from './support/counting-cache.js';

const session = readFileSync(path.resolve(__dirname, 'fixtures/airbnb-complete.md'), 'utf8');
const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-cache-test-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The session parsed through the cache of `/s/<name>` in `dir`, and saved: the file it wrote. */
async function primed(dir: string, name: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  const cache = DiskParseCache.open(`/s/${name}`, dir);
  parseSession(session, { cache });
  await cache.save();
  return path.join(
    dir,
    readdirSync(dir).find((f) => !before.has(f))!,
  );
}

describe('DiskParseCache', () => {
  it('gives the next run every chunk of an unchanged file, and the same session', async () => {
    const dir = temp();
    const fresh = parseSession(session);
    const first = DiskParseCache.open('/s/airbnb.md', dir);
    expect(parseSession(session, { cache: first })).toEqual(fresh);
    await first.save();
    expect(readdirSync(dir)).toHaveLength(1);

    const { seen, cache } = counting(DiskParseCache.open('/s/airbnb.md', dir));
    expect(parseSession(session, { cache })).toEqual(fresh);
    expect(seen.misses).toBe(0);
    expect(seen.hits).toBeGreaterThan(10);
  });

  it('keeps one file per session, holding only the chunks of the last run', async () => {
    const dir = temp();
    const file = await primed(dir, 'a.md');
    const before = readFileSync(file, 'utf8').split('\n').length;

    const edited = session.replace('### Out of scope', '### Out of scope\n\n- Reviews, for now');
    const b = DiskParseCache.open('/s/a.md', dir);
    const { seen, cache } = counting(b);
    parseSession(edited, { cache });
    await b.save();
    expect(seen.misses).toBe(1);
    expect(readFileSync(file, 'utf8').split('\n').length).toBe(before);
    expect(readdirSync(dir)).toHaveLength(1);

    await primed(dir, 'b.md');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('keep replaces what the session had with exactly the chunks given', async () => {
    const dir = temp();
    const file = await primed(dir, 'a.md');
    await DiskParseCache.keep('/s/a.md', [['# X\n', '[]']], dir);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    const { seen, cache } = counting(DiskParseCache.open('/s/a.md', dir));
    expect(cache.get('# X\n')).toBe('[]');
    parseSession(session, { cache });
    expect(seen.hits).toBe(1);
  });

  it('ignores a file written by another version, and damaged entries', async () => {
    const dir = temp();
    const file = await primed(dir, 'a.md');
    const lines = readFileSync(file, 'utf8').split('\n');

    writeFileSync(file, ['sdp-parse-cache 0.0.1 old', ...lines.slice(1)].join('\n'));
    const old = counting(DiskParseCache.open('/s/a.md', dir));
    expect(parseSession(session, { cache: old.cache })).toEqual(parseSession(session));
    expect(old.seen.hits).toBe(0);

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
  it('reuses the chunks of the last parse and forgets older ones', () => {
    const first = new ChunkCache();
    parseSession(session, { cache: first });
    const second = first.next();
    const edited = session.replace('### Out of scope', '### Out of scope\n\n- Reviews, for now');
    const a = counting(second);
    expect(parseSession(edited, { cache: a.cache })).toEqual(parseSession(edited));
    expect(a.seen.misses).toBe(1);

    const third = second.next();
    parseSession('---\nsdp: 1\nquestion: x\n---\n\n# X\n', { cache: third });
    const b = counting(third.next());
    parseSession(edited, { cache: b.cache });
    expect(b.seen.hits).toBe(0);
  });
});
