// Self-check for rubric authors: how well a rubric's signals agree with hand labels.
// Usage: node bench/rubric-signals.mjs [question-id ...] [-v] [--cross] [--pitfalls] [--phrasings]
// For each tests/fixtures/depth/*.labels.json whose question has a rubric, splits the session's
// steps into units (list items and table rows whole, a `- Choice:` with its nested Why /
// Alternatives / Trade-off as one unit, prose cut into sentences), applies each key point's
// signals and prints precision/recall per preset against the labels. -v prints the matching unit;
// --cross lists key points that fire on other presets' samples (a precision smell);
// --pitfalls runs bench/rubric-pitfall-cases.json (phrasings that commit to a pitfall or reject it);
// --phrasings runs bench/rubric-phrasing-cases.json (how other candidates state a key point).
// A stand-in for the depth checker (src/core/check/depth.ts) that needs no build, for tuning data.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { parse } from 'yaml';

const STEPS = ['requirements', 'estimation', 'api', 'workflows', 'architecture', 'optimizations', 'failures'];
const args = process.argv.slice(2);
const verbose = args.includes('-v');
const only = args.filter((a) => !a.startsWith('-'));

const CHOICE_PART = /^\s+([-*+]|\d+[.)])\s+\**(why|alternatives?|trade-?offs?)\b/i;

