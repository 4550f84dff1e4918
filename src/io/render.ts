// The browser edge: one Chromium and warm pages with mermaid loaded once, for every diagram
// of a run. mermaid-cli's renderMermaid opens a page and imports mermaid per diagram (~0.9 s
// each here); render() on a warm page costs ~0.02-0.3 s, nearly all of it mermaid's own work
// (its config is deep-copied dozens of times per diagram). Puppeteer is imported lazily: only
// commands that render pay for it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { needsNoSandbox, type BrowserChoice } from './browser.js';
import { BrowserHome } from './browser-process.js';

export interface RendererOptions {
  browser: BrowserChoice;
  /** Force --no-sandbox (it is always used as root, where Chromium needs it). */
  noSandbox?: boolean;
  /**
   * Per diagram, from when the browser starts on it (for the first: from the launch, so
   * Chromium's start and mermaid's load count); a render that takes longer kills the browser.
   */
  timeoutMs: number;
  /** The run's stop signal: when it aborts, the browser is killed and its folder removed. */
  signal?: AbortSignal;
}

export interface Renderer {
  /**
   * Mermaid text to SVG. Throws RenderError for diagrams mermaid cannot draw. Calls may
   * overlap: they are sent in call order, and each has the whole timeout once it is drawn.
   */
  svg(definition: string, id: string): Promise<string>;
  /** An SVG to a PNG with a white background at 2× scale. */
  png(svg: string): Promise<Buffer>;
  /** The label texts an SVG shows, read back from its DOM (node, edge, actor and message labels). */
  labels(svg: string): Promise<string[]>;
  close(): Promise<void>;
}

