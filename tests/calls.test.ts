// "Calls an endpoint" is decided by what a hop sends, not by words it shares (issue 11 #7, #8).
import { describe, expect, it } from 'vitest';
import { endpointLabel, workflowCalls } from '../src/core/derive/calls.js';
import { parseSession } from '../src/core/parse/parse.js';

const head = '---\nsdp: 1\nquestion: whatsapp\n---\n';
function uncalled(api: string, workflows: string, components = ''): string[] {
  const s = parseSession(`${head}## 3. API design\n### External\n${api}\n## 4. Workflows\n${workflows}\n### Components\n${components}\n`);
  const calls = workflowCalls(s);
  return s.endpoints.filter((e) => !calls.called(e)).map(endpointLabel);
}

const COMPONENTS =
  '- Phone App [client]: the app\n- Chat Server [service]: sockets\n- Group Service [service]: groups\n- Group DB [database]: members\n- Key Service [service]: keys\n- Key DB [database]: prekeys';

describe('workflowCalls', () => {
  it('does not take "group" in a lookup or "key" in a read for creating a group, changing members or uploading keys', () => {
    const api = '1. POST /groups {name, members[]}\n2. PATCH /groups/{id}/members {add[]}\n3. PUT /keys {identityKey}';
    const flows =
      '### Workflow: Group message\nPhone App -> Chat Server: message with a groupId\nChat Server -> Group Service: look up the group members\nGroup Service -> Group DB: read members\nChat Server -> Key Service: fetch the key bundle';
    expect(uncalled(api, flows, COMPONENTS)).toEqual(['POST /groups', 'PATCH /groups/{id}/members', 'PUT /keys']);
  });

  it('takes the verb and the resource on a hop into the component that serves it', () => {
    const api = '1. POST /groups {name, members[]}\n2. PATCH /groups/{id}/members {add[]}\n3. PUT /keys {identityKey}';
    const flows = '### Workflow: Admin\nChat Server -> Group Service: create the group\nGroup Service -> Group DB: add members to the group\nPhone App -> Key Service: upload my keys';
    expect(uncalled(api, flows, COMPONENTS)).toEqual([]);
  });

  it('takes a frame by its name in the direction it travels, and the socket it travels on', () => {
    const api = '- `GET /connect` → 101, upgrades to a WebSocket\n- → send {to, body}\n- ← message {from, body}\n- → typing {chatId}\n- presence-sub {userIds}';
    const flows =
      '### Workflow: Chat\nPhone App -> Chat Server: send frame\nChat Server -> Phone App: message frame\nChat Server -> Group Service: typing fan-out\nPhone App -> Chat Server: presence-sub {userIds}';
    expect(uncalled(api, flows, COMPONENTS)).toEqual(['typing frame']);
  });

  it('gives a written path to the endpoint it fits best, not to a placeholder that also fits', () => {
    const api = '- GET /pages/changes?since=\n- GET /pages/{urlHash}';
    expect(uncalled(api, '### Workflow: Pull\nIndexer -> API Gateway: GET /pages/changes?since=c_1042')).toEqual(['GET /pages/{urlHash}']);
  });
});
