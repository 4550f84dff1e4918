// Back-of-the-envelope figures read from step 2 (`DAU: 100M`, `post size: 1 KB`,
// `retention: 5 years`, `peak factor: 3`) and what they imply: QPS, storage, bandwidth.
import type { AnswerLine } from '../session.js';

export interface Figures {
  dau?: number;
  readsPerDay: number;
  writesPerDay: number;
  peakFactor?: number;
  objectBytes?: number;
  retentionDays?: number;
}

export interface Computed {
  readQps: number;
  writeQps: number;
  peakFactor: number;
  storagePerDay?: number;
  storageTotal?: number;
  bandwidth?: number;
}

export interface Quoted {
  kind: 'qps' | 'storage' | 'bandwidth';
  /** Whether the quote's own working (`a x b ≈ c`) holds, when it shows any. */
  selfConsistent?: boolean;
  label: string;
  values: number[];
  line: number;
  text: string;
}

const PRIMARY_WORDS = new Set(
  'average avg mean peak total overall read reads write writes request requests qps rps tps storage bandwidth egress ingress per a the day daily month monthly year years yearly after over in of all data new needed raw'.split(
    ' ',
  ),
);

export interface Estimate {
  figures: Figures;
  computed?: Computed;
  quoted: Quoted[];
}

const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, t: 1e12, trillion: 1e12 };
const BYTES: Record<string, number> = { b: 1, byte: 1, bytes: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, pb: 1e15, eb: 1e18 };
const NUMBER = /(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion|bn|mm|k|m|b|t)?\b\s*(eb|pb|tb|gb|mb|kb|bytes|byte|b)?\b/gi;

const READ_WORDS = /read|view|search|fetch|get|load|feed|visit|lookup|look-up|quer|watch|play|redirect|open|check/;
const WRITE_WORDS = /write|post|upload|message|send|create|book|order|tweet|click|comment|like|ride|trip|payment|transfer|edit|update|insert|shorten|event|ping|trade/;

interface Value {
  n: number;
  bytes: boolean;
}

/** `sizes`: the line is about bytes, so a bare `B` is bytes rather than billions. */
function parseNumbers(text: string, sizes = false): Value[] {
  const out: Value[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const base = Number(m[1].replace(/,(?=\d{3}\b)/g, '').replace(',', '.'));
    if (!Number.isFinite(base)) continue;
    let scale: string | undefined = m[2]?.toLowerCase();
    let unit: string | undefined = m[3]?.toLowerCase();
    if (sizes && scale === 'b' && !unit) {
      scale = undefined;
      unit = 'b';
    }
    out.push({ n: base * (scale ? SCALE[scale] : 1) * (unit ? BYTES[unit] : 1), bytes: Boolean(unit) });
  }
  return out;
}

function duration(text: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(years?|yrs?|months?|days?|weeks?)/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  return unit.startsWith('y') ? n * 365 : unit.startsWith('m') ? n * 30 : unit.startsWith('w') ? n * 7 : n;
}

/** Numbers quoted as results (`≈ 1,200`, `= 70 MB/s`) or, failing that, every number on the line. */
function results(value: string, sizes: boolean): Value[] {
  const after = [...value.matchAll(/[≈=]\s*([^≈=]+)/g)].flatMap((m) => parseNumbers(m[1], sizes).slice(0, 1));
  return after.length ? after : parseNumbers(value, sizes);
}

/**
 * A quote that shows its working (`5M x 10 / 86,400 ≈ 580`) is checked against its own
 * arithmetic: true when the working gives the result within 10×, false when it does not,
 * undefined when there is no working to follow.
 */
export function ownWorking(value: string): boolean | undefined {
  // The first equation only: `1M / 500 = 2K snapshots/s x 100 KB = 200 MB/s` checks `1M / 500 = 2K`.
  const m = /^([^≈=]*?\d[^≈=]*?(?:\s[x×*/]\s?|\s?[x×*/]\s)[^≈=]*?)\s*[≈=]\s*((?:[^≈=,;]|,(?=\d{3}))+)/.exec(value.replace(/\([^)]*\)/g, ''));
  if (!m) return undefined;
  const terms = m[1].split(/\s*([x×*/])\s*/);
  let total = 1;
  let op = 'x';
  for (const term of terms) {
    if (/^[x×*/]$/.test(term)) {
      op = term;
      continue;
    }
    const n = parseNumbers(term, /\d\s+b\b|[kmgtpe]b\b|byte/i.test(term))[0];
    if (!n) continue;
    total = op === '/' ? total / n.n : total * n.n;
  }
  const result = parseNumbers(m[2], /\d\s+b\b|[kmgtpe]b\b|byte/i.test(m[2]))[0];
  if (!result || !(total > 0)) return undefined;
  return total / result.n <= 10 && result.n / total <= 10;
}

