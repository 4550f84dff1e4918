// A rule is one object made by defineRule: what it finds (the docs table), examples the test
// suite runs, the check itself and the hint `sdp watch` derives from its findings. Adding a
// rule is one file in rules/ and one line in index.ts.
import type { StepId } from '../method.js';
import type { Session } from '../session.js';
import type { Message, Severity } from '../messages.js';
import type { CheckContext } from './context.js';

export interface Finding extends Message {
  /** The rule's id. */
  id: string;
  /** The step whose answer should change; its score pays for the finding. */
  step: StepId;
  /** What the finding is about: an endpoint, a component, a requirement. */
  subject: string;
  /** What to do about it (`suggestion` in `sdp check --json`). */
  hint: string;
  /** Why the rule decided as it did (shown by --json). */
  evidence?: Record<string, unknown>;
}

/** What a rule says about one problem; defineRule adds the id, severity and (when fixed) the step. */
export interface Report {
  line: number;
  subject: string;
  message: string;
  hint: string;
  evidence?: Record<string, unknown>;
  /** Required when the rule's step varies, ignored otherwise. */
  step?: StepId;
}

export interface RuleContext extends CheckContext {
  report(r: Report): Finding;
}

export interface RuleDef {
  id: string;
  severity: Severity;
  /** The step whose score the findings charge, or, when it depends on the finding, what it depends on (for the docs). */
  step: StepId | { varies: string };
  /** One line: what the rule finds. */
  summary: string;
  /** What a finding's subject holds (the corpus matches on it). */
  subject: string;
  /** Snippets of step answers, wrapped into a session by the tests: each `notOk` must fire the rule, each `ok` must not. */
  examples: { ok: Example[]; notOk: Example[] };
  check(ctx: RuleContext): Finding[];
  /**
   * The line `sdp watch` writes into a step's hint block for each finding. `last`: a checklist
   * item, listed after the step's other hints (the first to go when a block is full).
   */
  hint?: { step: StepId; text(f: Finding, session: Session): string; last?: boolean };
}

/** Step answers keyed `step/section` (`workflows` alone for the step body), or frontmatter lines under `frontmatter`. */
export type Example = Record<string, string>;

export interface Rule extends RuleDef {
  run(ctx: CheckContext): Finding[];
}

export function defineRule(def: RuleDef): Rule {
  return {
    ...def,
    run(ctx) {
      const report = (r: Report): Finding => {
        const step = typeof def.step === 'string' ? def.step : r.step;
        if (!step) throw new Error(`rule ${def.id} reported a finding without its step`);
        return { id: def.id, severity: def.severity, step, line: r.line, column: 1, subject: r.subject, text: r.message, hint: r.hint, ...(r.evidence ? { evidence: r.evidence } : {}) };
      };
      // A flat copy, the same shape every run: a fresh prototype per run would make every
      // property read in the rules megamorphic.
      return def.check({ ...ctx, report });
    },
  };
}
