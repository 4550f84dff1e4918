// checkSession: completeness rules over a parsed session. Pure. Each rule is one file in
// rules/; precision matters more than recall, so a rule stays silent whenever it cannot tell.
// The order below is the order of the docs table and of each step's derived hints.
import type { Session } from '../session.js';
import { createContext, type CheckOptions } from './context.js';
import type { Estimate } from './estimate.js';
import type { Rule } from './rule.js';
import type { Finding } from './rule.js';
import { score, type Scores } from './score.js';
import reqNoApi from './rules/req-no-api.js';
import apiUnused from './rules/api-unused.js';
import workflowEntry from './rules/workflow-entry.js';
import componentsMissing from './rules/components-missing.js';
import componentUndeclared from './rules/component-undeclared.js';
import storeNoSchema from './rules/store-no-schema.js';
import componentUnused from './rules/component-unused.js';
import diagramIsland from './rules/diagram-island.js';
import componentDuplicate from './rules/component-duplicate.js';
import choiceIncomplete from './rules/choice-incomplete.js';
import nfrUnaddressed from './rules/nfr-unaddressed.js';
import spof from './rules/spof.js';
import capMissing from './rules/cap-missing.js';
import externalNoDown from './rules/external-no-down.js';
import queueNoLoss from './rules/queue-no-loss.js';
import failuresEmpty from './rules/failures-empty.js';
import failureCategoryMissing from './rules/failure-category-missing.js';
import estimateContradiction from './rules/estimate-contradiction.js';
import stepOverBudget from './rules/step-over-budget.js';

export type { Finding, Rule } from './rule.js';
export type { CheckOptions } from './context.js';
export type { Scores } from './score.js';
export { score } from './score.js';

export const RULES: readonly Rule[] = [
  reqNoApi,
  apiUnused,
  workflowEntry,
  componentsMissing,
  componentUndeclared,
  storeNoSchema,
  componentUnused,
  diagramIsland,
  componentDuplicate,
  choiceIncomplete,
  nfrUnaddressed,
  spof,
  capMissing,
  externalNoDown,
  queueNoLoss,
  failuresEmpty,
  failureCategoryMissing,
  estimateContradiction,
  stepOverBudget,
];

export type RuleId = (typeof RULES)[number]['id'];

export interface CheckResult {
  findings: Finding[];
  scores: Scores;
  estimate: Estimate;
}

// Not localeCompare: the order must not depend on the machine's locale, and ICU's collator
// costs ~10 ms to start.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function checkSession(session: Session, options: CheckOptions = {}): CheckResult {
  const ctx = createContext(session, options);
  // Steps pre-filled from sample answers are not the candidate's: no findings, no score.
  const samples = new Set(session.frontmatter.samples);
  const findings = RULES.flatMap((r) => r.run(ctx))
    .filter((f) => !samples.has(f.step))
    .sort((a, b) => a.line - b.line || byCodePoint(a.id, b.id) || byCodePoint(a.subject, b.subject));
  return { findings, scores: score(session, findings), estimate: ctx.estimate };
}
