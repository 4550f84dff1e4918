import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkSession } from '../core/check.js';
import { formatDiagnostic } from '../core/errors.js';
import { renderReport } from '../core/report.js';
import { loadBank } from '../io/bank.js';
import { modifiedAt, writeAtomic } from '../io/files.js';
import { loadSession, resolveSessionPath } from '../io/sessions.js';
import type { CommandContext } from './context.js';

export interface BuildOptions {
  out: string;
  dir: string;
}

export async function buildCommand(ctx: CommandContext, given: string | undefined, opts: BuildOptions): Promise<number> {
  const file = await resolveSessionPath(ctx.cwd, given, opts.dir);
  const { session, shown } = await loadSession(ctx.cwd, file);
  for (const d of session.diagnostics) ctx.term.err(formatDiagnostic(shown, d));

  const fallbackQuestion = session.question ? undefined : await questionText(ctx, session.frontmatter.question);
  const report = renderReport({
    session,
    sessionPath: shown.split(path.sep).join('/'),
    finished: (await modifiedAt(file)).toISOString(),
    fallbackQuestion,
    check: checkSession(session),
  });
  const outDir = path.resolve(ctx.cwd, opts.out);
  await fs.mkdir(outDir, { recursive: true });
  const target = path.join(outDir, `${path.basename(file).replace(/\.md$/i, '')}.md`);
  await writeAtomic(target, report);
  ctx.term.out(`Wrote ${path.relative(ctx.cwd, target) || target}`);
  return 0;
}

async function questionText(ctx: CommandContext, id: string): Promise<string | undefined> {
  try {
    return (await loadBank(ctx.cwd, ctx.questionsDir)).find((q) => q.id === id)?.scope;
  } catch {
    return undefined; // The report still builds without the preset's text.
  }
}
