// Session -> report markdown. Pure and deterministic: the same session text and the
// same times give the same bytes. No clock here; the caller passes the times.
import type { CheckResult } from '../check/index.js';
import { reportDiagrams, type ReportDiagram } from '../draw/mermaid.js';
import { describeEstimate } from '../check/estimate.js';
import { STEPS, type StepId } from '../method.js';
import type { Section, Session } from '../session.js';
import { stepStatus } from '../derive/status.js';
import { countWords, messageBody, plural } from '../messages.js';
import { readTiming } from '../derive/timing.js';

export interface ReportInput {
  session: Session;
  /** The session's path as the user knows it, e.g. `sessions/airbnb-20261124-090000.md`. */
  sessionPath: string;
  /** ISO time of the last edit (the file's modification time until watch records edits). */
  finished: string;
  /** The preset's scope, used only when the file has lost its question block. */
  fallbackQuestion?: string;
  /** The checker's findings and scores, shown near the top and handed to the grader. */
  check: CheckResult;
  /** Rendered pictures by diagram key (`architecture`, `workflow-1`…), paths relative to the report. */
  pictures?: Record<string, Picture>;
}

export interface Picture {
  /** The SVG (or PNG) to show, relative to the report. */
  image?: string;
  /** Other files for the same diagram, e.g. the .excalidraw scene. */
  links?: { label: string; href: string }[];
  /** Why there is no image. */
  note?: string;
}

