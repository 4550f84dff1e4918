// Writes a report's pictures next to it: reports/<stem>/architecture.svg, workflow-<n>.svg,
// PNGs with --png. Rendering never touches the session file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ReportDiagram } from '../core/draw/mermaid.js';
import type { Picture } from '../core/write/report.js';
import { RenderError, type Renderer } from './render.js';
import { makeFolderInside, writeOwned } from './safe-write.js';

export interface PictureResult {
  pictures: Record<string, Picture>;
  /** Diagrams that could not be drawn, with why. */
  problems: { key: string; message: string; kind: RenderError['kind'] }[];
}

/** Diagrams handed to the browser, drawn or failed one by one in their order. */
export interface Drawing {
  renderer: Renderer;
  diagrams: ReportDiagram[];
  /** Settled, never rejected: a drawing nobody reads any more must not count as an unhandled failure. */
  svgs: Promise<{ svg: string } | { error: unknown }>[];
}

/** Our own file names in the picture folder: anything else there is left alone. */
const OURS = /^(architecture|workflow-\d+)\.(svg|png)$/;

/** Sends every diagram to the browser at once; it draws them while the caller goes on. */
export function drawPictures(renderer: Renderer, diagrams: ReportDiagram[]): Drawing {
  const svgs = diagrams.map((d) =>
    renderer.svg(d.mermaid, `sdp-${d.key}`).then(
      (svg) => ({ svg }),
      (error: unknown) => ({ error }),
    ),
  );
  return { renderer, diagrams, svgs };
}

export async function writePictures(drawing: Drawing, reportDir: string, stem: string, png: boolean): Promise<PictureResult> {
  const dir = path.join(reportDir, stem);
  await makeFolderInside(dir, reportDir);
  const written = new Set<string>();
  const result: PictureResult = { pictures: {}, problems: [] };
  for (const [i, d] of drawing.diagrams.entries()) {
    try {
      const drawn = await drawing.svgs[i];
      if ('error' in drawn) throw drawn.error;
      await writeOwned(path.join(dir, `${d.key}.svg`), drawn.svg, reportDir);
      written.add(`${d.key}.svg`);
      const links: Picture['links'] = [];
      if (png) {
        await writeOwned(path.join(dir, `${d.key}.png`), await drawing.renderer.png(drawn.svg), reportDir);
        written.add(`${d.key}.png`);
        links.push({ label: 'PNG', href: `${stem}/${d.key}.png` });
      }
      result.pictures[d.key] = { image: `${stem}/${d.key}.svg`, ...(links.length ? { links } : {}) };
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      result.problems.push({ key: d.key, message: err.message, kind: err.kind });
      result.pictures[d.key] = { note: err.message };
      if (err.kind === 'timeout' || err.kind === 'browser') break; // the browser is gone
    }
  }
  // Pictures of diagrams that no longer exist would be stale: remove only our own names.
  for (const name of await fs.readdir(dir)) if (OURS.test(name) && !written.has(name)) await fs.rm(path.join(dir, name), { force: true });
  return result;
}
