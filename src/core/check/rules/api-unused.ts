import { endpointLabel, workflowCalls } from '../../derive/calls.js';
import { BOOK } from '../examples.js';
import { staticWords } from '../match.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'api-unused',
  severity: 'error',
  step: 'workflows',
  summary:
    'an external API no workflow step calls: an endpoint by its method and path, or by its verb and resource on a hop into the component that serves it; a WebSocket frame, RPC or event by its name',
  subject: '`METHOD /path` as written; `name frame`, the RPC name or `name event`',
  examples: {
    notOk: [
      { 'api/external': '- `POST /bookings` → 201\n- `DELETE /bookings/{id}` → 204', workflows: BOOK },
      // "group" in a lookup is not creating a group.
      {
        'api/external': '- `POST /groups` {name} → 201',
        workflows: '### Workflow: Group message\n- Phone -> Chat Server: send to the group\n- Chat Server -> Group Service: look up the group members',
        'workflows/components': '- Phone [client]: app\n- Chat Server: sockets\n- Group Service: groups',
      },
    ],
    ok: [
      { 'api/external': '- `POST /bookings` → 201\n- `GET /listings/{id}` → listing', workflows: `${BOOK}\n### Workflow: View\n- Guest -> API Gateway: GET /listings/42` },
      { 'api/external': '- `cancelStay(bookingId)` → ok', workflows: '### Workflow: Cancel\n- Guest -> API Gateway: cancel stay\n- API Gateway -> Booking Service: cancelStay(bookingId)' },
      {
        'api/external': '- → send {to, body}\n- ← message {from, body}',
        workflows: '### Workflow: Chat\n- Phone -> Chat Server: send frame\n- Chat Server -> Phone: message frame',
        'workflows/components': '- Phone [client]: app\n- Chat Server: sockets',
      },
    ],
  },
  check(ctx) {
    // Workflow steps only: wiring is not a call.
    const calls = workflowCalls(ctx.session);
    return ctx.session.endpoints
      .filter((ep) => ep.external && !calls.called(ep))
      .map((ep) => {
        const subject = endpointLabel(ep);
        return ctx.report({
          line: ep.line,
          subject,
          message: `${subject} is not exercised by any workflow`,
          hint: 'add a workflow step that calls it, or drop the endpoint',
          evidence: { kind: ep.kind, resource: staticWords(ep) },
        });
      });
  },
  hint: { step: 'workflows', text: (f) => `no workflow calls \`${f.subject}\` yet (from step 3)` },
});
