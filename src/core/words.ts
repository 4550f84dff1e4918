// Word matching for the checker: a crude stemmer and a few synonym families, enough to
// see that "Guests can book a stay" and `POST /bookings` talk about the same thing.

const STOP = new Set(
  'a an and or the to of for in on with by from as at be is are was were can could should would will must may might their them they it its this that these those each any all own new other who what when where which how via into onto per than then so not no yes do does using use able also just only more most very our we you your i me my his her he she users user people someone one'.split(
    ' ',
  ),
);

/** Families of words that mean the same action or thing; the first word is the family's name. */
const FAMILIES = [
  'book booking reserve reservation',
  'search find query browse discover lookup look',
  'view see read get fetch show display open load retrieve',
  'pay payment charge checkout purchase buy',
  'message chat dm conversation',
  'post publish tweet share compose',
  'upload',
  'create add submit make register',
  'follow subscribe subscription',
  'like react reaction',
  'comment reply',
  'delete remove cancel',
  'update edit modify change',
  'login signin sign auth authenticate',
  'notify notification alert push',
  'ride trip',
  'photo image picture',
  'video clip',
  'file document doc',
  'feed timeline newsfeed',
  'redirect resolve',
  'send transfer',
  'presence online offline',
];

const VERBS = new Set(FAMILIES.flatMap((f) => f.split(' ')));
const FAMILY_OF = new Map<string, string>();
for (const family of FAMILIES) {
  const [name, ...rest] = family.split(' ');
  for (const w of [name, ...rest]) FAMILY_OF.set(stem(w), name);
}

/** Families too generic to show that two texts are about the same feature. */
export const GENERIC = new Set(['view', 'create', 'update', 'delete'].map(stem));

/** Plural to singular, and -ing/-ed off a verb that one of the families knows. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  for (const [suffix, add] of [
    ['ing', ''],
    ['ing', 'e'],
    ['ed', ''],
    ['ed', 'e'],
    ['d', ''],
  ] as const) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
      const base = w.slice(0, -suffix.length) + add;
      if (VERBS.has(base)) return base;
    }
  }
  return w;
}

/** Split text into words, camelCase and snake_case included. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !/^\d+$/.test(w));
}

/** Content words of a text, stemmed and folded into their families. */
export function keywords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (STOP.has(w)) continue;
    const s = stem(w);
    out.add(FAMILY_OF.get(s) ?? s);
  }
  return out;
}

export function shared(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((w) => b.has(w));
}

/** Content words stemmed but not folded into families: "changes" stays "change". */
export function stems(text: string): Set<string> {
  return new Set(
    words(text)
      .filter((w) => !STOP.has(w))
      .map(stem),
  );
}
