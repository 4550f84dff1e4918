// The browser edge: one Chromium and one warm page with mermaid loaded once, for every
// diagram of a run. mermaid-cli's renderMermaid opens a page and imports mermaid per diagram
// (~0.9 s each here); render() on a warm page costs ~0.05-0.2 s. Puppeteer is imported lazily:
// only commands that render pay for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { needsNoSandbox, type BrowserChoice } from './browser.js';

export interface RendererOptions {
  browser: BrowserChoice;
  /** Force --no-sandbox (it is always used as root, where Chromium needs it). */
  noSandbox?: boolean;
  /** Per diagram; a render that takes longer kills the browser. */
  timeoutMs: number;
}

export interface Renderer {
  /** Mermaid text to SVG. Throws RenderError for diagrams mermaid cannot draw. */
  svg(definition: string, id: string): Promise<string>;
  /** An SVG to a PNG with a white background at 2× scale. */
  png(svg: string): Promise<Buffer>;
  /** The label texts an SVG shows, read back from its DOM (node, edge, actor and message labels). */
  labels(svg: string): Promise<string[]>;
  close(): Promise<void>;
}

export class RenderError extends Error {
  constructor(message: string, readonly kind: 'too-large' | 'invalid' | 'timeout' | 'unsafe' | 'browser') {
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
  secure: ['secure', 'securityLevel', 'startOnLoad', 'maxTextSize', 'maxEdges', 'htmlLabels'],
  theme: 'default',
  flowchart: { htmlLabels: true },
} as const;

const ORIGIN = 'http://sdp.invalid';
const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module">import mermaid from './mermaid.esm.min.mjs'; window.mermaid = mermaid; window.sdpReady = true;</script></body></html>`;

const ARGS = ['--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-quic', '--mute-audio'];

/**
 * What must never be in an SVG made from user text: a script element, an on… handler
 * attribute, a javascript: URL in an attribute. The same words as escaped label text are fine.
 */
export const UNSAFE = /<script|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*["']?\s*javascript:/i;

const open = new Set<() => void>();
let exitHooked = false;

/** Kill every browser we started when the process goes away, however it goes. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const kill of open) kill();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export async function openRenderer(opts: RendererOptions): Promise<Renderer> {
  hookExit();
  const { default: puppeteer } = await import('puppeteer');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sdp-chromium-'));
  let browser: Browser | undefined;
  const kill = () => {
    try {
      browser?.process()?.kill('SIGKILL');
    } catch {
      // already gone
    }
    // Chromium's helpers may still be writing into the profile for a moment after the kill.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
    } catch {
      // The exit hook tries again; a leftover temp profile is untidy, never harmful.
    }
  };
  open.add(kill);
  try {
    browser = await puppeteer.launch({
      executablePath: opts.browser.executablePath,
      headless: true,
      userDataDir: profile,
      args: [...ARGS, ...(opts.noSandbox || needsNoSandbox() ? ['--no-sandbox'] : [])],
      timeout: Math.max(30_000, opts.timeoutMs),
    });
  } catch (err) {
    kill();
    open.delete(kill);
    throw new RenderError(`could not start ${opts.browser.executablePath}: ${(err as Error).message.split('\n')[0]}`, 'browser');
  }
  // Mermaid's ESM build loads only the code of the diagrams drawn (~0.3 s) where the single
  // bundle costs ~0.8 s to parse. The page is served from an unreachable origin by request
  // interception: mermaid's own files and nothing else; every other request is refused.
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('mermaid/dist/mermaid.esm.min.mjs')) + path.sep;
  const page: Page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== ORIGIN) return void request.abort().catch(() => undefined);
    if (url.pathname === '/') return void request.respond({ status: 200, contentType: 'text/html', body: PAGE }).catch(() => undefined);
    const file = path.resolve(dist, decodeURIComponent(url.pathname.slice(1)));
    if (!file.startsWith(dist) || !file.endsWith('.mjs')) return void request.abort().catch(() => undefined);
    readFile(file).then(
      (body) => request.respond({ status: 200, contentType: 'text/javascript', body }),
      () => request.abort(),
    ).catch(() => undefined);
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction('window.sdpReady === true', { timeout: Math.max(30_000, opts.timeoutMs) });
  await page.evaluate((config) => (globalThis as unknown as { mermaid: { initialize(c: unknown): void } }).mermaid.initialize(config), MERMAID_CONFIG as unknown as Record<string, unknown>);

  const withTimeout = async <T>(work: Promise<T>, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        kill();
        reject(new RenderError(`${what} took longer than ${opts.timeoutMs / 1000} s; the browser was stopped`, 'timeout'));
      }, opts.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async svg(definition, id) {
      const result = await withTimeout(
        page.evaluate(
          async (text: string, elementId: string) => {
            const m = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
            try {
              return { svg: (await m.render(elementId, text)).svg, error: undefined };
            } catch (err) {
              document.getElementById(elementId)?.remove();
              document.getElementById(`d${elementId}`)?.remove();
              return { svg: undefined, error: String((err as Error)?.message ?? err) };
            }
          },
          definition,
          id,
        ),
        'rendering a diagram',
      );
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
    },
    async png(svg) {
      const shot = await browser!.newPage();
      try {
        await shot.setViewport({ width: 800, height: 600, deviceScaleFactor: 2 });
        await shot.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
        const box = await shot.$eval('svg', (el) => {
          const r = el.getBoundingClientRect();
          return { width: Math.ceil(r.width), height: Math.ceil(r.height) };
        });
        await shot.setViewport({ width: Math.max(1, box.width), height: Math.max(1, box.height), deviceScaleFactor: 2 });
        return Buffer.from(await withTimeout(shot.screenshot({ type: 'png', omitBackground: false }), 'a PNG screenshot'));
      } finally {
        await shot.close().catch(() => undefined);
      }
    },
    async labels(svg) {
      const view = await browser!.newPage();
      try {
        await view.setContent(`<!doctype html><html><body>${svg}</body></html>`);
        return await view.$$eval('.nodeLabel, .edgeLabel, text.actor, text.messageText', (els) => els.map((el) => (el as HTMLElement).innerText ?? el.textContent ?? ''));
      } finally {
        await view.close().catch(() => undefined);
      }
    },
    async close() {
      try {
        await browser!.close();
      } catch {
        // killed already
      }
      kill();
      open.delete(kill);
    },
  };
}
