// Depth against the hand labels, the candidate's level, sample steps, and what a user sees
// when the lines covering a key point are taken out of a sample answer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSession } from '../src/core/check/index.js';
import { checkDepth } from '../src/core/check/depth.js';
import { parseSession } from '../src/core/parse/parse.js';
import { parseRubric, type Rubric } from '../src/core/parse/rubric.js';
import { parseQuestion } from '../src/core/parse/questions.js';
import { renderReport } from '../src/core/write/report.js';
import { renderSession } from '../src/core/write/template.js';
import { splitBudget } from '../src/core/method.js';
import { ROOT, formatDepthScore, labelledSessions, scoreDepth } from './support/depth-labels.mjs';

const read = (rel: string) => readFileSync(`${ROOT}/${rel}`, 'utf8');
const rubric = (id: string): Rubric => parseRubric(read(`templates/rubrics/${id}.yaml`), id);

describe('depth against the hand labels', () => {
  const labelled = labelledSessions();
  const results = labelled.map((l) => {
    const session = parseSession(readFileSync(l.file, 'utf8'));
    const depth = checkDepth(session, rubric(l.question), 'staff');
    return { ...l, found: new Set(depth.keyPoints.filter((k) => k.covered).map((k) => k.id)) };
  });
  const score = scoreDepth(results);

  it('labels every key point of the rubric exactly once per session', () => {
    for (const l of labelled) {
      const ids = rubric(l.question)
        .keyPoints.map((k) => k.id)
        .sort();
      expect([...l.covered, ...l.notCovered].sort(), l.name).toEqual(ids);
    }
  });

  it.each(Object.keys(score.families))('reaches precision >= 0.9 and recall >= 0.8 on %s', (family) => {
    if (process.env.SDP_DEPTH_REPORT) console.log(`${formatDepthScore(score, { points: true })}\n${score.details.join('\n')}`);
    expect(score.families[family].precision, score.details.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(score.families[family].recall, score.details.join('\n')).toBeGreaterThanOrEqual(0.8);
  });
});

function session(source: string) {
  return parseSession(source);
}

describe('checkDepth', () => {
  const airbnb = read('templates/samples/airbnb.md');

  it('counts the key points expected at the level: mid < senior < staff', () => {
    const r = rubric('airbnb');
    const count = (level: 'mid' | 'senior' | 'staff') => checkDepth(session(airbnb), r, level).counted;
    expect(count('mid')).toBe(r.keyPoints.filter((k) => k.level === 'mid').length);
    expect(count('senior')).toBe(r.keyPoints.filter((k) => k.level !== 'staff').length);
    expect(count('staff')).toBe(r.keyPoints.length);
    const mid = checkDepth(session(airbnb), r, 'mid');
    expect(mid.keyPoints.find((k) => k.id === 'shard-by-listing')).toMatchObject({ expected: false, covered: true });
  });

  it('reads the level from the frontmatter, senior by default', () => {
    expect(session(airbnb).frontmatter.level).toBe('senior');
    expect(session(airbnb.replace('sdp: 1\n', 'sdp: 1\nlevel: staff\n')).frontmatter.level).toBe('staff');
    expect(() => session(airbnb.replace('sdp: 1\n', 'sdp: 1\nlevel: principal\n'))).toThrow(/`level: principal` is not a level/);
  });

  it('gives 0 on a fresh session and ignores steps that hold sample answers', () => {
    const q = parseQuestion(read('templates/questions/airbnb.md'), 'airbnb');
    const fresh = renderSession({ question: q, started: '2026-01-01T00:00:00.000Z', budget: splitBudget(45) });
    expect(checkDepth(session(fresh), rubric('airbnb'), 'senior')).toMatchObject({ covered: 0, counted: 7 });
    const samples = airbnb.replace('sdp: 1\n', 'sdp: 1\nsamples: [requirements, estimation, api, workflows, architecture, optimizations]\n');
    expect(checkDepth(session(samples), rubric('airbnb'), 'senior').covered).toBe(0);
  });

  it('reports a pitfall at the line that shows it', () => {
    const weak = read('tests/fixtures/check/url-shortener-weak.md');
    const depth = checkDepth(session(weak), rubric('url-shortener'), 'senior');
    const line = weak.split('\n').findIndex((l) => l.includes('MD5 hash of the URL, first 7 chars')) + 1;
    expect(depth.pitfalls).toEqual([expect.objectContaining({ id: 'truncated-hash', line })]);
  });
});

/** Takes out every answer line matching `topic`, with the nested lines of a removed list item. */
function without(source: string, topic: RegExp): string {
  const out: string[] = [];
  let dropIndent = -1;
  let inBlock = false;
  for (const line of source.split('\n')) {
    if (/^<!-- sdp:/.test(line)) inBlock = true;
    if (inBlock) {
      out.push(line);
      if (/^<!-- \/sdp:/.test(line)) inBlock = false;
      continue;
    }
    const indent = /^\s*/.exec(line)![0].length;
    if (dropIndent >= 0 && line.trim() !== '' && indent > dropIndent) continue;
    dropIndent = -1;
    if (topic.test(line)) {
      if (/^\s*([-*+]|\d+[.)])\s/.test(line)) dropIndent = indent;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

// One key point per preset, and the lines a reader would say cover it (by topic, with the
// nested lines of a removed item): after taking them out, depth drops and the report says so.
describe('taking out the lines that cover a key point', () => {
  const cases: [string, string, RegExp][] = [
    ['airbnb', 'shard-by-listing', /shard/i],
    ['whatsapp', 'receipts', /receipt|✓✓/i],
    ['ticketmaster', 'waiting-room', /waiting[- ]room|queue|admi/i],
    ['uber', 'surge-precompute', /surge/i],
    ['url-shortener', 'hot-keys', /hot|viral/i],
    ['ad-click-aggregator', 'late-events-watermarks', /watermark|late|event[- ]time/i],
    ['dropbox', 'dedup-privacy', /dedup|privacy|probe|convergent/i],
    ['facebook-newsfeed', 'cursor-pagination', /cursor|pagin|\bpages?\b|snapshot/i],
    ['google-docs', 'presence-ephemeral', /presence|cursor/i],
    ['instagram', 'photo-storage-tiering', /tier|erasure|\bcold\b|glacier|petabyte/i],
    ['key-value-store', 'lsm-storage', /lsm|memtable|sstable|compaction|commit log|bloom|log-structured/i],
    ['live-comments', 'hot-stream-sampling', /sampl|hot stream|comments a second/i],
    ['notification-system', 'preferences-at-send', /preference|opt-?out|quiet hours/i],
    ['payment-system', 'reconciliation', /reconcil|settlement/i],
    ['rate-limiter', 'client-response', /429|retry-after|ratelimit|remaining/i],
    ['search-autocomplete', 'blocklist-filtering', /block ?list|banned|offensive/i],
    ['stock-exchange', 'pre-trade-risk', /risk/i],
    ['top-k', 'exact-vs-approximate', /sketch|approximat|exact|count-min|heavy hitter/i],
    ['twitter-timeline', 'id-cursor-pagination', /cursor|max_id|since_id|pagin/i],
    ['web-crawler', 'content-dedup', /simhash|fingerprint|near-duplicate|content hash|shingl/i],
    ['youtube', 'storage-codec-cost', /codec|\bcold\b|erasure|\btiers?\b|cost|\bav1\b|vp9/i],
  ];

  it.each(cases)('%s: depth drops and the report names %s as missed', (id, point, topic) => {
    const r = rubric(id);
    const full = read(`templates/samples/${id}.md`);
    const cut = without(full, topic);
    expect(cut.length).toBeLessThan(full.length);
    const before = checkDepth(session(full), r, 'staff');
    const after = checkDepth(session(cut), r, 'staff');
    expect(before.keyPoints.find((k) => k.id === point)!.covered).toBe(true);
    expect(after.keyPoints.find((k) => k.id === point)!.covered).toBe(false);
    expect(after.covered).toBeLessThan(before.covered);
    const s = session(cut);
    const report = renderReport({ session: s, sessionPath: `sessions/${id}.md`, finished: '2026-01-01T01:00:00.000Z', check: checkSession(s), depth: after });
    expect(report).toMatch(new RegExp(`- \\*\\*Missed\\*\\* \`${point}\` \\([a-z]+\\): .*Why it matters: `));
    expect(report).toContain(`- \`${point}\` (${r.keyPoints.find((k) => k.id === point)!.level}; matcher: missed)`);
  });
});

describe('pitfalls', () => {
  const found = (rel: string, id: string) => checkDepth(session(read(rel)), rubric(id), 'staff').pitfalls.map((p) => p.id);

  it.each(['airbnb', 'whatsapp', 'ticketmaster', 'uber', 'url-shortener'])('none in the %s sample answer', (id) => {
    expect(found(`templates/samples/${id}.md`, id)).toEqual([]);
  });

  it('none in the strong check-corpus answers, and the ones a reader sees in the naive answers', () => {
    expect(found('tests/fixtures/check/ticketmaster-strong.md', 'ticketmaster')).toEqual([]);
    expect(found('tests/fixtures/check/uber-prose.md', 'uber')).toEqual([]);
    expect(found('tests/fixtures/depth/sessions/ticketmaster-naive.md', 'ticketmaster')).toEqual(['cache-only-holds']);
    expect(found('tests/fixtures/depth/sessions/uber-naive.md', 'uber')).toEqual(['database-per-ping', 'broadcast-offers']);
    expect(found('tests/fixtures/depth/sessions/whatsapp-naive.md', 'whatsapp')).toEqual(['client-clock-order', 'polling-for-messages']);
    expect(found('tests/fixtures/depth/sessions/airbnb-naive.md', 'airbnb')).toEqual(['cache-as-booking-truth']);
  });
});
