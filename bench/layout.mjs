// How readable the architecture pictures are, per layout candidate, measured in Chromium on
// the architecture flowcharts sdp makes of the 21 shipped samples and of the big test fixtures
// (tests/fixtures/check/*.md, tests/fixtures/airbnb-complete.md). Per candidate: picture width
// (median and max, px), label overlaps (edge-label boxes that intersect another edge label or
// a node), edge crossings (points where two edges' drawn paths cross, away from the nodes
// they share), labels drawn more than 20 px from their own edge, and mermaid's render time.
// Usage: npm run build && node bench/layout.mjs [--png DIR]  (--png: the largest
// architecture drawn by every candidate, at 1x, to look at)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pngDir = process.argv.includes('--png') ? path.resolve(process.argv[process.argv.indexOf('--png') + 1]) : undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-layout-bench-'));

// The flowcharts, exactly as `sdp build` writes them into the reports.
mkdirSync(path.join(dir, 'sessions'));
const sources = [
  ...readdirSync(path.join(root, 'templates/samples')).map((f) => ['sample', `templates/samples/${f}`]),
  ...readdirSync(path.join(root, 'tests/fixtures/check'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => ['fixture', `tests/fixtures/check/${f}`]),
  ['fixture', 'tests/fixtures/airbnb-complete.md'],
];
for (const [kind, file] of sources) copyFileSync(path.join(root, file), path.join(dir, 'sessions', `${kind}-${path.basename(file)}`));
const built = spawnSync(process.execPath, [path.join(root, 'bin/sdp.js'), 'build', '--all', '--no-render'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SDP_CACHE_DIR: 'off' } });
if (!readdirSync(path.join(dir, 'reports')).length) throw new Error(`sdp build failed: ${built.stderr}`);
const diagrams = readdirSync(path.join(dir, 'reports'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => ({ name: f.replace(/\.md$/, ''), text: /```mermaid\n(flowchart [\s\S]*?)```/.exec(readFileSync(path.join(dir, 'reports', f), 'utf8'))?.[1] }))
  .filter((d) => d.text);

// sdp's own settings before ELK (src/io/render.ts MERMAID_CONFIG less its layout), which every
// candidate starts from.
const BASE = {
  startOnLoad: false,
  securityLevel: 'strict',
  maxTextSize: 50_000,
  maxEdges: 500,
  theme: 'default',
  flowchart: { htmlLabels: true },
};
const lr = (text) => text.replace(/^flowchart \w+/, 'flowchart LR');
const tb = (text) => text.replace(/^flowchart \w+/, 'flowchart TB');
const simplex = { nodePlacementStrategy: 'NETWORK_SIMPLEX' };
const modelOrder = { considerModelOrder: 'NODES_AND_EDGES', cycleBreakingStrategy: 'MODEL_ORDER' };
const candidates = [
  { name: 'dagre LR (sdp before)', config: {}, text: lr },
  { name: 'dagre LR, spacing 40/70', config: { flowchart: { nodeSpacing: 40, rankSpacing: 70 } }, text: lr },
  { name: 'dagre TB', config: {}, text: tb },
  { name: 'elk LR', config: { layout: 'elk' }, text: lr },
  { name: 'elk LR, simplex', config: { layout: 'elk', elk: simplex }, text: lr },
  { name: 'elk LR, model order', config: { layout: 'elk', elk: modelOrder }, text: lr },
  { name: 'elk LR, simplex, model order', config: { layout: 'elk', elk: { ...simplex, ...modelOrder } }, text: lr },
  { name: 'elk LR, simplex, wrap 150', config: { layout: 'elk', elk: simplex, flowchart: { wrappingWidth: 150 } }, text: lr },
  { name: 'elk TB', config: { layout: 'elk' }, text: tb },
  { name: 'elk TB, simplex', config: { layout: 'elk', elk: simplex }, text: tb },
  { name: 'elk TB, simplex, model order (sdp now)', config: { layout: 'elk', elk: { ...simplex, ...modelOrder } }, text: tb },
];

const ORIGIN = 'http://sdp.invalid';
const mermaidDist = path.join(root, 'node_modules/mermaid/dist') + path.sep;
const elkDist = path.join(root, 'node_modules/@mermaid-js/layout-elk/dist') + path.sep;
const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="out"></div><script type="module">
import mermaid from './mermaid/mermaid.esm.min.mjs'; import elk from './elk/mermaid-layout-elk.esm.min.mjs';
mermaid.registerLayoutLoaders(elk); window.mermaid = mermaid; window.ready = true;</script></body></html>`;

const browser = await puppeteer.launch({
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});

async function openPage(config) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 800 });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== ORIGIN) return void request.abort();
    if (url.pathname === '/') return void request.respond({ status: 200, contentType: 'text/html', body: PAGE });
    const [, top, ...rest] = url.pathname.split('/');
    const base = top === 'mermaid' ? mermaidDist : top === 'elk' ? elkDist : undefined;
    const file = base && path.resolve(base, decodeURIComponent(rest.join('/')));
    if (!file || !file.startsWith(base)) return void request.abort();
    readFile(file).then(
      (body) => request.respond({ status: 200, contentType: 'text/javascript', body }),
      () => request.abort(),
    );
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction('window.ready === true');
  await page.evaluate((c) => window.mermaid.initialize(c), config);
  return page;
}

/** Runs in the page: draws one flowchart at its own size and measures it. */
async function drawAndMeasure(text, id) {
  const started = performance.now();
  const { svg } = await window.mermaid.render(id, text);
  const ms = performance.now() - started;
  const out = document.getElementById('out');
  out.innerHTML = svg;
  const el = out.querySelector('svg');
  const vb = el.viewBox.baseVal;
  el.style.maxWidth = 'none';
  el.setAttribute('width', vb.width);
  el.setAttribute('height', vb.height);
  const origin = el.getBoundingClientRect();
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left, y1: r.bottom - origin.top };
  };
  const area = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  const nodes = [...el.querySelectorAll('g.node')].map(box);
  const labels = [...el.querySelectorAll('g.edgeLabel > g.label')]
    .filter((g) => g.textContent.trim() !== '')
    .map((g) => ({ id: g.getAttribute('data-id'), ...box(g.querySelector('foreignObject') ?? g) }));
  const paths = new Map();
  for (const p of el.querySelectorAll('path.flowchart-link')) {
    const m = p.getCTM();
    const len = p.getTotalLength();
    const pts = [];
    for (let t = 0; t <= len; t += 4) {
      const q = p.getPointAtLength(t).matrixTransform(m);
      pts.push([q.x, q.y]);
    }
    const end = p.getPointAtLength(len).matrixTransform(m);
    pts.push([end.x, end.y]);
    paths.set(p.id.slice(id.length + 1), pts);
  }
  let overlaps = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) if (area(labels[i], labels[j]) > 2) overlaps++;
    for (const n of nodes) if (area(labels[i], n) > 2) overlaps++;
  }
  // Crossings: segment intersections between two edges' polylines, away from both ends of each.
  const cross = (a, b, c, d) => {
    const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
    if (den === 0) return undefined;
    const t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den;
    const u = ((c[0] - a[0]) * (b[1] - a[1]) - (c[1] - a[1]) * (b[0] - a[0])) / den;
    return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] : undefined;
  };
  const near = (p, q, r) => Math.hypot(p[0] - q[0], p[1] - q[1]) < r;
  const all = [...paths.values()];
  let crossings = 0;
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      const ends = [a[0], a[a.length - 1], b[0], b[b.length - 1]];
      const found = [];
      for (let s = 1; s < a.length; s++) {
        for (let k = 1; k < b.length; k++) {
          const x = cross(a[s - 1], a[s], b[k - 1], b[k]);
          if (x && !ends.some((e) => near(x, e, 12)) && !found.some((f) => near(x, f, 6))) found.push(x);
        }
      }
      crossings += found.length;
    }
  }
  // A label whose centre is far from its own edge's path floats away from it.
  let detached = 0;
  for (const l of labels) {
    const pts = paths.get(l.id);
    if (!pts) continue;
    const c = [(l.x0 + l.x1) / 2, (l.y0 + l.y1) / 2];
    if (Math.min(...pts.map((p) => Math.hypot(p[0] - c[0], p[1] - c[1]))) > 20) detached++;
  }
  return { width: vb.width, height: vb.height, overlaps, crossings, detached, labels: labels.length, ms, svg: new XMLSerializer().serializeToString(el) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const largest = diagrams.reduce((a, b) => ((b.text.match(/-->|-\.->/g) ?? []).length > (a.text.match(/-->|-\.->/g) ?? []).length ? b : a));
const rows = [];
for (const c of candidates) {
  const page = await openPage({ ...BASE, ...c.config, flowchart: { ...BASE.flowchart, ...c.config.flowchart } });
  const results = [];
  for (const [i, d] of diagrams.entries()) {
    const r = await page.evaluate(drawAndMeasure, c.text(d.text), `d${i}`);
    results.push({ ...r, name: d.name });
    if (pngDir && d === largest) {
      mkdirSync(pngDir, { recursive: true });
      const shot = await browser.newPage();
      await shot.setViewport({ width: Math.ceil(r.width), height: Math.ceil(r.height) });
      await shot.setContent(`<!doctype html><body style="margin:0;background:#fff">${r.svg}</body>`);
      await shot.screenshot({ path: path.join(pngDir, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.png`) });
      await shot.close();
    }
  }
  await page.close();
  const sum = (k) => results.reduce((s, r) => s + r[k], 0);
  rows.push({
    candidate: c.name,
    'median width': Math.round(median(results.map((r) => r.width))),
    'max width': Math.round(Math.max(...results.map((r) => r.width))),
    'median height': Math.round(median(results.map((r) => r.height))),
    'label overlaps': sum('overlaps'),
    crossings: sum('crossings'),
    'detached labels': sum('detached'),
    'render ms (median)': Math.round(median(results.map((r) => r.ms))),
    [`largest (${largest.name})`]: `${Math.round(results.find((r) => r.name === largest.name).width)} px, ${results.find((r) => r.name === largest.name).overlaps} overlaps, ${results.find((r) => r.name === largest.name).crossings} crossings`,
  });
}
await browser.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  `${diagrams.length} architecture flowcharts (${sources.filter((s) => s[0] === 'sample').length} samples, ${sources.filter((s) => s[0] === 'fixture').length} fixtures); overlaps, crossings and detached labels summed over all`,
);
console.table(rows);
writeFileSync(path.join(os.tmpdir(), 'sdp-layout-bench.json'), JSON.stringify(rows, null, 2));
