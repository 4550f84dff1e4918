import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkSession } from '../core/check.js';
import { reportDiagrams } from '../core/diagram.js';
import { ContentError, UsageError, formatDiagnostic } from '../core/errors.js';
import { renderReport, type Picture } from '../core/report.js';
import { loadBank } from '../io/bank.js';
import { INSTALL_HINT, NoBrowserError, findBrowser } from '../io/browser.js';
import { modifiedAt, writeAtomic } from '../io/files.js';
import { writePictures } from '../io/pictures.js';
import type { Renderer } from '../io/render.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import type { CommandContext } from './context.js';

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

/** One browser for the whole run, started on the first diagram; undefined when there is none. */
class LazyRenderer {
  private renderer?: Promise<Renderer | undefined>;
  warning?: string;

  constructor(private readonly opts: BuildOptions, private readonly timeoutMs: number) {}

  get(): Promise<Renderer | undefined> {
    this.renderer ??= (async () => {
      try {
        const browser = findBrowser();
        const { openRenderer } = await import('../io/render.js');
        return await openRenderer({ browser, timeoutMs: this.timeoutMs, noSandbox: this.opts.sandbox === false });
      } catch (err) {
        if (!(err instanceof NoBrowserError) && (err as Error).name !== 'RenderError') throw err;
        this.warning = `${(err as Error).message}; the report has the mermaid source only`;
        return undefined;
      }
    })();
    return this.renderer;
  }

  async close(): Promise<void> {
    await (await this.renderer)?.close();
  }
}

export async function buildCommand(ctx: CommandContext, given: string | undefined, opts: BuildOptions): Promise<number> {
  const timeout = opts.renderTimeout === undefined ? 30 : Number(opts.renderTimeout);
  if (!(timeout > 0)) throw new UsageError(`--render-timeout must be seconds above 0, not "${String(opts.renderTimeout)}"`);
  if (opts.all && given !== undefined) throw new UsageError('--all builds every session in the folder; give no session with it');
  const renderer = opts.render === false ? undefined : new LazyRenderer(opts, timeout * 1000);
  // Chromium takes the longest to start: let it start while the sessions are read and checked.
  const warming = renderer?.get().catch(() => undefined);
  let code = 0;
  try {
    const files = opts.all ? await allSessions(ctx, opts.dir) : [await resolveSessionPath(ctx.cwd, given, opts.dir)];
    for (const file of files) {
      try {
        code = Math.max(code, await buildOne(ctx, file, opts, renderer));
      } catch (err) {
        if (!(opts.all && err instanceof ContentError)) throw err;
        for (const d of err.diagnostics) ctx.term.err(formatDiagnostic(err.file ?? file, d));
        code = 1;
      }
    }
  } finally {
    await warming;
    await renderer?.close();
  }
  if (renderer?.warning) {
    ctx.term.err(`sdp: warning: ${renderer.warning}. Try: ${INSTALL_HINT}.`);
    if (opts.requireRender) return 1;
  }
  return code;
}

async function allSessions(ctx: CommandContext, dir: string): Promise<string[]> {
  const folder = path.resolve(ctx.cwd, dir);
  const names = (await fs.readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
  if (names.length === 0) throw new UsageError(`no session in ${dir}/`, 'start one with `sdp new <question>`');
  return names.map((n) => path.join(folder, n));
}

async function buildOne(ctx: CommandContext, file: string, opts: BuildOptions, renderer: LazyRenderer | undefined): Promise<number> {
  const { session, shown } = await loadSession(ctx.cwd, file);
  for (const d of session.diagnostics) ctx.term.err(formatDiagnostic(shown, d));
  const outDir = path.resolve(ctx.cwd, opts.out);
  await fs.mkdir(outDir, { recursive: true });
  const stem = path.basename(file).replace(/\.md$/i, '');

  let code = 0;
  let pictures: Record<string, Picture> | undefined;
  const diagrams = reportDiagrams(session);
  const all = [...(diagrams.architecture ? [diagrams.architecture] : []), ...diagrams.workflows];
  const live = all.length && renderer ? await renderer.get() : undefined;
  if (live) {
    const result = await writePictures(live, all, outDir, stem, Boolean(opts.png));
    pictures = result.pictures;
    for (const p of result.problems) {
      ctx.term.err(`${shown}: error: ${p.key} not drawn: ${p.message}. The report keeps its mermaid source.`);
      code = 1;
    }
  }

  // The .excalidraw scene needs no browser: laid out from the session's own component graph.
  // A picture too, though it needs no browser: --no-render (mermaid source only) skips it, and
  // dagre is loaded only here, so the other commands do not pay for it.
  const scene = opts.render === false ? undefined : (await import('../core/excalidraw.js')).renderExcalidraw(session);
  const sceneFile = path.join(outDir, stem, 'architecture.excalidraw');
  if (scene) {
    await fs.mkdir(path.dirname(sceneFile), { recursive: true });
    await writeAtomic(sceneFile, scene);
    pictures ??= {};
    const arch = pictures.architecture ?? {};
    pictures.architecture = { ...arch, links: [...(arch.links ?? []), { label: 'Excalidraw', href: `${stem}/architecture.excalidraw` }] };
  } else if (opts.render !== false) {
    await fs.rm(sceneFile, { force: true });
  }

  const fallbackQuestion = session.question ? undefined : await questionText(ctx, session.frontmatter.question);
  const report = renderReport({
    session,
    sessionPath: shown.split(path.sep).join('/'),
    finished: (await modifiedAt(file)).toISOString(),
    fallbackQuestion,
    check: checkSession(session),
    pictures,
  });
  const target = path.join(outDir, `${stem}.md`);
  await writeAtomic(target, report);
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