function units(source) {
  // blank out frontmatter and tool blocks but keep their newlines, so line numbers stay true
  const blank = (m) => m.replace(/[^\n]/g, '');
  let text = source.replace(/^---\n[\s\S]*?\n---\n/, blank);
  text = text.replace(/<!-- sdp:(\w+)[^>]*-->[\s\S]*?<!-- \/sdp:\1[^>]*-->/g, blank);
  const out = [];
  let step = null;
  let section = 0;
  let item = null;
  const flush = () => {
    if (!item) return;
    const prev = out[out.length - 1];
    // a choice and its reasons are one thought, as in the depth checker
    if (item.part && prev && prev.step === step && prev.section === section) prev.text += '\n' + item.text;
    else out.push({ step, section, text: item.text, line: item.line, para: item.para });
    item = null;
  };
  text.split('\n').forEach((raw, i) => {
    const h = raw.match(/^## (\d)\./);
    if (h) {
      flush();
      step = STEPS[Number(h[1]) - 1];
      section++;
      return;
    }
    if (!step) return;
    if (/^#{1,6} /.test(raw)) {
      flush();
      section++;
      return;
    }
    if (/^\s*$/.test(raw)) {
      flush();
      return;
    }
    const li = raw.match(/^(\s*)([-*+]|\d+[.)])\s+(.*)$/);
    if (li) {
      flush();
      item = { text: raw.trim(), line: i + 1, part: CHOICE_PART.test(raw) };
      return;
    }
    if (/^\s*\|/.test(raw)) {
      flush();
      if (!/^\s*\|[\s:|-]+\|\s*$/.test(raw)) out.push({ step, section, text: raw, line: i + 1 });
      return;
    }
    if (item && (item.para || /^\s+\S/.test(raw))) {
      item.text += ' ' + raw.trim();
      return;
    }
    flush();
    item = { text: raw.trim(), line: i + 1, para: true };
  });
  flush();
  // a prose paragraph is one item until here: split it into sentences
  return out.flatMap((u) => (u.para ? u.text.split(/(?<=[.!?])\s+(?=[A-Z(`"*])/).map((t) => ({ ...u, text: t })) : [u]));
}

function matches(sig, unitText) {
  const all = (sig.all ?? []).every((r) => new RegExp(r, 'i').test(unitText));
  const not = (sig.not ?? []).some((r) => new RegExp(r, 'i').test(unitText));
  return all && !not;
}

function hits(entry, us) {
  for (const u of us) {
    if (!entry.steps.includes(u.step)) continue;
    for (const sig of entry.signals) if (matches(sig, u.text)) return u;
  }
  return null;
}

const labelDir = 'tests/fixtures/depth';
const per = {};
for (const f of readdirSync(labelDir)
  .filter((f) => f.endsWith('.labels.json'))
  .sort()) {
  const lab = JSON.parse(readFileSync(`${labelDir}/${f}`, 'utf8'));
  const q = lab.question;
  if (only.length && !only.includes(q)) continue;
  const rpath = `templates/rubrics/${q}.yaml`;
  if (!existsSync(rpath)) continue;
  const rub = parse(readFileSync(rpath, 'utf8'));
  const us = units(readFileSync(lab.session, 'utf8'));
  const p = (per[q] ??= { tp: 0, fp: 0, fn: 0, tn: 0 });
  const lines = [];
  for (const kp of rub.keyPoints) {
    const h = hits(kp, us);
    const lab1 = lab.covered.includes(kp.id);
    if (!lab1 && !lab.notCovered.includes(kp.id)) lines.push(`  !! ${kp.id} not labelled`);
    const tag = h && lab1 ? 'tp' : h ? 'fp' : lab1 ? 'fn' : 'tn';
    p[tag]++;
    if ((tag !== 'tp' && tag !== 'tn') || verbose) lines.push(`  ${tag.toUpperCase()} ${kp.id}${h ? `  L${h.line}: ${h.text.slice(0, 160)}` : ''}`);
  }
  for (const pf of rub.pitfalls ?? []) {
    const h = hits(pf, us);
    if (h) lines.push(`  PITFALL ${pf.id}  L${h.line}: ${h.text.slice(0, 140)}`);
  }
  console.log(`${f}`);
  lines.forEach((l) => console.log(l));
}
if (args.includes('--cross')) {
  // precision sanity: a rubric's key points should rarely fire on other presets' samples
  console.log('\ncross-preset hits (rubric <- other sample):');
  for (const r of readdirSync('templates/rubrics').filter((f) => f.endsWith('.yaml'))) {
    const rub = parse(readFileSync(`templates/rubrics/${r}`, 'utf8'));
    if (only.length && !only.includes(rub.question)) continue;
    for (const s of readdirSync('templates/samples')) {
      if (s === `${rub.question}.md`) continue;
      const us = units(readFileSync(`templates/samples/${s}`, 'utf8'));
      for (const kp of rub.keyPoints) {
        const h = hits(kp, us);
        if (h) console.log(`  ${rub.question}:${kp.id} <- ${s} L${h.line}: ${h.text.slice(0, 130)}`);
      }
    }
  }
}
// Hand-written phrasings: each case is [text, should it fire?] for one entry of a rubric.
function runCases(file, kind, cases, label) {
  let right = 0,
    all = 0;
  for (const [key, list] of Object.entries(JSON.parse(readFileSync(file, 'utf8')))) {
    const [q, id] = key.split(':');
    const entry = parse(readFileSync(`templates/rubrics/${q}.yaml`, 'utf8'))[kind].find((e) => e.id === id);
    for (const [t, want] of cases(list)) {
      all++;
      if (entry.signals.some((sig) => matches(sig, t)) === want) right++;
      else console.log(`  ${want ? 'missed' : 'wrongly matched'}: ${key}: ${JSON.stringify(t)}`);
    }
  }
  console.log(`${label}: ${right} of ${all} right`);
}
if (args.includes('--pitfalls')) runCases('bench/rubric-pitfall-cases.json', 'pitfalls', (c) => [...c.commits.map((t) => [t, true]), ...c.rejects.map((t) => [t, false])], 'pitfall cases');
if (args.includes('--phrasings')) runCases('bench/rubric-phrasing-cases.json', 'keyPoints', (list) => list.map((t) => [t, true]), 'key point phrasings');
console.log('\npreset                 P     R    (tp fp fn tn)');
for (const [q, p] of Object.entries(per)) {
  const P = p.tp + p.fp ? p.tp / (p.tp + p.fp) : 1;
  const R = p.tp + p.fn ? p.tp / (p.tp + p.fn) : 1;
  console.log(`${q.padEnd(22)} ${P.toFixed(2)}  ${R.toFixed(2)}   (${p.tp} ${p.fp} ${p.fn} ${p.tn})`);
}
