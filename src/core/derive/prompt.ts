// Small text helpers shared by the derived hints and the rules' hint lines.
import { suggestEndpoint } from './action.js';
import { componentKey } from '../parse/components.js';
import type { Session } from '../session.js';

/** A list item quoted for a hint line, clipped to 60 characters. */
export function quote(text: string): string {
  const t = text.replace(/^\s*([-*+]|\d+[.)])\s+/, '').trim();
  return `"${t.length > 60 ? `${t.slice(0, 57)}...` : t}"`;
}

/** What to suggest for a requirement no endpoint serves: an endpoint its verb and object name, else a question. */
export function serveHint(requirement: string): string {
  const s = suggestEndpoint(requirement);
  return 'endpoint' in s ? `perhaps \`${s.endpoint}\`` : s.question;
}

/** Where a component first appears: the Components list and workflows are step 4, a wiring-only edge step 5. */
export function introducedIn(session: Session, name: string): string {
  const key = componentKey(name);
  const c = session.components.find((x) => componentKey(x.name) === key);
  const inWorkflow = session.workflows.some((w) => w.edges.some((e) => componentKey(e.from) === key || componentKey(e.to) === key));
  const inWiring = session.wiring.some((e) => componentKey(e.from) === key || componentKey(e.to) === key);
  return c?.line === undefined && !inWorkflow && inWiring ? 'step 5' : 'step 4';
}
