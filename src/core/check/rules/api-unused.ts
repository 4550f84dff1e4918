import type { Endpoint } from '../../session.js';
import { keywords } from '../../words.js';
import { HTTP_IN_TEXT, samePath, staticWords } from '../match.js';
import { BOOK } from '../examples.js';
import { defineRule } from '../rule.js';

/** Does a workflow step's verb fit the endpoint? An RPC needs all its words ("cancel" of `cancelStay`). */
function verbFits(ep: Endpoint, resource: string[], action: Set<string>): boolean {
  if (ep.method === 'RPC') return resource.every((w) => action.has(w));
  const has = (w: string) => action.has(w);
  switch (ep.method) {
    case 'GET':
      return !has('create') && !has('update') && !has('delete');
    case 'DELETE':
      return has('delete');
    case 'PUT':
    case 'PATCH':
      return has('update') || (!has('view') && !has('create') && !has('delete'));
    default:
      return !has('view') && !has('delete') && !has('update');
  }
}

export default defineRule({
  id: 'api-unused',
  severity: 'error',
  step: 'workflows',
  summary: 'an external endpoint no workflow step calls (by method and path, or by resource and verb words)',
  subject: '`METHOD /path` as written, or the RPC name',
  examples: {
    notOk: [{ 'api/external': '- `POST /bookings` → 201\n- `DELETE /bookings/{id}` → 204', workflows: BOOK }],
    ok: [
      { 'api/external': '- `POST /bookings` → 201\n- `GET /listings/{id}` → listing', workflows: `${BOOK}\n### Workflow: View\n- Guest -> API Gateway: GET /listings/42` },
      { 'api/external': '- `cancelStay(bookingId)` → ok', workflows: '### Workflow: Cancel\n- Guest -> API Gateway: cancel stay\n- API Gateway -> Booking Service: cancelStay(bookingId)' },
    ],
  },
  check(ctx) {
    // Workflow steps only (wiring is not a call). Steps of a workflow that writes its request
    // as `METHOD /path` belong to that request: their words do not stand for other endpoints.
    const actions = ctx.session.workflows.flatMap((w) => {
      const steps = w.edges.map((e) => ({ e, paths: [...e.action.matchAll(HTTP_IN_TEXT)].map((m) => ({ method: m[1], path: m[2] })), words: keywords(e.action), byWords: true }));
      const explicit = steps.some((s) => s.paths.length > 0);
      return steps.map((s) => ({ ...s, byWords: !explicit }));
    });
    return ctx.session.endpoints
      .filter((ep) => ep.external)
      .flatMap((ep) => {
        const resource = staticWords(ep);
        const main = resource[resource.length - 1];
        const byPath = actions.find((a) => a.paths.some((p) => samePath(p.path, ep.path) && (!p.method || p.method === ep.method)));
        if (byPath) return [];
        if (ep.method === 'RPC' && actions.some((a) => a.e.action.includes(ep.path))) return [];
        // `GET /{code}` has no words to match: only a written path shows it is called.
        const byWords = main !== undefined && actions.find((a) => a.byWords && a.words.has(main) && verbFits(ep, resource, a.words));
        if (byWords) return [];
        const subject = ep.method === 'RPC' ? ep.path : `${ep.method} ${ep.path.replace(/[?#].*$/, '')}`;
        return [ctx.report({ line: ep.line, subject, message: `${subject} is not exercised by any workflow`, hint: 'add a workflow step that calls it, or drop the endpoint', evidence: { resource } })];
      });
  },
  hint: { step: 'workflows', text: (f) => `no workflow calls \`${f.subject}\` yet (from step 3)` },
});
