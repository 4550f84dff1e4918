import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkSession } from '../core/check/index.js';
import { reportDiagrams, type ReportDiagram } from '../core/draw/mermaid.js';
import { ContentError, UsageError } from '../core/errors.js';
import { MAX_DIAGRAM_LINKS, diagramLinks } from '../core/limits.js';
import { formatMessage } from '../core/messages.js';
import { renderReport, type Picture } from '../core/write/report.js';
import { loadBank, loadDepth, loadPlaybook } from '../io/bank.js';
import { INSTALL_HINT, NoBrowserError, findBrowser } from '../io/browser.js';
import { modifiedAt } from '../io/files.js';
import { drawPictures, writePictures, type Drawing } from '../io/pictures.js';
import type { Renderer } from '../io/render.js';
import { makeFolderInside, writeOwned } from '../io/safe-write.js';
import { loadSession, reportStem, resolveSessionPath, type LoadedSession } from '../io/sessions.js';
import { stopIfAborted, type CommandContext } from './context.js';

/** Seconds: ten minutes for one diagram is already far past any real one. */
export const MAX_RENDER_TIMEOUT = 600;

export interface BuildOptions {
  out: string;
  dir: string;
  /** false with --no-render. */
  render?: boolean;
  png?: boolean;
  requireRender?: boolean;
  /** Seconds per diagram. */
  renderTimeout?: number | string;
  all?: boolean;
  /** false with --no-sandbox. */
  sandbox?: boolean;
}

export async function buildCommand(ctx: CommandContext, given: string | undefined, opts: BuildOptions): Promise<number> {
  const timeout = opts.renderTimeout === undefined ? 30 : Number(opts.renderTimeout);
  // Timers past 2^31 ms fire at once (Infinity, 1e308 broke every render): keep it sane.
  if (!(Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_RENDER_TIMEOUT)) {
    throw new UsageError(`--render-timeout must be seconds above 0 and at most ${MAX_RENDER_TIMEOUT}, not "${String(opts.renderTimeout)}"`, 'e.g. --render-timeout 30');
  }
  if (opts.all && given !== undefined) throw new UsageError('--all builds every session in the folder; give no session with it');
  const files = opts.all ? await allSessions(ctx, opts.dir) : [await resolveSessionPath(ctx.cwd, given, opts.dir)];
  // Chromium takes the longest to start, and starting it needs our one thread, which reading
  // every session would hold up: they are read once it runs, while its pages load mermaid.
  const { renderer, warning } = opts.render === false ? {} : await startBrowser(opts, timeout * 1000, ctx.signal);
  let code = 0;
  try {
    const started = startInOrder(files, (file) => startOne(ctx, file, renderer));
    for (const [i, file] of files.entries()) {
      try {
        const one = await started[i];
        // Interrupted: stop before the next write (the browser is already gone).
        stopIfAborted(ctx.signal);
        code = Math.max(code, await finishOne(ctx, file, one, opts));
      } catch (err) {
        if (!(opts.all && err instanceof ContentError)) throw err;
        for (const d of err.diagnostics) ctx.term.err(formatMessage(err.file ?? file, d));
        code = 1;
      }
    }
  } finally {
    await renderer?.close();
  }
  if (warning) {
    ctx.term.err(`sdp: warning: ${warning}. Try: ${INSTALL_HINT}.`);
    if (opts.requireRender) return 1;
  }
  return code;
}

/** One browser for the whole run, or why there is none: the reports then keep the mermaid source only. */
async function startBrowser(opts: BuildOptions, timeoutMs: number, signal: AbortSignal): Promise<{ renderer?: Renderer; warning?: string }> {
  try {
    const browser = findBrowser();
    const { openRenderer } = await import('../io/render.js');
    const renderer = await openRenderer({ browser, timeoutMs, noSandbox: opts.sandbox === false, signal });
    if (signal.aborted) {
      await renderer.close();
      stopIfAborted(signal);
    }
    return { renderer };
  } catch (err) {
    if (!(err instanceof NoBrowserError) && (err as Error).name !== 'RenderError') throw err;
    return { warning: `${(err as Error).message}; the report has the mermaid source only` };
  }
}

