// Keeps a session's pictures current while `sdp watch` runs: when a save changes a diagram,
// the SVGs and the .excalidraw scene are redrawn (debounced; the browser starts on the first
// diagram change and stays warm). Never writes into the session file.
import path from 'node:path';
import { reportDiagrams } from '../core/draw/mermaid.js';
import { renderExcalidraw } from '../core/draw/excalidraw/index.js';
import { MAX_DIAGRAM_LINKS, diagramLinks } from '../core/limits.js';
import type { Session } from '../core/session.js';
import { INSTALL_HINT, findBrowser } from './browser.js';
import { makeFolderInside, writeOwned } from './safe-write.js';
import { drawPictures, writePictures } from './pictures.js';
import type { Renderer } from './render.js';

export interface LivePicturesOptions {
  /** The report folder: pictures go to <outDir>/<stem>/. */
  outDir: string;
  stem: string;
  debounceMs?: number;
  timeoutMs?: number;
  /** The run's stop signal: the browser goes with it, and what fails on the way out is not news. */
  signal?: AbortSignal;
  onUpdate(message: string): void;
  onWarning(message: string): void;
}

export class LivePictures {
  private last = '';
  private timer?: NodeJS.Timeout;
  private renderer?: Promise<Renderer | undefined>;
  private running = Promise.resolve();
  private disabled = false;

  constructor(private readonly opts: LivePicturesOptions) {}

  /** Called with every good parse; redraws only when a diagram's text changed. */
  offer(session: Session): void {
    const diagrams = reportDiagrams(session);
    const all = [...(diagrams.architecture ? [diagrams.architecture] : []), ...diagrams.workflows];
    const key = all.map((d) => `${d.key}\n${d.mermaid}`).join('\n\u0000');
    if (key === this.last || this.disabled) return;
    this.last = key;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.draw(session, all)).catch((err: unknown) => this.warn(`pictures not updated: ${(err as Error).message}`));
    }, this.opts.debounceMs ?? 150);
  }

  private async draw(session: Session, all: ReturnType<typeof reportDiagrams>['workflows']): Promise<void> {
    const dir = path.join(this.opts.outDir, this.opts.stem);
    await makeFolderInside(dir, this.opts.outDir);
    const links = diagramLinks(session);
    if (links > MAX_DIAGRAM_LINKS) this.warn(`the .excalidraw scene is not drawn: the architecture has ${links} links, over the ${MAX_DIAGRAM_LINKS} sdp lays out`);
    const scene = links > MAX_DIAGRAM_LINKS ? undefined : renderExcalidraw(session);
    if (scene) await writeOwned(path.join(dir, 'architecture.excalidraw'), scene, this.opts.outDir);
    if (all.length === 0) return;
    const renderer = await this.browser();
    if (!renderer) return;
    const started = Date.now();
    const result = await writePictures(drawPictures(renderer, all), this.opts.outDir, this.opts.stem, false);
    for (const p of result.problems) this.warn(`${p.key} not drawn: ${p.message}`);
    if (result.problems.some((p) => p.kind === 'timeout' || p.kind === 'browser')) this.renderer = undefined;
    const drawn = Object.values(result.pictures).filter((p) => p.image).length;
    this.opts.onUpdate(`pictures: ${drawn} redrawn in ${path.relative(process.cwd(), dir) || dir}/ (${Date.now() - started} ms)`);
  }

  private browser(): Promise<Renderer | undefined> {
    this.renderer ??= (async () => {
      try {
        const browser = findBrowser();
        const { openRenderer } = await import('./render.js');
        return await openRenderer({ browser, timeoutMs: this.opts.timeoutMs ?? 30_000, signal: this.opts.signal });
      } catch (err) {
        this.disabled = true;
        this.warn(`${(err as Error).message}: pictures are not kept current. Try: ${INSTALL_HINT}`);
        return undefined;
      }
    })();
    return this.renderer;
  }

  private warn(message: string): void {
    if (!this.opts.signal?.aborted) this.opts.onWarning(message);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    await (await this.renderer)?.close();
  }
}
