// The typed session model. Every piece of user text keeps its source span so that
// diagnostics point at a line and later write-backs can splice by position.
import type { Message } from './messages.js';
import type { StepId } from './method.js';
import type { Level } from './parse/rubric.js';

/** Offsets into the whole source string (frontmatter included), end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type { Severity } from './messages.js';
/** A problem the parser found in the file: one of sdp's messages. */
export type Diagnostic = Message;

/** A tool-owned block between `<!-- sdp:… -->` and `<!-- /sdp:… -->` markers. */
export interface OwnedBlock {
  kind: 'hint' | 'question';
  /** `requirements` for a step, `requirements/functional` for a section. */
  key: string;
  /** From the start marker's first byte to the end marker's line break. */
  span: Span;
  /** Between the markers. */
  inner: Span;
  /** From the end marker: the fingerprint of the inner text sdp last wrote. */
  fingerprint?: string;
  /**
   * Lines the person typed inside the block (unquoted lines of a block that is no longer
   * sdp's text): their answer, read as such and reported as written inside a hint block.
   */
  typed: Span[];
}

export type ComponentType = 'client' | 'service' | 'gateway' | 'load-balancer' | 'database' | 'cache' | 'queue' | 'storage' | 'cdn' | 'external';

export interface Component {
  name: string;
  type: ComponentType;
  /** False when the type was inferred from the name. */
  typed: boolean;
  responsibility: string;
  /** Absent for components only mentioned in workflows or wiring. */
  line?: number;
  /** `Chat Server (A, B)`: the instances the candidate named. */
  instances?: string[];
  /** `Inbox DB (other region)`: copies named in the design (a replica, a standby, a region). */
  replicas?: string[];
}

/** `Inbox DB -> Inbox DB (other region): async replication`: a store copying to its replica, not an edge. */
export interface Replication {
  component: string;
  /** The note that named the copy: `other region`, `standby`, `us-east`… */
  replica: string;
  /** What the line says about it, e.g. `async replication`. */
  how: string;
  line: number;
}

export interface Edge {
  from: string;
  to: string;
  action: string;
  line: number;
  /** Notes that named a copy of either end (`Inbox DB (replica)`), taken off the names. */
  replica?: { from?: string; to?: string };
}

export interface Workflow {
  name: string;
  line: number;
  edges: Edge[];
}

/** How an API is called: an HTTP request, a frame on an open WebSocket, a remote procedure, an event. */
export type EndpointKind = 'http' | 'ws-frame' | 'rpc' | 'event';

export interface Endpoint {
  kind: EndpointKind;
  /** `GET`, `POST`, … (`WS` for a socket's upgrade path); `FRAME`, `RPC` or `EVENT` for the other kinds. */
  method: string;
  /** `/listings/{id}` for HTTP; the frame's, procedure's or event's name otherwise (`presence-sub`, `ChatService.Send`, `order.created`). */
  path: string;
  /** Frames only: `up` from the client to the server, `down` pushed to the client. */
  direction?: 'up' | 'down';
  external: boolean;
  /** The whole line, for matching by words. */
  text: string;
  line: number;
}

/** One line of the candidate's own text (hint blocks excluded), for searches that need a position. */
export interface AnswerLine {
  step: StepId;
  /** The section id, '' for a step's preamble. */
  section: string;
  line: number;
  text: string;
}

export interface DataEntity {
  name: string;
  fields: string[];
  line: number;
}

export interface Choice {
  /** The step and section the choice was written in, e.g. `architecture/choices`. */
  where: string;
  text: string;
  why?: string;
  alternatives?: string;
  tradeoff?: string;
  line: number;
}

export interface FailureEntry {
  section: string;
  failure: string;
  mitigation: string;
  line: number;
}

export interface Section {
  /** The method's section id, or a slug of the heading for extra sections. */
  id: string;
  title: string;
  /** True when the heading matched one of the method's sections. */
  known: boolean;
  line: number;
  /** Everything under the heading up to the next heading of the same or higher rank. */
  span: Span;
  /** The candidate's text, hint blocks removed (text typed inside them kept), trimmed; '' when not answered. */
  answer: string;
  /** Text the candidate typed inside the section's hint block, also part of `answer`. */
  typed?: TypedText;
}

/** Answer text written inside a hint block, where sdp does not expect it. */
export interface TypedText {
  line: number;
  text: string;
  /** The answer without it, for showing the two apart. */
  outside: string;
}

export interface Step {
  id: StepId;
  number: number;
  title: string;
  /** False when the file has no heading for this step. */
  present: boolean;
  line: number;
  span: Span;
  /** Text between the step heading and its first section, hint blocks removed (text typed inside them kept). */
  preamble: string;
  /** Text the candidate typed inside the step's hint block, also part of `preamble`. */
  typed?: TypedText;
  sections: Section[];
}

export interface Frontmatter {
  sdp: number;
  question: string;
  title: string;
  started?: string;
  budget: Partial<Record<StepId, number>>;
  /** Steps pre-filled from the preset's sample answers (`sdp new --start-step`): not the candidate's. */
  samples: StepId[];
  /** The candidate's level (`level:`, default senior): which rubric key points count. */
  level: Level;
  /** Every key as written, for keys later tools own or the user added. */
  raw: Record<string, unknown>;
}

/** An interviewer's follow-up written into the session (`## Follow-up: <ask>` and its block), with the answer below it. */
export interface FollowUpAnswer {
  /** The rubric's follow-up id, from the block's key `followup/<id>`. */
  id: string;
  ask: string;
  /** The heading's line. */
  line: number;
  /** The candidate's text under the block up to the next heading of rank 1 or 2, '' when not answered. */
  answer: string;
}

export interface Session {
  frontmatter: Frontmatter;
  /** The interviewer's question as recorded in the file, '' when absent. */
  question: string;
  /** Offset where the markdown body starts (after the frontmatter). */
  bodyStart: number;
  steps: Step[];
  owned: OwnedBlock[];
  endpoints: Endpoint[];
  workflows: Workflow[];
  components: Component[];
  wiring: Edge[];
  /** Replication written as an edge from a store to its own copy. */
  replications: Replication[];
  dataModel: DataEntity[];
  choices: Choice[];
  failures: FailureEntry[];
  lines: AnswerLine[];
  followUps: FollowUpAnswer[];
  diagnostics: Diagnostic[];
}
