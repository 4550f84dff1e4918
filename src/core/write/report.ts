// Session -> report markdown. Pure and deterministic: the same session text and the
// same times give the same bytes. No clock here; the caller passes the times.
import type { CheckResult } from '../check/index.js';
import { depthSummary, type DepthResult } from '../check/depth.js';
import { LEVELS, type Level } from '../parse/rubric.js';
import { reportDiagrams, type ReportDiagram } from '../draw/mermaid.js';
import { describeEstimate } from '../check/estimate.js';
import { STEPS, type StepId } from '../method.js';
import type { FollowUpAnswer, Section, Session, TypedText } from '../session.js';
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
  /** Depth against the question's rubric; absent when the question has none. */
  depth?: DepthResult;
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
  // "0 min" for 28 s of work reads as nothing done.
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`;
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
  return section.answer === '' ? '_Not answered._' : withTyped(section.answer, section.typed);
}

/** Text typed inside a hint block is the candidate's answer too: shown, and said where it was written. */
function withTyped(answer: string, typed: TypedText | undefined): string {
  if (!typed) return answer;
  const note = `_Written inside the hint block (line ${typed.line}):_`;
  return [note, '', typed.text, ...(typed.outside ? ['', typed.outside] : [])].join('\n');
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
  const firstEdit = STEPS.map((s) => timing.steps[s.id]?.first)
    .filter((t): t is string => Boolean(t))
    .sort()[0];
  const started = watched ? (firstEdit ?? fm.started) : fm.started;
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
    const activeCell = sample
      ? '— (sample)'
      : active === undefined
        ? '—'
        : over
          ? `**${formatDuration(active * 1000)}, over by ${formatDuration((active - budget! * 60) * 1000)}**`
          : formatDuration(active * 1000);
    push(
      `| ${def.number}. ${def.title} | ${budget === undefined ? '—' : `${budget} min`} | ${activeCell} | ${sample ? 'sample answer' : stepStatus(step, def)} | ${sample ? '—' : input.check.scores.steps[def.id]} |`,
    );
  }
  push('', watched ? '_Active time: editing time recorded by `sdp watch`, pauses longer than the idle threshold left out._' : '_Active time per step is recorded while `sdp watch` runs._', '');

  for (const line of checkSection(input.check)) push(line);
  for (const line of depthSection(input.depth)) push(line);

  for (const def of STEPS) {
    const step = session.steps.find((s) => s.id === def.id)!;
    push(`## ${def.number}. ${def.title}`, '');
    if (!step.present) {
      push('_Not answered: the session has no heading for this step._', '');
      continue;
    }
    if (step.preamble) push(withTyped(step.preamble, step.typed), '');
    const sections = [...step.sections];
    for (const known of def.sections) {
      if (!sections.some((s) => s.id === known.id)) sections.push({ id: known.id, title: known.title, known: true, line: 0, span: { start: 0, end: 0 }, answer: '' });
    }
    for (const s of sections) push(`### ${s.title}`, '', sectionBody(s), '');
  }

  if (session.followUps.length) {
    push('## Follow-ups', '', '_Asked by the interviewer after the candidate had committed to a design._', '');
    for (const f of session.followUps) push(`### ${f.ask || f.id}`, '', f.answer || '_Not answered._', '');
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

  for (const line of gradingRequest({ budget: total, check: input.check, samples: fm.samples, level: fm.level, depth: input.depth, followUps: session.followUps })) push(line);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function checkSection(check: CheckResult): string[] {
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const out = [
    '## Completeness check',
    '',
    `Coverage **${check.scores.overall}/100** (per step in the table above) · ${countWords({ error: errors, warning: check.findings.length - errors })} from \`sdp check\`.`,
    '',
  ];
  const estimate = describeEstimate(check.estimate);
  if (estimate.length) out.push(`Estimates from the figures in step 2: ${estimate.join('; ')}.`, '');
  for (const f of check.findings) out.push(`- line ${f.line}, ${f.severity} \`${f.id}\`: ${messageBody(f)}`);
  if (check.findings.length) out.push('');
  return out;
}

function depthSection(depth: DepthResult | undefined): string[] {
  if (!depth) return [];
  const out = [
    '## Depth',
    '',
    `${depthSummary(depth).replace(/^Depth (\d+ of \d+)/, 'Depth **$1**')}: the key points of this question's rubric expected at ${depth.level} level that the answer covers. Points above the level are listed, not counted.`,
    '',
  ];
  for (const k of depth.keyPoints) {
    const level = k.expected ? k.level : `${k.level}, beyond ${depth.level}`;
    const shown = k.covered ? `Line ${k.line}: "${clipText(k.text!)}". ` : '';
    out.push(`- **${k.covered ? 'Covered' : 'Missed'}** \`${k.id}\` (${level}): ${k.point}. ${shown}Why it matters: ${k.why}`);
  }
  out.push('');
  if (depth.pitfalls.length) {
    out.push('Pitfalls the answer seems to fall into:', '');
    for (const p of depth.pitfalls) out.push(`- \`${p.id}\`, line ${p.line}: ${p.pitfall}. ${p.why} ("${clipText(p.text)}")`);
    out.push('');
  }
  return out;
}

function clipText(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** What each level expects, for the grader (Hello Interview's breadth / depth / proactiveness). */
const LEVEL_EXPECTS: Record<Level, string> = {
  mid: 'a working design that covers the functional requirements end to end, with sound basics (data model, API, one store per access pattern); depth on the mid key points; it is fine if the interviewer had to lead the deep dives',
  senior:
    'a complete design plus depth on two or three deep dives the candidate raises without being led, each with trade-offs against an alternative, and failure handling that names detection and mitigation; the mid and senior key points are expected',
  staff:
    'everything expected of a senior, driven by the candidate: they anticipate the hard parts of this question before being asked, quantify trade-offs from the estimates, and weigh operational cost and evolution; every key point is expected',
};

const SCORE_MEANS = [
  '1: missing, or wrong in a way that breaks the design',
  '2: present but shallow, or with a flaw that would fail in production',
  '3: workable; the basics are right but the depth expected at this level is missing',
  '4: strong; correct, with trade-offs stated; small gaps only',
  "5: excellent; would hold up under a real interviewer's deep dive",
];

interface GradingInput {
  budget: number;
  check: CheckResult;
  samples: StepId[];
  level: Level;
  depth?: DepthResult;
  followUps: FollowUpAnswer[];
}

function gradingRequest({ budget, check, samples, level, depth, followUps }: GradingInput): string[] {
  const errors = check.findings.filter((f) => f.severity === 'error').length;
  const numbers = samples.map((id) => STEPS.find((s) => s.id === id)!.number);
  const sampleNote = numbers.length
    ? [
        `Steps ${numbers.join(', ')} were pre-filled from sdp's sample answers, not written by the candidate: do not grade them (score them \`n/a\`), and grade the other steps and the time against the remaining budget.`,
        '',
      ]
    : [];
  const out = [
    '## Grading request',
    '',
    'Paste this whole report into an LLM. The instructions below are for the grader.',
    '',
    ...sampleNote,
    `You are a senior engineer running a ${budget}-minute system design interview for this question. Grade the candidate's written answers above against what this question demands at **${level}** level, strictly and fairly.`,
    '',
    `At ${level} level an interviewer expects ${LEVEL_EXPECTS[level]}.${level === LEVELS[LEVELS.length - 1] ? '' : ' Do not mark the candidate down for the points listed as beyond their level, but credit them when they are covered.'}`,
    '',
    "While answering, the candidate saw sdp's hints in the session file: the method's prompt for each step, this question's prompts, and hints derived from their earlier answers (for example \"this endpoint is used by no workflow\"). Grade the answer, not whether it followed a hint, and do not credit text that only repeats a hint.",
    '',
    "The diagram pictures and file links in this report point at files on the candidate's machine; you cannot open them. The mermaid source under each diagram is the diagram, drawn from the workflows and wiring above.",
    '',
    'Scores are integers from 1 to 5:',
    '',
    ...SCORE_MEANS.map((m) => `- ${m}`),
    '',
  ];
  if (depth) {
    out.push(
      '### What a strong answer to this question covers',
      '',
      `The rubric's key points, each with the lowest level expected to raise it and what a strong answer says. An automatic matcher marked each covered or missed in the Depth section (${depth.covered} of ${depth.counted} expected at ${level}); it matches phrases, so it can be wrong either way: confirm or dismiss each mark from the answer itself.`,
      '',
    );
    for (const k of depth.keyPoints) {
      const mark = k.covered ? `matcher: covered, line ${k.line}` : 'matcher: missed';
      out.push(`- \`${k.id}\` (${k.level}${k.expected ? '' : `, beyond ${level}`}; ${mark}): ${k.point}. Strong: ${k.strong}`);
    }
    out.push('');
  }
  if (followUps.length) {
    out.push(
      `The interviewer asked ${followUps.length === 1 ? 'a follow-up' : `${followUps.length} follow-ups`} after the candidate had committed to a design (the Follow-ups section): score how the answer adapts the design, with the same 1-5 scale. An unanswered follow-up scores 1.`,
      '',
    );
  }
  out.push(
    `An automatic checker of form scored coverage ${check.scores.overall}/100 with ${plural(errors, 'error')} and ${plural(check.findings.length - errors, 'warning')} (the Completeness check section). It matches words; mention a finding in your answer only where you agree it matters.`,
    '',
    '### Your answer',
    '',
    "Answer in exactly this markdown shape (the lines inside the fence, nothing before `# Grade`), so that `sdp feedback` can read it: replace each `<…>`, quote evidence as one line copied from the candidate's text, and repeat `- Finding:` as needed.",
    '',
    '```markdown',
    '# Grade',
    '',
  );
  for (const def of STEPS) {
    out.push(
      `## Step ${def.number}: ${def.title}`,
      `- Score: ${samples.includes(def.id) ? 'n/a' : '<1-5>'}`,
      '- Evidence: "<a line of the answer>"',
      '- Finding: <what is missing or wrong, or what is strong>',
      '',
    );
  }
  for (const k of depth?.keyPoints ?? []) {
    out.push(`## Key point: ${k.id}`, '- Covered: <yes | partly | no>', '- Score: <1-5>', '- Evidence: "<a line of the answer>"', '- Finding: <what a strong answer would add>', '');
  }
  for (const f of followUps) {
    out.push(`## Follow-up: ${f.id}`, '- Score: <1-5>', '- Evidence: "<a line of the answer>"', '- Finding: <what the answer gets right or misses>', '');
  }
  out.push(
    '## Overall',
    '- Score: <1-5>',
    '- Hire signal: <strong no hire | no hire | lean no hire | lean hire | hire | strong hire>',
    '- Finding: <the biggest gap, and what a strong candidate would have said instead>',
    '```',
  );
  return out;
}
