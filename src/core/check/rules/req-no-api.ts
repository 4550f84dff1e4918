import { GENERIC, keywords, shared, stems } from '../../words.js';
import { quote, serveHint } from '../../derive/prompt.js';
import { clip, pathSegments, staticWords, unbullet } from '../match.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'req-no-api',
  severity: 'warning',
  step: 'api',
  summary: 'a functional requirement that shares no key noun or verb with any external API (an endpoint, a WebSocket frame, an RPC or an event)',
  subject: "the requirement's text",
  examples: {
    notOk: [{ 'requirements/functional': '- Guests can book a stay\n- Guests can leave reviews', 'api/external': '- `POST /bookings` {listingId, dates} → 201' }],
    ok: [{ 'requirements/functional': '- Guests can book a stay\n- Hosts see their changes', 'api/external': '- `POST /bookings` {listingId, dates} → 201\n- `GET /changes?since=` → list' }],
  },
  check(ctx) {
    const external = ctx.session.endpoints.filter((e) => e.external);
    if (external.length === 0) return [];
    const apiWords = external.map((e) => ({
      e,
      words: keywords(`${staticWords(e).join(' ')} ${e.text}`),
      resources: stems(
        pathSegments(e.path)
          .filter((x) => x !== '*')
          .join(' '),
      ),
    }));
    return ctx.units
      .filter((l) => l.step === 'requirements' && l.section === 'functional' && /^\s*([-*+]|\d+[.)])\s+\S/.test(l.text))
      .flatMap((l) => {
        const text = unbullet(l.text);
        // "Guests can leave reviews": the actor before the modal verb is not the feature.
        const feature = text.replace(/^.{0,40}?\b(can|could|should|must|may|will|are able to|is able to|get to)\b\s+/i, '');
        const want = new Set([...keywords(feature)].filter((w) => !GENERIC.has(w)));
        if (want.size === 0) return [];
        const raw = stems(feature);
        // A shared feature word, or a path segment named in the requirement ("changes" in GET /changes).
        const match = apiWords.find((a) => shared(want, a.words).length > 0 || shared(raw, a.resources).length > 0);
        if (match) return [];
        return [
          ctx.report({
            line: l.line,
            subject: text,
            message: `"${clip(text)}" is served by no external endpoint`,
            hint: 'add an endpoint for it in step 3, or move it out of scope',
            evidence: { words: [...want] },
          }),
        ];
      });
  },
  hint: { step: 'api', text: (f) => `no endpoint serves ${quote(f.subject)} yet: ${serveHint(f.subject)} (from your requirement)` },
});
