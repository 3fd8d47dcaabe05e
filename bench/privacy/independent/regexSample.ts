import { mulberry32 } from '../../../src/core/random/mulberry32';
/**
 * A deterministic string from a simple regular expression, in the way gitleaks' `secrets.NewSecret(regex)` (a port of
 * lucasjones/reggen) fills its test samples: literals, escapes (\d \w \s and escaped punctuation), character classes
 * with ranges, groups with alternation, and the quantifiers ? * + {n} {n,m}. A negated class or any other construct
 * throws: the caller skips that sample.
 */
export type Random = () => number;

/** A seeded generator, so every conversion writes the same samples. */
export const seeded: (seed: number) => Random = mulberry32;

export function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

type Node =
  | { t: 'set'; chars: string }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number };

const DIGIT = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const WORD = `${LOWER}${UPPER}${DIGIT}_`;
const CLASS_ESC: Record<string, string> = { d: DIGIT, w: WORD, s: ' ' };
/** reggen's limit for unbounded repetition. */
const UNBOUNDED = 10;

function parse(src: string): Node {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`unsupported regex (${why}) at ${i}: ${src}`);
  };
  const parseAlt = (): Node => {
    const options: Node[] = [parseSeq()];
    while (src[i] === '|') {
      i++;
      options.push(parseSeq());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  };
  const parseSeq = (): Node => {
    const items: Node[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      let atom = parseAtom();
      if (!atom) continue;
      const q = src[i];
      if (q === '?' || q === '*' || q === '+') {
        i++;
        if (src[i] === '?') i++;
        atom = { t: 'rep', node: atom, min: q === '+' ? 1 : 0, max: q === '?' ? 1 : UNBOUNDED };
      } else if (q === '{') {
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(i));
        if (!m) fail('brace');
        i += m![0].length;
        const min = Number(m![1]);
        const max = m![2] ? (m![3] ? Number(m![3]) : min + UNBOUNDED) : min;
        atom = { t: 'rep', node: atom, min, max };
      }
      items.push(atom);
    }
    return { t: 'seq', items };
  };
  const parseAtom = (): Node | undefined => {
    const c = src[i]!;
    if (c === '(') {
      i++;
      if (src[i] === '?') {
        const flag = /^\?(?:[a-z]*:|[a-z]+\))/.exec(src.slice(i));
        if (!flag) fail('group kind');
        i += flag![0].length;
        if (flag![0].endsWith(')')) return undefined; // (?i): a flag alone
      }
      const inner = parseAlt();
      if (src[i] !== ')') fail('unclosed group');
      i++;
      return inner;
    }
    if (c === '[') return parseClass();
    if (c === '\\') {
      const e = src[i + 1]!;
      i += 2;
      if (CLASS_ESC[e]) return { t: 'set', chars: CLASS_ESC[e]! };
      if (/[A-Za-z0-9]/.test(e)) fail(`escape \\${e}`);
      return { t: 'set', chars: e };
    }
    if (c === '^' || c === '$') {
      i++;
      return undefined;
    }
    if (c === '.') fail('dot');
    i++;
    return { t: 'set', chars: c };
  };
  const parseClass = (): Node => {
    i++;
    if (src[i] === '^') fail('negated class');
    let chars = '';
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      let c = src[i]!;
      if (c === '\\') {
        const e = src[i + 1]!;
        i += 2;
        if (CLASS_ESC[e]) {
          chars += CLASS_ESC[e];
          continue;
        }
        c = e;
      } else i++;
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        let hi = src[i + 1]!;
        i += 2;
        if (hi === '\\') hi = src[i++]!;
        for (let k = c.charCodeAt(0); k <= hi.charCodeAt(0); k++) chars += String.fromCharCode(k);
      } else chars += c;
    }
    if (src[i] !== ']') fail('unclosed class');
    i++;
    return { t: 'set', chars };
  };
  const node = parseAlt();
  if (i !== src.length) fail('trailing input');
  return node;
}

function emit(node: Node, rnd: Random): string {
  switch (node.t) {
    case 'set':
      return node.chars[Math.floor(rnd() * node.chars.length)]!;
    case 'seq':
      return node.items.map((n) => emit(n, rnd)).join('');
    case 'alt':
      return emit(node.options[Math.floor(rnd() * node.options.length)]!, rnd);
    case 'rep': {
      const n = node.min + Math.floor(rnd() * (node.max - node.min + 1));
      let s = '';
      for (let k = 0; k < n; k++) s += emit(node.node, rnd);
      return s;
    }
  }
}

export function sampleFromRegex(src: string, rnd: Random): string {
  return emit(parse(src), rnd);
}
