// statsChart: the practice log as an SVG chart (reports/stats.svg): score per attempt over
// dates in the upper panel, active minutes against the budget in the lower one, one coloured
// series per question. d3-scale picks the axes' domains and tick values, d3-shape the lines;
// the SVG text is ours, so it is well-formed XML and byte-identical for the same attempts.
import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import { chronological, type Attempt } from '../derive/history.js';

// Tableau 10: distinct for people with the common colour-vision deficiencies.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const WIDTH = 800;
const PANEL = 170;
const GAP = 56;
const M = { top: 44, right: 210, bottom: 40, left: 56 };
const DAY = 86_400_000;

export interface ChartSeries {
  question: string;
  title: string;
  color: string;
  points: { at: number; score: number; grade?: number; minutes: number; budget: number }[];
}

export function chartSeries(attempts: Attempt[]): ChartSeries[] {
  const dated = chronological(attempts).filter((a) => a.started && !Number.isNaN(Date.parse(a.started)));
  const questions = [...new Set(dated.map((a) => a.question))].sort();
  return questions.map((q, i) => ({
    question: q,
    title: dated.find((a) => a.question === q)!.title,
    color: PALETTE[i % PALETTE.length],
    points: dated
      .filter((a) => a.question === q)
      .map((a) => ({
        at: Date.parse(a.started!),
        score: a.coverage,
        ...(a.grade?.overall !== undefined ? { grade: a.grade.overall } : {}),
        minutes: Math.round(a.activeTotal / 6) / 10,
        budget: Object.entries(a.budget).reduce((sum, [step, m]) => sum + (a.samples.includes(step as never) ? 0 : (m ?? 0)), 0),
      })),
  }));
}