async function allSessions(ctx: CommandContext, dir: string): Promise<string[]> {
  const folder = path.resolve(ctx.cwd, dir);
  const names = (await fs.readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
  if (names.length === 0) throw new UsageError(`no session in ${dir}/`, 'start one with `sdp new <question>`');
  return names.map((n) => path.join(folder, n));
}

/** A session read, its diagrams handed to the browser; the report is written in its turn. */
interface Started {
  loaded: LoadedSession;
  drawing?: Drawing;
}

/**
 * Reads the sessions one after another without waiting for their reports: the browser gets
 * every diagram as early as it can, in session order, and has the next ones queued while a
 * report is worked out and written.
 */
function startInOrder(files: string[], start: (file: string) => Promise<Started>): Promise<Started>[] {
  let previous: Promise<unknown> = Promise.resolve();
  return files.map((file) => {
    const next = later(
      previous.then(
        () => start(file),
        () => start(file),
      ),
    );
    previous = next;
    return next;
  });
}

/** A promise awaited later, in its turn: failing before then is not an unhandled rejection. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function startOne(ctx: CommandContext, file: string, renderer: Renderer | undefined): Promise<Started> {
  const loaded = await loadSession(ctx.cwd, file);
  const diagrams = reportDiagrams(loaded.session);
  const all: ReportDiagram[] = [...(diagrams.architecture ? [diagrams.architecture] : []), ...diagrams.workflows];
  return { loaded, drawing: renderer && all.length ? drawPictures(renderer, all) : undefined };
}

async function finishOne(ctx: CommandContext, file: string, { loaded: { session, shown }, drawing }: Started, opts: BuildOptions): Promise<number> {
  for (const d of session.diagnostics) ctx.term.err(formatMessage(shown, d));
  const outDir = path.resolve(ctx.cwd, opts.out);
  await fs.mkdir(outDir, { recursive: true });
  const stem = reportStem(file);

  // The .excalidraw scene needs no browser: laid out from the session's own component graph.
  // A picture too, though it needs no browser: --no-render (mermaid source only) skips it, and
  // dagre is loaded only here, so the other commands do not pay for it. It and the check are
  // worked out before waiting for the pictures: the browser draws meanwhile.
  const links = diagramLinks(session);
  const sceneTooLarge = opts.render !== false && links > MAX_DIAGRAM_LINKS;
  const scene = opts.render === false || sceneTooLarge ? undefined : (await import('../core/draw/excalidraw/index.js')).renderExcalidraw(session);
  const check = checkSession(session, { playbook: await loadPlaybook(ctx.cwd) });

  let code = 0;
  if (sceneTooLarge) {
    ctx.term.err(`${shown}: error: the .excalidraw scene is not drawn: the architecture has ${links} links, over the ${MAX_DIAGRAM_LINKS} sdp lays out. The report keeps its mermaid source.`);
    code = 1;
  }
  let pictures: Record<string, Picture> | undefined;
  if (drawing) {
    const result = await writePictures(drawing, outDir, stem, Boolean(opts.png));
    pictures = result.pictures;
    for (const p of result.problems) {
      ctx.term.err(`${shown}: error: ${p.key} not drawn: ${p.message}. The report keeps its mermaid source.`);
      code = 1;
    }
  }

  const sceneFile = path.join(outDir, stem, 'architecture.excalidraw');
  if (scene) {
    await makeFolderInside(path.dirname(sceneFile), outDir);
    await writeOwned(sceneFile, scene, outDir);
    pictures ??= {};
    const arch = pictures.architecture ?? {};
    pictures.architecture = { ...arch, links: [...(arch.links ?? []), { label: 'Excalidraw', href: `${stem}/architecture.excalidraw` }] };
  } else if (opts.render !== false) {
    await makeFolderInside(path.dirname(sceneFile), outDir);
    await fs.rm(sceneFile, { force: true });
  }

  const fallbackQuestion = session.question ? undefined : await questionText(ctx, session.frontmatter.question);
  const report = renderReport({
    session,
    sessionPath: shown.split(path.sep).join('/'),
    finished: (await modifiedAt(file)).toISOString(),
    fallbackQuestion,
    check,
    depth: await loadDepth(ctx.cwd, session),
    pictures,
  });
  const target = path.join(outDir, `${stem}.md`);
  await writeOwned(target, report, outDir);
  const drawn = Object.values(pictures ?? {}).filter((p) => p.image).length;
  const extras = [drawn ? `${drawn} pictures` : '', scene ? 'an .excalidraw scene' : ''].filter(Boolean).join(' and ');
  ctx.term.out(`Wrote ${path.relative(ctx.cwd, target) || target}${extras ? ` with ${extras} in ${path.relative(ctx.cwd, path.join(outDir, stem))}/` : ''}`);
  return code;
}

async function questionText(ctx: CommandContext, id: string): Promise<string | undefined> {
  try {
    return (await loadBank(ctx.cwd, ctx.questionsDir)).find((q) => q.id === id)?.scope;
  } catch {
    return undefined; // The report still builds without the preset's text.
  }
}