export function readEstimate(lines: AnswerLine[]): Estimate {
  const figures: Figures = { readsPerDay: 0, writesPerDay: 0 };
  const quoted: Quoted[] = [];
  let readsPerUser = 0;
  let writesPerUser = 0;
  let ratio: number | undefined;

  for (const l of lines) {
    if (l.step !== 'estimation') continue;
    const ratioLine = /read\s*[:/]\s*write(?:\s+ratio)?\s*:\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)/i.exec(l.text);
    if (ratioLine) {
      ratio = Number(ratioLine[1]) / Number(ratioLine[2]);
      continue;
    }
    const m = /^[\s>*+\-\d.)]*\**([^:*]{2,80}?)\**\s*:\s*(.+)$/.exec(l.text);
    if (!m) continue;
    const label = m[1].toLowerCase();
    const value = m[2];
    const sizes = /size|storage|bytes|bandwidth|egress|ingress|disk|space/.test(label);
    const nums = parseNumbers(value, sizes);
    if (nums.length === 0) continue;
    const first = nums[0];
    const perSecond = /qps|rps|tps|per second|\/\s*s(ec)?\b|a second/.test(`${label} ${value.toLowerCase()}`);

    if (/\bdau\b|daily active/.test(label)) figures.dau = first.n;
    else if (/ratio/.test(label)) {
      const r = /(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)/.exec(value);
      if (r) ratio = Number(r[1]) / Number(r[2]);
    } else if (/peak/.test(label) && !perSecond && first.n <= 100 && (/factor|multiplier/.test(label) || /^\s*[x×]?\s*\d+(\.\d+)?\s*[x×]?\s*(average|avg)?\s*$/i.test(value)))
      figures.peakFactor = first.n;
    else if (/retention|retain|keep|kept|stored for/.test(label)) figures.retentionDays = duration(value) ?? figures.retentionDays;
    else if ((perSecond && results(value, sizes).some((v) => v.bytes)) || (/bandwidth|egress|ingress/.test(label) && first.bytes))
      quoted.push({
        kind: 'bandwidth',
        label: m[1].trim(),
        values: results(value, sizes)
          .filter((v) => v.bytes)
          .map((v) => v.n),
        line: l.line,
        text: l.text,
      });
    else if (perSecond) quoted.push({ kind: 'qps', label: m[1].trim(), values: results(value, sizes).map((v) => v.n), line: l.line, text: l.text });
    else if (/size|payload|per (post|message|object|item|event|record|row|file|photo)/.test(label) && first.bytes) figures.objectBytes = first.n;
    else if (
      (first.bytes || /storage|stored|disk|space|archive/.test(label)) &&
      /storage|total|stored|disk|space|per (day|month|year)|a (day|month|year)|daily|yearly|over \d+|after \d+|\bdb\b|database|archive/.test(label)
    )
      quoted.push({
        kind: 'storage',
        label: m[1].trim(),
        values: results(value, sizes)
          .filter((v) => v.bytes)
          .map((v) => v.n),
        line: l.line,
        text: l.text,
      });
    else if (/storage|stored|disk|space|archive|size/.test(label))
      continue; // a size or a volume, not a count of actions
    // "friends per user" is not an action: per-user figures count only when they are per day.
    else if (/per user|\/\s*user|each user|a user/.test(label) && /per day|\/\s*day|a day|daily/.test(label)) {
      // Things made per user per day (posts, changes, trips) are writes unless the words say read.
      const what = label.replace(/per user.*|\/\s*user.*|each user.*|a user.*/, '');
      if (READ_WORDS.test(what) && !WRITE_WORDS.test(what)) readsPerUser += first.n;
      else writesPerUser += first.n;
    } else if (/per day|\/\s*day|a day|daily/.test(label)) {
      if (READ_WORDS.test(label) && !WRITE_WORDS.test(label)) figures.readsPerDay += first.n;
      else figures.writesPerDay += first.n;
    }
  }

  if (figures.dau) {
    figures.readsPerDay += figures.dau * readsPerUser;
    figures.writesPerDay += figures.dau * writesPerUser;
  }
  if (ratio && figures.readsPerDay && !figures.writesPerDay) figures.writesPerDay = figures.readsPerDay / ratio;
  if (ratio && figures.writesPerDay && !figures.readsPerDay) figures.readsPerDay = figures.writesPerDay * ratio;

  const computed = compute(figures);
  for (const q of quoted) {
    const value = /:\s*(.+)$/.exec(q.text)?.[1] ?? '';
    q.selfConsistent = ownWorking(value);
  }
  // Only the session-wide figures the inputs determine: "peak QPS", "read QPS", "storage per
  // year", not "email QPS" or "segment requests/s", which rest on shares the inputs do not give.
  const primary = (q: Quoted) =>
    q.label
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .every((w) => PRIMARY_WORDS.has(w) || /^\d+$/.test(w));
  return { figures, computed, quoted: quoted.filter((q) => q.values.length && primary(q)) };
}