export function statsChart(attempts: Attempt[]): string {
  const series = chartSeries(attempts);
  const height = M.top + PANEL * 2 + GAP + M.bottom;
  const out: string[] = [];
  const all = series.flatMap((s) => s.points);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<text x="${M.left}" y="22" font-size="15" font-weight="600" fill="#222">Practice log: ${all.length} attempt${all.length === 1 ? '' : 's'} at ${series.length} question${series.length === 1 ? '' : 's'}</text>`,
  );
  if (all.length === 0) {
    out.push(`<text x="${M.left}" y="${M.top + 40}" fill="#555">No dated attempts yet: start one with sdp new.</text>`, '</svg>');
    return `${out.join('\n')}\n`;
  }
  const first = Math.min(...all.map((p) => p.at));
  const last = Math.max(...all.map((p) => p.at));
  // One attempt, or all on one day: widen to a week so the points do not sit on the axis.
  const x = scaleUtc()
    .domain(last - first < DAY ? [new Date(first - 3 * DAY), new Date(last + 3 * DAY)] : [new Date(first), new Date(last)])
    .range([M.left, WIDTH - M.right])
    .nice();
  const xTicks = x.ticks(6);
  const xFormat = x.tickFormat(6, last - first > 300 * DAY ? '%b %Y' : '%b %d');

  const scoreTop = M.top;
  const timeTop = M.top + PANEL + GAP;
  const yScore = scaleLinear()
    .domain([0, 100])
    .range([scoreTop + PANEL, scoreTop]);
  const maxMinutes = Math.max(10, ...all.map((p) => Math.max(p.minutes, p.budget)));
  const yTime = scaleLinear()
    .domain([0, maxMinutes])
    .range([timeTop + PANEL, timeTop])
    .nice();

  const panel = (top: number, y: typeof yScore, label: string, ticks: number[]) => {
    out.push(`<g class="axis" data-axis="${label}">`);
    for (const t of ticks) {
      out.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${fix(y(t))}" y2="${fix(y(t))}" stroke="#e6e6e6"/>`);
      out.push(`<text x="${M.left - 8}" y="${fix(y(t) + 4)}" text-anchor="end" fill="#555">${t}</text>`);
    }
    out.push(`<line x1="${M.left}" x2="${M.left}" y1="${top}" y2="${top + PANEL}" stroke="#888"/>`);
    out.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${top + PANEL}" y2="${top + PANEL}" stroke="#888"/>`);
    for (const t of xTicks) {
      out.push(`<line x1="${fix(x(t))}" x2="${fix(x(t))}" y1="${top + PANEL}" y2="${top + PANEL + 4}" stroke="#888"/>`);
      out.push(`<text x="${fix(x(t))}" y="${top + PANEL + 17}" text-anchor="middle" fill="#555">${xFormat(t)}</text>`);
    }
    out.push(`<text transform="translate(${M.left - 40},${top + PANEL / 2}) rotate(-90)" text-anchor="middle" fill="#333">${label}</text>`, '</g>');
  };
  panel(scoreTop, yScore, 'coverage / 100', [0, 25, 50, 75, 100]);
  panel(timeTop, yTime, 'active minutes', yTime.ticks(5));

  for (const s of series) {
    const pts = s.points;
    const scorePath = line<(typeof pts)[number]>()
      .x((p) => x(p.at))
      .y((p) => yScore(p.score))(pts)!;
    const timePath = line<(typeof pts)[number]>()
      .x((p) => x(p.at))
      .y((p) => yTime(p.minutes))(pts)!;
    out.push(`<g class="series" data-question="${esc(s.question)}">`);
    out.push(`<path d="${round(scorePath)}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<path d="${round(timePath)}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of pts) {
      out.push(`<circle cx="${fix(x(p.at))}" cy="${fix(yScore(p.score))}" r="3.5" fill="${s.color}"><title>${esc(s.title)}: coverage ${p.score}</title></circle>`);
      if (p.grade !== undefined) {
        const gy = yScore(p.grade * 20);
        out.push(`<rect x="${fix(x(p.at) - 4)}" y="${fix(gy - 4)}" width="8" height="8" fill="none" stroke="${s.color}" stroke-width="2"><title>${esc(s.title)}: graded ${p.grade}/5</title></rect>`);
      }
      out.push(`<circle cx="${fix(x(p.at))}" cy="${fix(yTime(p.minutes))}" r="3.5" fill="${s.color}"><title>${esc(s.title)}: ${p.minutes} of ${p.budget} min</title></circle>`);
      if (p.budget > 0)
        out.push(`<line x1="${fix(x(p.at) - 7)}" x2="${fix(x(p.at) + 7)}" y1="${fix(yTime(p.budget))}" y2="${fix(yTime(p.budget))}" stroke="${s.color}" stroke-width="2" stroke-dasharray="3 2"/>`);
    }
    out.push('</g>');
  }

  // Legend: one line per question, then what the marks mean.
  const lx = WIDTH - M.right + 18;
  let ly = M.top + 6;
  out.push('<g class="legend">');
  for (const s of series) {
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 24}" y="${ly + 4}" fill="#222">${esc(short(s.title))}</text>`);
    ly += 18;
  }
  ly += 10;
  out.push(`<circle cx="${lx + 9}" cy="${ly}" r="3.5" fill="#555"/><text x="${lx + 24}" y="${ly + 4}" fill="#555">coverage (check)</text>`);
  ly += 18;
  out.push(`<rect x="${lx + 5}" y="${ly - 4}" width="8" height="8" fill="none" stroke="#555" stroke-width="2"/><text x="${lx + 24}" y="${ly + 4}" fill="#555">grade × 20 (feedback)</text>`);
  ly += 18;
  out.push(`<line x1="${lx + 2}" x2="${lx + 16}" y1="${ly}" y2="${ly}" stroke="#555" stroke-width="2" stroke-dasharray="3 2"/><text x="${lx + 24}" y="${ly + 4}" fill="#555">budget, minutes</text>`);
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}

function fix(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

function round(path: string): string {
  return path.replace(/-?\d+\.\d+/g, (n) => fix(Number(n)));
}

function short(title: string): string {
  const t = title.replace(/^Design\s+(the\s+)?/i, '');
  return t.length > 24 ? `${t.slice(0, 23)}…` : t;
}

function esc(text: string): string {
  // Control characters are not allowed in XML 1.0 at all; everything else is escaped.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}