export class RenderError extends Error {
  constructor(
    message: string,
    readonly kind: 'too-large' | 'invalid' | 'timeout' | 'unsafe' | 'browser',
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

/** Limits mermaid enforces; `secure` makes sure no %%{init}%% in user text can lift them. */
export const MERMAID_CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  maxTextSize: 50_000,
  maxEdges: 500,
  secure: ['secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'maxEdges', 'htmlLabels', 'layout', 'elk'],
  theme: 'default',
  flowchart: { htmlLabels: true },
  // Architecture flowcharts are laid out by ELK, which routes edges around the labels: on the
  // 21 samples and the big fixtures (bench/layout.mjs) no label overlaps another label or a
  // node (dagre: 71), about a third of dagre's edge crossings, and with top to bottom half
  // the width. Network simplex packs the nodes narrower; model order keeps the components in
  // the order the session names them, which crosses fewer edges.
  layout: 'elk',
  elk: { nodePlacementStrategy: 'NETWORK_SIMPLEX', considerModelOrder: 'NODES_AND_EDGES', cycleBreakingStrategy: 'MODEL_ORDER' },
} as const;

const ORIGIN = 'http://sdp.invalid';
/** Where the page finds @mermaid-js/layout-elk's files (mermaid's own are at the root). */
const ELK_PREFIX = '/layout-elk/';
const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module">import mermaid from './mermaid.esm.min.mjs'; import elk from '.${ELK_PREFIX}mermaid-layout-elk.esm.min.mjs'; mermaid.registerLayoutLoaders(elk); window.mermaid = mermaid; window.sdpReady = true;</script></body></html>`;

type Drawn = { svg: string; error?: undefined } | { svg?: undefined; error: string };

/** What the page holds once set up: mermaid, and the queue every diagram goes through. */
interface PageGlobals {
  mermaid: { initialize(config: unknown): void; render(id: string, text: string): Promise<{ svg: string }> };
  sdpDraw(text: string, id: string): Promise<Drawn>;
}

/**
 * Runs in the page. Diagrams are drawn one at a time, and a failed one's leftover elements are
 * removed before the next starts: the diagrams of different sessions share ids.
 */
function setUpPage(config: Record<string, unknown>): void {
  const page = globalThis as unknown as PageGlobals;
  page.mermaid.initialize(config);
  // mermaid.render returns the SVG serialised as HTML: a label's `<br>` inside its
  // <foreignObject> stays unclosed and `&nbsp;` is not an XML entity, so the file would not be
  // XML and shows as a broken image (mermaid issue #1766). Read back as the DOM the browser
  // built and written out by its XMLSerializer, it is well-formed by construction (as mmdc
  // does since mermaid-cli PR #378).
  const asXml = (html: string): string => {
    const svg = new DOMParser().parseFromString(html, 'text/html').querySelector('svg');
    return svg ? new XMLSerializer().serializeToString(svg) : html;
  };
  let queue: Promise<unknown> = Promise.resolve();
  page.sdpDraw = (text, id) => {
    const drawn = queue.then(async (): Promise<Drawn> => {
      try {
        return { svg: asXml((await page.mermaid.render(id, text)).svg) };
      } catch (err) {
        document.getElementById(id)?.remove();
        document.getElementById(`d${id}`)?.remove();
        return { error: String((err as Error)?.message ?? err) };
      }
    });
    queue = drawn;
    return drawn;
  };
}

/**
 * A second page runs in its own renderer process, so on another core, but loading mermaid
 * there again costs ~0.4 s: worth it once this many diagrams wait (`build --all`), not for
 * one session (6 diagrams) or `watch`. Two pages drew 20 sessions 1.3x faster on 2 cores.
 * Mermaid numbers some ids page-wide (sequence actors: id="actor12"), so those numbers depend
 * on what the page drew before; they never were the same for one session built alone and
 * within --all.
 */
const SECOND_PAGE_BACKLOG = 12;
const MAX_PAGES = Math.min(2, os.availableParallelism());
/** Renders sent to a page ahead of time: the next one is there when it finishes one. */
const IN_FLIGHT = 2;

const ARGS = [
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--mute-audio',
  // Even headless, Chromium preloads its address-bar popup, a WebUI page with a renderer of its
  // own: ~0.8 s of CPU at every start that nothing here shows. Puppeteer merges this list
  // into its own --disable-features; names an older Chromium does not know are ignored.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];

/**
 * What must never be in an SVG made from user text: a script element, an on… handler
 * attribute, a javascript: URL in an attribute. The same words as escaped label text are fine.
 */
export const UNSAFE = /<script|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*["']?\s*javascript:/i;

export async function openRenderer(opts: RendererOptions): Promise<Renderer> {
  // One clock for the first diagram: from here, through Chromium's start and mermaid's load,
  // to its picture. A browser that hangs on start costs the timeout, not puppeteer's 30 s.
  const startedAt = performance.now();
  const { default: puppeteer } = await import('puppeteer');
  const home = new BrowserHome();
  const launching = new AbortController();
  const interrupted = () => launching.abort();
  opts.signal?.addEventListener('abort', interrupted, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let browser: Browser;
  try {
    if (opts.signal?.aborted) throw new Error('interrupted');
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          launching.abort();
          reject(new StartTimeout());
        },
        Math.max(0, opts.timeoutMs - (performance.now() - startedAt)),
      );
    });
    browser = await Promise.race([
      puppeteer.launch({
        executablePath: opts.browser.executablePath,
        headless: true,
        userDataDir: home.profile,
        env: home.env(),
        // A pipe, not a socket: Chromium sees sdp die (end of file) and shuts down.
        pipe: true,
        // Signals belong to the command line (src/cli.ts); puppeteer's own handlers exit the process.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        signal: launching.signal,
        timeout: 0,
        args: [...ARGS, ...(opts.noSandbox || needsNoSandbox() ? ['--no-sandbox'] : [])],
      }),
      late,
    ]);
  } catch (err) {
    await home.release();
    if (err instanceof StartTimeout) return new StoppedRenderer(new RenderError(`starting the browser took longer than ${seconds(opts.timeoutMs)} s; the browser was stopped`, 'timeout'));
    throw new RenderError(`could not start ${opts.browser.executablePath}: ${opts.signal?.aborted ? 'interrupted' : firstLine(err)}`, 'browser');
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', interrupted);
  }
  home.started(browser.process()?.pid);
  return new WarmRenderer(browser, opts.timeoutMs, startedAt, home, opts.signal);
}

class StartTimeout extends Error {}
class LaneTimeout extends Error {}

function seconds(ms: number): number {
  return ms / 1000;
}

/** What the diagrams of a run get when the browser did not start in time: each fails saying why. */
class StoppedRenderer implements Renderer {
  private blamed = false;

  constructor(private readonly why: RenderError) {}

  svg(): Promise<string> {
    return Promise.reject(this.failure());
  }

  png(): Promise<Buffer> {
    return Promise.reject(this.failure());
  }

  labels(): Promise<string[]> {
    return Promise.reject(this.failure());
  }

  async close(): Promise<void> {}

  /** The first diagram ran out of time; the others are not drawn because the browser is gone. */
  private failure(): RenderError {
    if (this.blamed) return new RenderError(`the browser was stopped after ${this.why.message.replace(/; the browser was stopped$/, '')}`, 'browser');
    this.blamed = true;
    return this.why;
  }
}

/** A diagram asked for and not yet sent to a page. */
interface Job {
  definition: string;
  id: string;
  resolve(drawn: Drawn): void;
  reject(err: RenderError): void;
}

/** A page with mermaid loaded, and what it has been sent. */
interface Lane {
  page: Page;
  busy: number;
  /** Settles when the last render sent to it does, with the time the next one's clock starts. */
  last: Promise<number>;
}

/**
 * The renderer is handed out as soon as Chromium runs: diagrams asked for wait in order until a
 * page is ready, then go to whichever page has room. Only the first page is opened up front.
 */
class WarmRenderer implements Renderer {
  private readonly waiting: Job[] = [];
  private readonly lanes: Lane[] = [];
  private opened = 0;
  /** Once the browser is stopped, every render still waiting and every later one fails with why. */
  private stopped?: RenderError;