function compute(f: Figures): Computed | undefined {
  if (!f.readsPerDay && !f.writesPerDay) return undefined;
  const c: Computed = { readQps: f.readsPerDay / 86400, writeQps: f.writesPerDay / 86400, peakFactor: f.peakFactor ?? 1 };
  if (f.objectBytes && f.writesPerDay) {
    c.storagePerDay = f.writesPerDay * f.objectBytes;
    if (f.retentionDays) c.storageTotal = c.storagePerDay * f.retentionDays;
  }
  if (f.objectBytes) c.bandwidth = (c.readQps + c.writeQps) * f.objectBytes;
  return c;
}

/** Every figure the inputs support for a kind of quote: a quote within 10× of any of them is consistent. */
export function candidates(c: Computed, kind: Quoted['kind'], label = ''): number[] {
  const peaks = [1, c.peakFactor];
  if (kind === 'qps') return [c.readQps, c.writeQps, c.readQps + c.writeQps].flatMap((q) => peaks.map((p) => q * p)).filter((x) => x > 0);
  if (kind === 'storage') {
    const day = c.storagePerDay;
    if (!day) return [];
    // The label says which period the figure is for; without one, any period is fair.
    if (/per day|a day|daily|\/\s*day/i.test(label)) return [day];
    if (/per month|a month|monthly/i.test(label)) return [day * 30];
    if (/per year|a year|yearly|annual|\/\s*year/i.test(label)) return [day * 365];
    if (/total|over \d+|after \d+|\d+ years?|retention/i.test(label) && c.storageTotal) return [c.storageTotal];
    return [day, day * 30, day * 365, c.storageTotal].filter((x): x is number => Boolean(x));
  }
  const per = c.bandwidth === undefined ? [] : [c.bandwidth, (c.bandwidth * c.writeQps) / (c.readQps + c.writeQps || 1), (c.bandwidth * c.readQps) / (c.readQps + c.writeQps || 1)];
  return per.flatMap((b) => peaks.map((p) => b * p)).filter((x) => x > 0);
}

export function formatCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) if (n >= size) return `${round(n / size)}${suffix}`;
  return round(n);
}

export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1e18, 'EB'],
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [size, suffix] of units) if (n >= size) return `${round(n / size)} ${suffix}`;
  return `${round(n)} B`;
}

function round(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '');
}

/** Human lines for the computed figures, for `sdp check` and the report. */
export function describeEstimate(e: Estimate): string[] {
  const c = e.computed;
  if (!c) return [];
  const out: string[] = [];
  const peak = (qps: number, first: boolean) => (c.peakFactor !== 1 ? `, ${formatCount(qps * c.peakFactor)}/s at peak${first ? ` (${c.peakFactor}×)` : ''}` : '');
  if (c.readQps) out.push(`reads: ${formatCount(c.readQps)}/s average${peak(c.readQps, true)}`);
  if (c.writeQps) out.push(`writes: ${formatCount(c.writeQps)}/s average${peak(c.writeQps, !c.readQps)}`);
  if (c.storagePerDay) out.push(`storage: ${formatBytes(c.storagePerDay)} a day${c.storageTotal ? `, ${formatBytes(c.storageTotal)} over ${formatPeriod(e.figures.retentionDays!)}` : ''}`);
  if (c.bandwidth) out.push(`bandwidth: ${formatBytes(c.bandwidth)}/s average`);
  return out;
}

/** A retention as people say it: `7 years` rather than `2555 days`, `6 months`, `30 days`. */
export function formatPeriod(days: number): string {
  const say = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const years = days / 365;
  if (years >= 1 && Math.abs(years - Math.round(years)) < 0.05) return say(Math.round(years), 'year');
  if (years >= 2) return say(Math.round(years * 10) / 10, 'year');
  const months = days / 30;
  if (months >= 2 && Math.abs(months - Math.round(months)) < 0.1) return say(Math.round(months), 'month');
  return say(Math.round(days), 'day');
}
