// Which declared APIs the workflows call. A call is decided by what a hop says it sends: its
// method and path (`POST /groups`), a frame, RPC or event by its name, or, when a workflow
// writes no paths, the endpoint's verb AND resource on a hop INTO a component that serves
// that resource. Words elsewhere ("group" in a lookup, "key" in a read) call nothing.
import { HTTP_IN_TEXT, pathSegments, samePath, staticWords } from '../check/match.js';
import { componentKey } from '../parse/components.js';
import type { Component, Edge, Endpoint, Session } from '../session.js';
import { keywords } from '../words.js';

/** How findings and hints name an endpoint: `POST /groups`, `send frame`, `ChatService.Send`, `order.created event`. */
export function endpointLabel(e: Endpoint): string {
  if (e.kind === 'ws-frame') return `${e.path} frame`;
  if (e.kind === 'event') return `${e.path} event`;
  if (e.kind === 'rpc') return e.path;
  return `${e.method} ${e.path.replace(/[?#].*$/, '')}`;
}

/** Action families that perform each method: a hop must say the verb, not merely name the thing. */
const CREATE = ['create', 'post', 'upload', 'book', 'pay', 'send', 'follow', 'like', 'comment', 'notify', 'login', 'message', 'store', 'save', 'insert', 'write', 'put', 'enqueue', 'register'];
const VERBS: Record<string, string[]> = {
  GET: ['view', 'search', 'download', 'poll', 'list', 'feed', 'redirect'],
  POST: CREATE,
  PUT: [...CREATE, 'update', 'set', 'replace'],
  PATCH: ['update', 'create', 'delete', 'set', 'mark'],
  DELETE: ['delete'],
};

/** Where a client's request enters the system before it reaches the service that serves it. */
const FRONT_DOOR = new Set(['gateway', 'load-balancer', 'cdn']);

/** Is this endpoint the WebSocket that frames travel on (`GET /connect` → 101, `WS /chat`)? */
function isSocket(e: Endpoint): boolean {
  return e.kind === 'http' && (e.method === 'WS' || e.method === 'WSS' || /websocket|\b101\b|upgrade/i.test(e.text));
}

interface Hop {
  edge: Edge;
  /** Paths written in the hop's action. */
  paths: { method?: string; path: string }[];
  words: Set<string>;
  /** False when the hop's workflow writes its requests as paths: its words then stand for those. */
  byWords: boolean;
}

function hopsOf(session: Session): Hop[] {
  return session.workflows.flatMap((w) => {
    const hops = w.edges.map((edge) => ({ edge, paths: [...edge.action.matchAll(HTTP_IN_TEXT)].map((m) => ({ method: m[1], path: m[2] })), words: keywords(edge.action) }));
    const explicit = hops.some((h) => h.paths.length > 0);
    return hops.map((h) => ({ ...h, byWords: !explicit }));
  });
}

/** `presence-sub`, `send` as a whole word of the action, case aside. */
function names(action: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^\\w-])${escaped}(?:$|[^\\w-])`, 'i').test(action);
}

export interface Calls {
  /** Does a workflow call this endpoint? */
  called(e: Endpoint): boolean;
}

export function workflowCalls(session: Session): Calls {
  const hops = hopsOf(session);
  const byKey = new Map(session.components.map((c) => [componentKey(c.name), c]));
  const typeOf = (name: string) => byKey.get(componentKey(name))?.type;
  const isClient = (name: string) => typeOf(name) === 'client';
  // A resource is served by the components named after it ("group" → Group Service, Group DB).
  const servers = (words: string[]): Component[] => session.components.filter((c) => words.some((w) => keywords(c.name).has(w)));

  const frameCalled = (e: Endpoint) => hops.some((h) => names(h.edge.action, e.path) && (e.direction === 'up' ? isClient(h.edge.from) : e.direction === 'down' ? isClient(h.edge.to) : true));
  const frames = session.endpoints.filter((e) => e.kind === 'ws-frame');
  const sendsFrame = (h: Hop) => /\bframes?\b/i.test(h.edge.action) || frames.some((f) => names(h.edge.action, f.path));
  const socketUsed = () => frames.some(frameCalled) || hops.some((h) => /web ?socket|\bsocket\b|\bframes?\b/i.test(h.edge.action));

  // A written path calls the declared endpoint it fits best: `/pages/changes` is the
  // `/pages/changes` row, not also `/pages/{urlHash}` by accident of the placeholder.
  const byPath = new Set<Endpoint>();
  const http = session.endpoints.filter((e) => e.kind === 'http');
  for (const p of hops.flatMap((h) => h.paths)) {
    const fits = http.filter((e) => samePath(p.path, e.path) && (!p.method || p.method === e.method));
    const literal = (e: Endpoint) => pathSegments(e.path).filter((seg, i) => seg !== '*' && seg === pathSegments(p.path)[i]).length;
    const best = Math.max(...fits.map(literal));
    for (const e of fits) if (literal(e) === best) byPath.add(e);
  }

  return {
    called(e) {
      if (e.kind === 'ws-frame') return frameCalled(e);
      const resource = staticWords(e);
      if (e.kind === 'rpc' || e.kind === 'event') {
        // By name, or by every word of it (`cancelStay` ← "cancel the stay").
        return hops.some((h) => h.edge.action.includes(e.path) || (resource.length > 0 && resource.every((w) => h.words.has(w))));
      }
      if (byPath.has(e)) return true;
      if (isSocket(e) && socketUsed()) return true;
      // `GET /{code}` has no words to match: only a written path shows it is called.
      const main = resource[resource.length - 1];
      if (main === undefined) return false;
      const verbs = VERBS[e.method] ?? CREATE;
      const serving = new Set(servers(resource).map((c) => componentKey(c.name)));
      return hops.some(
        (h) =>
          h.byWords &&
          h.words.has(main) &&
          (verbs.some((v) => h.words.has(v)) || (e.method === 'GET' && resource.some((w) => VERBS.GET.includes(w)))) &&
          // A hop that sends a frame calls the frame, whatever it carries.
          !sendsFrame(h) &&
          // Arriving where the resource is served, or leaving the client through the front door.
          (serving.size === 0 || serving.has(componentKey(h.edge.to)) || (isClient(h.edge.from) && FRONT_DOOR.has(typeOf(h.edge.to) ?? ''))),
      );
    },
  };
}
