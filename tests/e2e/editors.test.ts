// `sdp watch` must not make the editor object (#13): a candidate types a whole session in real
// vim (with its swap file, both `backupcopy` modes) and Emacs under tmux, with the README's
// set-up, saving the way people do (see support/typist.ts). Not one "changed on disk" prompt,
// not one character lost, and each step's hints in the file and in the editor's buffer by the
// time the candidate first types there.
// SDP_BIN runs another build (to measure a baseline); SDP_VIM_SETUP / SDP_EMACS_SETUP replace
// the README's set-up.
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { loadBank, loadPlaybook } from '../../src/io/bank.js';
import { BIN, REPO, cleanTemps, distExists, makeTemp } from './support/cli.js';
import { hasTools, typeSession, type EditorKind } from './support/typist.js';

afterAll(cleanTemps);

/** The set-up the README gives for an editor: its first fenced block of that language. */
function readmeSetup(lang: 'vim' | 'elisp'): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme);
  if (!m) throw new Error(`README.md has no \`\`\`${lang} block of editor set-up`);
  return m[1];
}

const cases: { name: string; editor: EditorKind; setup: () => string }[] = [
  { name: 'vim, backupcopy=yes (writes in place)', editor: 'vim', setup: () => `set backupcopy=yes\n${process.env.SDP_VIM_SETUP ?? readmeSetup('vim')}` },
  { name: 'vim, backupcopy=no (renames a new file into place)', editor: 'vim', setup: () => `set backupcopy=no\n${process.env.SDP_VIM_SETUP ?? readmeSetup('vim')}` },
  { name: 'Emacs (emacs-nox)', editor: 'emacs', setup: () => process.env.SDP_EMACS_SETUP ?? readmeSetup('elisp') },
];

describe.skipIf(!distExists()).concurrent('a candidate types a session with sdp watch beside the editor', () => {
  for (const c of cases) {
    const missing = hasTools(c.editor);
    if (missing.length) console.log(`skipping "${c.name}": ${missing.join(' and ')} not installed (apt-get install -y ${missing.map((m) => (m === 'emacs' ? 'emacs-nox' : m)).join(' ')})`);
    it.skipIf(missing.length > 0)(
      `${c.name}: no prompt, no character lost, hints there before each step`,
      async ({ expect }) => {
        const cwd = await makeTemp(`sdp-${c.editor}-`);
        const bin = process.env.SDP_BIN ?? BIN;
        execFileSync(process.execPath, [bin, 'new', 'airbnb'], { cwd, stdio: 'ignore' });
        const name = (await fs.readdir(path.join(cwd, 'sessions'))).find((n) => n.endsWith('.md'))!;
        const file = path.join(cwd, 'sessions', name);
        const question = (await loadBank(cwd)).find((q) => q.id === 'airbnb');
        const r = await typeSession({ editor: c.editor, cwd, file, bin, question, playbook: await loadPlaybook(cwd), setup: c.setup() });
        const stale = r.hints.filter((h) => !h.inFile || !h.inBuffer);
        console.log(
          `${c.name}: ${r.saves} saves (${r.pauses} pauses, ${r.typeOns} typed on), ${r.prompts.length} prompts` +
            `${r.prompts.length ? ` [${r.prompts.map((p) => `${p.kind} in step ${p.step}`).join('; ')}]` : ''}, ${r.lostChars} characters lost, ` +
            `${r.writes} writes by watch, hints late for steps [${stale.map((h) => `${h.step}${h.inFile ? ' (buffer)' : ''}`).join(', ')}]`,
        );
        expect(r.lost, 'typed lines missing from the file').toEqual([]);
        expect(r.prompts, 'prompts the editor raised').toEqual([]);
        expect(r.hints).toHaveLength(6);
        expect(stale, 'steps whose hints were not there when the candidate first typed in them').toEqual([]);
        // The timing, kept for the end, is in the file.
        expect(await fs.readFile(file, 'utf8')).toMatch(/^timing:\n {2}last_edit: /m);
      },
      240_000,
    );
  }
});
