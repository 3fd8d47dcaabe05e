/**
 * Terms of masked text for topic clustering: English words, code identifiers split into their parts (camelCase,
 * snake_case, kebab-case, paths, file extensions dropped), and Japanese words from Intl.Segmenter('ja'). Mask tags
 * («…», [REDACTED:…]) are removed first, so a secret's tag never becomes a topic.
 */
const SEGMENTER = new Intl.Segmenter('ja', { granularity: 'word' });
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const KATAKANA = /^[\p{Script=Katakana}ー]+$/u;
const HIRAGANA = /^\p{Script=Hiragana}+$/u;
const MASK_TAGS = /«[^»]*»|\[REDACTED:[^\]]*\]/g;

const EN_STOP = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto about as is are was were be been ' +
    'being am do does did done have has had having it its this that these those there here what which who whom ' +
    'why how when where can could should would will shall may might must not no yes so too very just also only ' +
    'please thanks thank you your yours me my mine we our us they them their he she his her i let lets make made ' +
    'get got use using used want need try now again some any all each every more most other same than like one ' +
    'two new ok okay hi hello sure up out over under after before while ts js tsx jsx md json txt yml yaml'
  ).split(' '),
);
const JA_STOP = new Set(
  'こと もの ため よう これ それ あれ どれ ここ そこ する して した します ください くだ さい です ます でした ました ない ある いる なる できる'.split(
    ' ',
  ),
);

/** Splits a code identifier or path piece into words: getUserName → get user name; foo_bar.ts → foo bar ts. */
export function splitIdentifier(word: string): string[] {
  return word
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((p) =>
      p.split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u),
    )
    .filter(Boolean);
}

/** A light English stem (plural and -ing/-ed endings), so "tests", "testing" and "tested" meet. */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** Runs of Japanese script (segmented by the dictionary) or of letters, digits and underscores (split here). */
const RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々]+|[\p{L}\p{N}_]+/gu;

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.replace(MASK_TAGS, ' ').matchAll(RUNS)) {
    const run = m[0];
    if (CJK.test(run)) japanese(run, out);
    else latin(run, out);
  }
  return out;
}

/** Intl.Segmenter only where it is needed: it is several times slower than a regex on Latin text. */
function japanese(run: string, out: string[]): void {
  let katakana = '';
  const flush = () => {
    if (katakana.length > 1) out.push(katakana);
    katakana = '';
  };
  for (const s of SEGMENTER.segment(run)) {
    const w = s.segment;
    // Adjacent katakana pieces are one loanword the dictionary split (マイ|グレー|ション → マイグレーション).
    if (s.isWordLike && KATAKANA.test(w)) {
      katakana += w;
      continue;
    }
    flush();
    if (!s.isWordLike) continue;
    if (!CJK.test(w)) latin(w, out);
    else if (!((HIRAGANA.test(w) && w.length <= 2) || JA_STOP.has(w))) out.push(w); // particles and endings
  }
  flush();
}

function latin(word: string, out: string[]): void {
  for (const part of splitIdentifier(word)) {
    const p = part.toLowerCase();
    if (p.length < 2 || /^\d+$/.test(p) || EN_STOP.has(p)) continue;
    const st = stem(p);
    if (!EN_STOP.has(st)) out.push(st);
  }
}