  private readonly interrupted = () => this.stop(new RenderError('interrupted; the browser was stopped', 'browser'));

  constructor(
    private readonly browser: Browser,
    private readonly timeoutMs: number,
    /** When the browser was asked to start: the first diagram's clock runs from then. */
    startedAt: number,
    private readonly home: BrowserHome,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.interrupted, { once: true });
    // The browser's end, however it comes (a crash, an OOM kill), stops every diagram with why.
    browser.process()?.once('exit', () => this.stop(new RenderError('the browser stopped', 'browser')));
    this.openLane(
      browser.pages().then((pages) => pages[0] ?? browser.newPage()),
      startedAt,
    );
  }

  async svg(definition: string, id: string): Promise<string> {
    const result = await this.draw(definition, id);
    if (result.error !== undefined || result.svg === undefined) {
      const message = (result.error ?? 'no picture').split('\n')[0];
      const tooLarge = /maximum text size|edge limit|too many edges|maxEdges/i.test(message);
      throw new RenderError(tooLarge ? `the diagram is over mermaid's limits (${message})` : `mermaid could not draw it: ${message}`, tooLarge ? 'too-large' : 'invalid');
    }
    // Over maxTextSize mermaid draws an error picture instead of failing.
    if (/Maximum text size in diagram exceeded|Syntax error in text/i.test(result.svg)) {
      throw new RenderError("the diagram is over mermaid's limits (maximum text size)", 'too-large');
    }
    if (UNSAFE.test(result.svg)) throw new RenderError('the rendered picture holds script or handlers; it was not written', 'unsafe');
    return result.svg;
  }

  async png(svg: string): Promise<Buffer> {
    const shot = await this.browser.newPage();
    try {
      await shot.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
      // Mermaid sizes its SVG to the page (width 100%, max-width its own width): on a fixed
      // page a wide architecture would shrink. Drawn at its own size (the viewBox) on a page
      // of that size at device scale 2, the PNG is exactly twice the picture.
      const box = await shot.$eval('svg', (el) => {
        const svgEl = el as SVGSVGElement;
        const view = svgEl.viewBox?.baseVal;
        const own = view && view.width > 0 && view.height > 0 ? { width: view.width, height: view.height } : svgEl.getBoundingClientRect();
        const width = Math.max(1, Math.ceil(own.width));
        const height = Math.max(1, Math.ceil(own.height));
        svgEl.style.maxWidth = 'none';
        svgEl.setAttribute('width', String(width));
        svgEl.setAttribute('height', String(height));
        svgEl.style.display = 'block';
        return { width, height };
      });
      await shot.setViewport({ width: box.width, height: box.height, deviceScaleFactor: 2 });
      return Buffer.from(await this.inTime(shot.screenshot({ type: 'png', omitBackground: false, clip: { x: 0, y: 0, ...box } }), 'a PNG screenshot'));
    } finally {
      await shot.close().catch(() => undefined);
    }
  }

  async labels(svg: string): Promise<string[]> {
    const view = await this.browser.newPage();
    try {
      await view.setContent(`<!doctype html><html><body>${svg}</body></html>`);
      return await view.$$eval('.nodeLabel, .edgeLabel, text.actor, text.messageText', (els) => els.map((el) => (el as HTMLElement).innerText ?? el.textContent ?? ''));
    } finally {
      await view.close().catch(() => undefined);
    }
  }

