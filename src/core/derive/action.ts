// What a functional requirement asks the system to do: its action verb and the thing acted on
// ("Users can send a text message to a friend" → send, message). A suggested endpoint is made
// only from such a pair; a sentence without one ("messages are kept up to 30 days", "typing is
// best effort", "in the same order") gets a question instead of a path built from a stray word.
import { pluralize, singularize } from 'inflection';

export interface Action {
  /** The verb as written, lower case: `send`. */
  verb: string;
  /** The head noun of its object, singular: `message`. */
  object: string;
}

/**
 * Verbs that create a thing of their own on the object: following a user makes a follow of
 * that user, `POST /users/{id}/follows`. Their object may follow a preposition ("comment on a photo").
 */
const RELATION: Record<string, string> = {
  follow: 'follow',
  like: 'like',
  comment: 'comment',
  reply: 'reply',
  react: 'reaction',
  rate: 'rating',
  review: 'review',
  block: 'block',
  report: 'report',
  star: 'star',
  pin: 'pin',
  save: 'save',
  tag: 'tag',
  flag: 'flag',
  join: 'member',
  subscribe: 'subscription',
};

/** Verbs a user performs on a thing, by the HTTP method that performs them. */
const METHOD_OF: Record<string, string> = {};
for (const [method, verbs] of Object.entries({
  GET: 'see view read get fetch open browse search find list watch download stream track check look',
  DELETE: 'delete remove cancel unsubscribe unfollow unlike revoke',
  PATCH: 'edit update change rename modify mark move reorder reschedule',
  POST: 'place send create post publish upload book reserve buy purchase order pay transfer add share invite follow like react comment reply rate review submit register schedule request join leave report block save star pin forward tag flag message write start accept decline confirm assign approve',
})) {
  for (const v of verbs.split(' ')) METHOD_OF[v] = method;
}

/** Words that end an object phrase: prepositions, conjunctions, relative and modal words. */
const BOUNDARY = new Set(
  'to from with in on for by at of into onto within without about across over under after before during when while whether if so and or but that which who whom whose where as than then via per up down out is are was were be been can could will would should must may might'.split(
    ' ',
  ),
);
/** Words before the head noun that are not it: articles, possessives, quantifiers. */
const DETERMINER = new Set('a an the their his her its our my your one some any each every all other another new own several many few this that these those'.split(' '));
const LY_NOUNS = new Set(['reply', 'family', 'supply', 'assembly', 'anomaly', 'rally', 'ally', 'belly', 'jelly']);
/** Modal phrases after the actor: "Users can", "Hosts are able to", "Riders should". */
const MODAL = /^.{0,60}?\b(?:can|could|should|must|may|will|are able to|is able to|get to|want to|need to)\s+/i;

/** The requirement's action verb and object, or undefined when it does not name both. */
export function readAction(requirement: string): Action | undefined {
  const text = requirement
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(/[`*_]/g, '')
    .trim();
  const feature = MODAL.test(text) ? text.replace(MODAL, '') : text.replace(/^(?:users?|people|customers?|they|\w+s)\s+/i, '');
  const words = feature.toLowerCase().split(/\s+/);
  let i = 0;
  const verbAt = (k: number) => (METHOD_OF[words[k]] ? words[k] : METHOD_OF[words[k]?.replace(/s$/, '')] ? words[k].replace(/s$/, '') : undefined);
  const verb = verbAt(i);
  if (!verb) return undefined;
  i += 1;
  // "create and edit listings": the object follows the last verb of the pair.
  while ((words[i] === 'and' || words[i] === 'or' || words[i] === ',') && verbAt(i + 1)) i += 2;
  const last = verbAt(i - 1) ?? verb;
  if (RELATION[last] && ['on', 'to', 'for'].includes(words[i])) i += 1;
  const phrase: string[] = [];
  let listed = false;
  for (; i < words.length; i++) {
    const raw = words[i];
    const w = raw.replace(/[^a-z-]/g, '');
    if (w === '' || BOUNDARY.has(w)) break;
    phrase.push(w);
    listed = raw.endsWith(',');
    if (/[,.;:!?)]$/.test(raw)) break;
  }
  // "send messages quickly": an adverb after the object is not the object.
  const nouns = phrase.filter((w) => !DETERMINER.has(w) && (!/^[a-z]{3,}ly$/.test(w) || LY_NOUNS.has(w)));
  const head = nouns[nouns.length - 1];
  // "see sent, delivered and read receipts": a list in the object is too loose to name one resource.
  if (!head || head.length < 3 || listed) return undefined;
  return { verb: RELATION[last] ? last : verb, object: singularize(head) };
}

export type Suggestion = { endpoint: string } | { question: string };

/** An endpoint for a requirement when its verb and object say what it is, else a question. */
export function suggestEndpoint(requirement: string): Suggestion {
  const action = readAction(requirement);
  if (!action) return { question: 'which call serves it: an endpoint, a WebSocket frame, an RPC or an event?' };
  const relation = RELATION[action.verb];
  if (relation) return { endpoint: `POST /${pluralize(action.object)}/{id}/${pluralize(relation)}` };
  return { endpoint: `${METHOD_OF[action.verb]} /${pluralize(action.object)}` };
}

/** Verbs and things where a retried request must not be applied twice. */
const MONEY_VERBS = new Set(['pay', 'book', 'reserve', 'buy', 'purchase', 'order', 'transfer']);
const MONEY_THINGS = new Set(['payment', 'booking', 'reservation', 'order', 'purchase', 'transfer', 'ticket', 'charge', 'checkout', 'seat']);

/** Does the requirement move money or claim something scarce (its action, not a word in passing)? */
export function needsIdempotency(requirement: string): boolean {
  const action = readAction(requirement);
  return action !== undefined && (MONEY_VERBS.has(action.verb) || MONEY_THINGS.has(action.object));
}