export function formatTime(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'unknown';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = String(minutes % 60).padStart(2, '0');
  return days > 0 ? `${days} d ${h} h ${m} min` : `${h} h ${m} min`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fence(text: string, lang: string): string {
  // A fence longer than any backtick run inside, so user text cannot close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

function sectionBody(section: Section): string {
  return section.answer === '' ? '_Not answered._' : section.answer;
}

export function renderReport(input: ReportInput): string {
  const { session, sessionPath } = input;
  const fm = session.frontmatter;
  const out: string[] = [];
  // One at a time: a spread of a long answer's lines would overflow the call stack.
  const push = (...lines: string[]) => {
    for (const line of lines) out.push(line);
  };

  push(`# Report: ${fm.title}`, '', `Session \`${sessionPath}\` · question \`${fm.question}\``, '');

  push('## Question', '', session.question || input.fallbackQuestion || '_The session has no question text._', '');

  const timing = readTiming(fm.raw);
  const watched = timing.last !== undefined;
  // Watched sessions: from the first edit to the last. Others: from creation to the file's mtime.
  const firstEdit = STEPS.map((s) => timing.steps[s.id]?.first).filter((t): t is string => Boolean(t)).sort()[0];
  const started = watched ? firstEdit ?? fm.started : fm.started;
  const finished = watched ? timing.last! : input.finished;
  const elapsed = started ? Date.parse(finished) - Date.parse(started) : NaN;
  const total = STEPS.reduce((sum, s) => sum + (fm.budget[s.id] ?? 0), 0);
  push(
    '## Time',
    '',
    '| | |',
    '|---|---|',
    `| ${watched ? 'First edit' : 'Started'} | ${formatTime(started)} |`,
    `| Finished (last edit) | ${formatTime(finished)} |`,
    `| Elapsed | ${formatDuration(elapsed)} |`,
    ...(watched ? [`| Active | ${formatDuration(timing.active * 1000)} |`] : []),
    `| Budget | ${total} min |`,
    '',
    '| Step | Budget | Active | Status | Coverage |',
    '|---|---|---|---|---|',
  );
  for (const def of STEPS) {
    const step = session.steps.find((s) => s.id === def.id)!;
    const budget = fm.budget[def.id];
    const active = timing.steps[def.id]?.active;
    const over = active !== undefined && budget !== undefined && active > budget * 60;
    const sample = fm.samples.includes(def.id);
    const activeCell = sample ? '— (sample)' : active === undefined ? '—' : over ? `**${formatDuration(active * 1000)}, over by ${formatDuration((active - budget! * 60) * 1000)}**` : formatDuration(active * 1000);
    push(`| ${def.number}. ${def.title} | ${budget === undefined ? '—' : `${budget} min`} | ${activeCell} | ${sample ? 'sample answer' : stepStatus(step, def)} | ${sample ? '—' : input.check.scores.steps[def.id]} |`);
  }
  push('', watched ? '_Active time: editing time recorded by `sdp watch`, pauses longer than the idle threshold left out._' : '_Active time per step is recorded while `sdp watch` runs._', '');

  for (const line of checkSection(input.check)) push(line);

  for (const def of STEPS) {
    const step = session.steps.find((s) => s.id === def.id)!;
    push(`## ${def.number}. ${def.title}`, '');
    if (!step.present) {
      push('_Not answered: the session has no heading for this step._', '');
      continue;
    }
    if (step.preamble) push(step.preamble, '');
    const sections = [...step.sections];
    for (const known of def.sections) {
      if (!sections.some((s) => s.id === known.id)) sections.push({ id: known.id, title: known.title, known: true, line: 0, span: { start: 0, end: 0 }, answer: '' });
    }
    for (const s of sections) push(`### ${s.title}`, '', sectionBody(s), '');
  }

  const diagrams = reportDiagrams(session);
  const show = (d: ReportDiagram) => {
    const picture = input.pictures?.[d.key];
    if (picture?.image) push(`![${d.title}](${encodeURI(picture.image)})`, '');
    if (picture?.links?.length) push(picture.links.map((l) => `[${l.label}](${encodeURI(l.href)})`).join(' · '), '');
    if (picture?.note) push(`_Not drawn: ${picture.note}._`, '');
    push(fence(d.mermaid, 'mermaid'), '');
  };
  push('## Architecture diagram', '');
  if (diagrams.architecture) show(diagrams.architecture);
  else push('_No components yet: write workflows as `A -> B: action` and list the components in step 4._', '');

  push('## Workflow diagrams', '');
  if (diagrams.workflows.length === 0) push('_No workflow steps yet._', '');
  for (const d of diagrams.workflows) {
    push(`### ${d.title}`, '');
    show(d);
  }

  push('## Data model', '');
  if (session.dataModel.length === 0) {
    push('_No schema found in step 5 (Data model)._', '');
  } else {
    push('| Entity | Fields |', '|---|---|');
    for (const e of session.dataModel) push(`| ${cell(e.name)} | ${cell(e.fields.join(', ')) || '—'} |`);
    push('');
  }

  const warnings = session.diagnostics;
  if (warnings.length) {
    push('## Notes from the parser', '');
    for (const d of warnings) push(`- line ${d.line}: ${messageBody(d)}`);
    push('');
  }

  for (const line of gradingRequest(total, input.check, fm.samples)) push(line);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function checkSection(check: CheckResult): string[] {
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const out = ['## Completeness check', '', `Coverage **${check.scores.overall}/100** (per step in the table above) · ${countWords({ error: errors, warning: check.findings.length - errors })} from \`sdp check\`.`, ''];
  const estimate = describeEstimate(check.estimate);
  if (estimate.length) out.push(`Estimates from the figures in step 2: ${estimate.join('; ')}.`, '');
  for (const f of check.findings) out.push(`- line ${f.line}, ${f.severity} \`${f.id}\`: ${messageBody(f)}`);
  if (check.findings.length) out.push('');
  return out;
}

function gradingRequest(budget: number, check: CheckResult, samples: StepId[]): string[] {
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const numbers = samples.map((id) => STEPS.find((s) => s.id === id)!.number);
  const sampleNote = numbers.length
    ? [`Steps ${numbers.join(', ')} were pre-filled from sdp's sample answers, not written by the candidate: do not grade them, and grade the other steps and the time against the remaining budget.`, '']
    : [];
  return [
    '## Grading request',
    '',
    'Paste this whole report into an LLM. The instructions below are for the grader.',
    '',
    ...sampleNote,
    `You are a senior engineer running a ${budget}-minute system design interview. Grade the candidate's written answers above, strictly and fairly, as you would for a senior backend role.`,
    '',
    '1. For each of the seven steps, give a score from 1 (missing or wrong) to 5 (excellent, would hold up in a real interview), and quote one line of the candidate\'s own text as evidence. A step marked "Not answered" scores 1.',
    '2. Score these dimensions from 1 to 5, each with one sentence of justification:',
    '   - Problem understanding: requirements are specific, measurable and scoped.',
    '   - API and data model: endpoints cover every functional requirement; every data store has a schema with keys and access patterns.',
    '   - Architecture and trade-offs: each choice has a reason and is weighed against an alternative; API → workflows → diagram is functionally complete.',
    '   - Scalability and performance: estimates drive the design (sharding, caching, async work) and the numbers are consistent.',
    '   - Reliability and failure handling: single points of failure are removed; the failure cases name detection and mitigation.',
    '   - Time management: compare the elapsed time and the per-step status with the budget in the Time section.',
    '3. Name the three most important gaps, each with what a strong candidate would have said instead.',
    `3a. An automatic checker scored coverage ${check.scores.overall}/100 with ${plural(errors, 'error')} and ${plural(check.findings.length - errors, 'warning')} (the Completeness check section). Confirm or dismiss each finding in your gaps; it matches words, so it can be wrong either way.`,
    '4. End with an overall hire signal, one of: Strong no hire, No hire, Lean no hire, Lean hire, Hire, Strong hire, and one sentence explaining it.',
    '',
    'Answer in markdown with a table of the step scores first.',
  ];
}