  /**
   * Kills the browser's process group and removes its folder. No polite Browser.close over the
   * protocol: a renderer that stopped answering would make it hang, and the folder is ours.
   */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.interrupted);
    this.stopped ??= new RenderError('the browser was closed', 'browser');
    for (const job of this.waiting.splice(0)) job.reject(this.stopped);
    await this.home.release(this.browser.process());
  }

  private draw(definition: string, id: string): Promise<Drawn> {
    if (this.stopped) return Promise.reject(this.stopped);
    const drawn = new Promise<Drawn>((resolve, reject) => this.waiting.push({ definition, id, resolve, reject }));
    if (this.waiting.length > SECOND_PAGE_BACKLOG && this.opened < MAX_PAGES) this.openLane(this.browser.newPage(), performance.now());
    this.pump();
    return drawn;
  }

  /**
   * A page that loads mermaid, within the deadline of the first diagram it will draw, whose
   * clock runs from `clockFrom`: a page that never gets there stops the browser.
   */
  private openLane(page: Promise<Page>, clockFrom: number): void {
    this.opened++;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LaneTimeout()), Math.max(0, clockFrom + this.timeoutMs - performance.now()));
    });
    Promise.race([page.then((p) => loadMermaid(p)), late])
      .finally(() => clearTimeout(timer))
      .then(
        (ready) => {
          this.lanes.push({ page: ready, busy: 0, last: Promise.resolve(clockFrom) });
          this.pump();
        },
        (err: unknown) => {
          if (!(err instanceof LaneTimeout)) return void this.stop(new RenderError(`the browser could not load mermaid: ${firstLine(err)}`, 'browser'));
          const what = `starting the browser and loading mermaid took longer than ${seconds(this.timeoutMs)} s`;
          this.stop(new RenderError(`the browser was stopped after ${what}`, 'browser'), new RenderError(`${what}; the browser was stopped`, 'timeout'));
        },
      );
  }

  private pump(): void {
    for (const lane of this.lanes) {
      while (lane.busy < IN_FLIGHT && this.waiting.length > 0 && !this.stopped) this.send(lane, this.waiting.shift()!);
    }
  }

  private send(lane: Lane, job: Job): void {
    lane.busy++;
    // The page function never throws: a failed call means the page or the browser is gone.
    const drawn = lane.page
      .evaluate((text, elementId) => (globalThis as unknown as PageGlobals).sdpDraw(text, elementId), job.definition, job.id)
      .catch((err: unknown) => Promise.reject(this.stop(new RenderError(`the browser stopped: ${firstLine(err)}`, 'browser'))));
    const startsAt = lane.last;
    lane.last = drawn.then(
      () => performance.now(),
      () => performance.now(),
    );
    this.inTime(drawn, 'rendering a diagram', startsAt)
      .then(job.resolve, job.reject)
      .finally(() => {
        lane.busy--;
        this.pump();
      });
  }

  /** `work`, allowed timeoutMs from the time `startsAt` gives; past that the browser is stopped. */
  private async inTime<T>(work: Promise<T>, what: string, startsAt: Promise<number> = Promise.resolve(performance.now())): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const late = new Promise<never>((_, reject) => {
      void startsAt.then((start) => {
        if (settled) return;
        timer = setTimeout(
          () => {
            // Our own work may have held the event loop past the deadline with the answer already
            // waiting unread: let it be read before deciding.
            setImmediate(() => {
              if (settled) return;
              const seconds = this.timeoutMs / 1000;
              this.stop(new RenderError(`the browser was stopped after ${what} took longer than ${seconds} s`, 'browser'));
              reject(new RenderError(`${what} took longer than ${seconds} s; the browser was stopped`, 'timeout'));
            });
          },
          Math.max(0, start + this.timeoutMs - performance.now()),
        );
      });
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  }

  /** Kills the browser; the waiting diagrams fail with `why`, the first of them with `late` when given. */
  private stop(why: RenderError, late?: RenderError): RenderError {
    if (!this.stopped) {
      this.stopped = why;
      void this.home.release(this.browser.process());
      for (const [i, job] of this.waiting.splice(0).entries()) job.reject(i === 0 && late ? late : why);
    }
    return this.stopped;
  }
}

/**
 * Mermaid's ESM build loads only the code of the diagrams drawn (~0.3 s) where the single
 * bundle costs ~0.8 s to parse. The page is served from an unreachable origin by request
 * interception: mermaid's own files and nothing else; every other request is refused.
 */
async function loadMermaid(page: Page): Promise<Page> {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('mermaid/dist/mermaid.esm.min.mjs')) + path.sep;
  // The ELK layout (bench/layout.mjs: no label overlaps, half the crossings) is loaded by
  // mermaid only when a diagram asks for it, from its own folder.
  const elkDist = path.dirname(require.resolve('@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs')) + path.sep;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== ORIGIN) return void request.abort().catch(() => undefined);
    if (url.pathname === '/') return void request.respond({ status: 200, contentType: 'text/html', body: PAGE }).catch(() => undefined);
    const elk = url.pathname.startsWith(ELK_PREFIX);
    const root = elk ? elkDist : dist;
    const file = path.resolve(root, decodeURIComponent(url.pathname.slice(elk ? ELK_PREFIX.length : 1)));
    if (!file.startsWith(root) || !file.endsWith('.mjs')) return void request.abort().catch(() => undefined);
    readFile(file)
      .then(
        (body) => request.respond({ status: 200, contentType: 'text/javascript', body }),
        () => request.abort(),
      )
      .catch(() => undefined);
  });
  // No timeouts of their own: the caller races the whole load against the diagram's deadline.
  await page.goto(`${ORIGIN}/`, { timeout: 0 });
  await page.waitForFunction('window.sdpReady === true', { timeout: 0 });
  await page.evaluate(setUpPage, MERMAID_CONFIG as unknown as Record<string, unknown>);
  return page;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
