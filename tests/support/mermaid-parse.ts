/**
 * Validate mermaid source with mermaid's own parser, in plain Node (vitest
 * environment "node", no jsdom).
 *
 * `mermaid.parse()` runs the real diagram parser *and* the diagram's db
 * (same code path as rendering, minus layout/SVG), so it catches grammar
 * errors, directive handling and entity pre-processing exactly as mermaid does.
 *
 * Why the shim: mermaid imports `dompurify`. Without a DOM, DOMPurify 3 returns
 * a stub whose `isSupported` is false and which has no `addHook`/`sanitize`
 * methods. Flowchart (and sequence actor/note) parsing calls
 * `DOMPurify.addHook(...)` / `DOMPurify.sanitize(...)` on label text, which
 * then throws "DOMPurify.addHook is not a function". Sanitising label HTML has
 * no influence on whether a diagram parses, so on that stub we install a no-op
 * `addHook` and an identity `sanitize`. The real DOMPurify (e.g. under jsdom)
 * is left untouched. `mermaid` and `dompurify` are plain ESM packages that
 * vitest externalises, so this module and mermaid share one DOMPurify
 * instance.
 *
 * Known limitation: `box ... end` blocks in sequence diagrams read
 * `window.CSS` / `new Option()` and fail here with "window is not defined".
 */
import DOMPurify from 'dompurify';

type MermaidApi = (typeof import('mermaid'))['default'];

let mermaidPromise: Promise<MermaidApi> | undefined;

function patchDomPurifyForNode(): void {
  if (DOMPurify.isSupported) return;
  const stub = DOMPurify as unknown as Record<string, unknown>;
  if (typeof stub.addHook !== 'function') stub.addHook = () => {};
  if (typeof stub.sanitize !== 'function') stub.sanitize = (dirty: unknown) => String(dirty);
}

function loadMermaid(): Promise<MermaidApi> {
  mermaidPromise ??= (async () => {
    patchDomPurifyForNode();
    const { default: mermaid } = await import('mermaid');
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  })();
  return mermaidPromise;
}

/**
 * Resolves when mermaid accepts `text`; rejects with an Error carrying
 * mermaid's own message (e.g. "Parse error on line 2: ... Expecting ..., got
 * 'end'") otherwise. The original error is kept as `cause`.
 */
export async function parseMermaid(text: string): Promise<void> {
  const mermaid = await loadMermaid();
  try {
    await mermaid.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(message, { cause: err });
  }
}
