/**
 * gitleaks' rule definitions (cmd/generate/config/rules/*.go) carry, per rule, true-positive (`tps`) and
 * false-positive (`fps`) samples as Go expressions. This evaluates the subset of Go those expressions use — string
 * literals, `+`, `[]string{…}`, `append(…)`, local string variables, `fmt.Sprintf` with %s, gitleaks' own helpers
 * `utils.GenerateSampleSecret(s)` (templates read from the repository's generate.go) and `secrets.NewSecret(regex)`
 * (filled here by a seeded generator, see regexSample.ts). A sample whose expression uses anything else is skipped
 * and counted.
 */
import { hashSeed, type Random, sampleFromRegex, seeded } from './regexSample';
import type { SourceTree } from './sourceTree';

export interface Span {
  start: number;
  end: number;
}
/** A string and the spans in it known to be the secret: `exact` from gitleaks' sample helpers, else generated parts. */
export interface Str {
  text: string;
  spans: Span[];
  exact: boolean;
}
export interface GitleaksSample {
  file: string;
  ruleId: string;
  positive: boolean;
  value: Str;
}
type Val = Str | { list: Str[] } | number;

type Tok = { k: 'str' | 'id' | 'num' | 'p' | 'nl'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '\n') {
      out.push({ k: 'nl', v: '\n' });
      i++;
    } else if (src.startsWith('//', i)) {
      while (i < n && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '`') {
      const e = src.indexOf('`', i + 1);
      out.push({ k: 'str', v: src.slice(i + 1, e) });
      i = e + 1;
    } else if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < n && src[i] !== c) {
        if (src[i] === '\\') {
          const e = src[i + 1]!;
          const simple: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '\\': '\\',
            '"': '"',
            "'": "'",
            a: '\x07',
            b: '\b',
            f: '\f',
            v: '\v',
          };
          if (simple[e] !== undefined) {
            s += simple[e];
            i += 2;
          } else if (e === 'x') {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (e === 'u') {
            s += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
          } else if (e === 'U') {
            s += String.fromCodePoint(parseInt(src.slice(i + 2, i + 10), 16));
            i += 10;
          } else {
            s += e;
            i += 2;
          }
        } else s += src[i++];
      }
      i++;
      out.push({ k: 'str', v: s });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i, i + 200))!;
      out.push({ k: 'id', v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i, i + 40))!;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else {
      const p = ['...', ':=', '==', '!=', '+=', '&&', '||'].find((x) => src.startsWith(x, i)) ?? c;
      out.push({ k: 'p', v: p });
      i += p.length;
    }
  }
  return out;
}

const str = (text: string): Str => ({ text, spans: [], exact: false });

function concat(a: Str, b: Str): Str {
  return {
    text: a.text + b.text,
    spans: [...a.spans, ...b.spans.map((s) => ({ start: s.start + a.text.length, end: s.end + a.text.length }))],
    exact: a.exact || b.exact,
  };
}

/** `text` with {i}/{I}/{s} or %s placeholders filled, the secret's span marked exact. */
function fillTemplate(template: string, id: string, secret: Str): Str {
  let out = str('');
  const re = /\{i\}|\{I\}|\{s\}/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    out = concat(out, str(template.slice(last, m.index)));
    if (m[0] === '{s}') {
      const start = out.text.length;
      out = concat(out, { text: secret.text, spans: [], exact: false });
      out.spans.push({ start, end: start + secret.text.length });
      out.exact = true;
    } else out = concat(out, str(m[0] === '{i}' ? id : id.toUpperCase()));
    last = m.index + m[0].length;
  }
  return concat(out, str(template.slice(last)));
}

export interface GitleaksHelpers {
  /** GenerateSampleSecrets' templates ({i}, {I}, {s}). */
  many: string[];
  /** GenerateSampleSecret's template. */
  one: string;
  /** utils.<Name>(size) → a regex with %s for the size; no-argument helpers → the regex. */
  patterns: Map<string, string>;
}

/** Reads gitleaks' sample templates and pattern helpers from its own sources (not copied here). */
export function readHelpers(tree: SourceTree): GitleaksHelpers {
  const gen = tree.read('cmd/generate/config/utils/generate.go');
  const body = gen.slice(gen.indexOf('func GenerateSampleSecrets'));
  const mapBlock = body.slice(body.indexOf('map[string]string{'), body.indexOf('replacer :='));
  const toks = tokenize(mapBlock);
  const many: string[] = [];
  for (let i = 0; i + 2 < toks.length; i++)
    if (toks[i]!.k === 'str' && toks[i + 1]!.v === ':' && toks[i + 2]!.k === 'str') many.push(toks[i + 2]!.v);
  const oneSrc = gen.slice(gen.indexOf('func GenerateSampleSecret('));
  const oneTok = tokenize(oneSrc.slice(oneSrc.indexOf('Sprintf('), oneSrc.indexOf('\n}')));
  const one = oneTok
    .find((t) => t.k === 'str')!
    .v.replace('%s', '{i}')
    .replace('%s', '{s}');
  const patterns = new Map<string, string>();
  const pat = tree.read('cmd/generate/config/utils/patterns.go');
  for (const m of pat.matchAll(
    /func ([A-Za-z0-9_]+)\((?:size string)?\) string \{\s*return (?:fmt\.Sprintf\()?`([^`]*)`/g,
  ))
    patterns.set(`utils.${m[1]}`, m[2]!);
  if (many.length < 10 || !one.includes('{s}') || patterns.size < 3)
    throw new Error('gitleaks: sample helpers not found where expected (generate.go / patterns.go changed?)');
  return { many, one, patterns };
}

class Skip extends Error {}

class Evaluator {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly env: Map<string, Val>,
    private readonly helpers: GitleaksHelpers,
    private readonly rnd: Random,
  ) {}
  at(p: number) {
    this.p = p;
    return this;
  }
  get pos() {
    return this.p;
  }
  private peek(): Tok | undefined {
    return this.toks[this.p];
  }
  private skipNl() {
    while (this.peek()?.k === 'nl') this.p++;
  }
  private expect(v: string) {
    this.skipNl();
    if (this.peek()?.v !== v) throw new Skip(`expected ${v}`);
    this.p++;
  }
  expr(): Val {
    let v = this.primary();
    while (this.peek()?.v === '+') {
      this.p++;
      this.skipNl();
      const r = this.primary();
      v = this.plus(v, r);
    }
    return v;
  }
  private plus(a: Val, b: Val): Val {
    if (typeof a === 'object' && 'text' in a && typeof b === 'object' && 'text' in b) return concat(a, b);
    throw new Skip('+ on non-strings');
  }
  private args(close: string): { v: Val; spread: boolean }[] {
    const out: { v: Val; spread: boolean }[] = [];
    this.skipNl();
    while (this.peek() && this.peek()!.v !== close) {
      const v = this.expr();
      let spread = false;
      if (this.peek()?.v === '...') {
        spread = true;
        this.p++;
      }
      out.push({ v, spread });
      this.skipNl();
      if (this.peek()?.v === ',') this.p++;
      this.skipNl();
    }
    this.expect(close);
    return out;
  }
  private primary(): Val {
    this.skipNl();
    const t = this.peek();
    if (!t) throw new Skip('end');
    this.p++;
    if (t.k === 'str') return str(t.v);
    if (t.k === 'num') return Number(t.v);
    if (t.v === '(') {
      const v = this.expr();
      this.expect(')');
      return v;
    }
    if (t.v === '[') {
      this.expect(']');
      const elem = this.peek();
      if (elem?.v !== 'string') throw new Skip('composite of non-strings');
      this.p++;
      this.expect('{');
      return { list: this.args('}').map((a) => this.asStr(a.v)) };
    }
    if (t.k === 'id') {
      if (this.peek()?.v === '(') {
        this.p++;
        return this.call(t.v, this.args(')'));
      }
      const v = this.env.get(t.v);
      if (v === undefined) throw new Skip(`unknown ${t.v}`);
      return v;
    }
    throw new Skip(`unexpected ${t.v}`);
  }
  private asStr(v: Val): Str {
    if (typeof v === 'object' && 'text' in v) return v;
    throw new Skip('not a string');
  }
  private call(name: string, args: { v: Val; spread: boolean }[]): Val {
    const s = (k: number) => this.asStr(args[k]?.v ?? str(''));
    switch (name) {
      case 'append': {
        const base = args[0]?.v;
        if (!base || typeof base !== 'object' || !('list' in base)) throw new Skip('append base');
        const items = [...base.list];
        for (const a of args.slice(1)) {
          if (a.spread) {
            if (typeof a.v !== 'object' || !('list' in a.v)) throw new Skip('spread');
            items.push(...a.v.list);
          } else items.push(this.asStr(a.v));
        }
        return { list: items };
      }
      case 'utils.GenerateSampleSecrets':
        return { list: this.helpers.many.map((t) => fillTemplate(t, s(0).text, s(1))) };
      case 'utils.GenerateSampleSecret':
        return fillTemplate(this.helpers.one, s(0).text, s(1));
      case 'secrets.NewSecret': {
        let text: string;
        try {
          text = sampleFromRegex(s(0).text, this.rnd);
        } catch (e) {
          throw new Skip((e as Error).message);
        }
        return { text, spans: [{ start: 0, end: text.length }], exact: false };
      }
      case 'fmt.Sprintf': {
        let k = 1;
        const text = s(0).text.replace(/%[sd]/g, () => {
          const a = args[k++]?.v;
          return typeof a === 'number' ? String(a) : this.asStr(a ?? str('')).text;
        });
        if (/%[^%]/.test(text.replace(/%%/g, ''))) throw new Skip('Sprintf verb');
        return str(text.replace(/%%/g, '%'));
      }
      case 'strings.Repeat': {
        const n = args[1]?.v;
        if (typeof n !== 'number') throw new Skip('Repeat count');
        return str(s(0).text.repeat(n));
      }
      default: {
        const pat = this.helpers.patterns.get(name);
        if (pat !== undefined) return str(pat.replace('%s', s(0).text));
        throw new Skip(`call ${name}`);
      }
    }
  }
}

export interface GitleaksResult {
  samples: GitleaksSample[];
  /** tps / fps statements (or list items) that used Go the evaluator does not know. */
  skipped: { file: string; ruleId: string; why: string }[];
}

export function readGitleaks(tree: SourceTree): GitleaksResult {
  const helpers = readHelpers(tree);
  const samples: GitleaksSample[] = [];
  const skipped: GitleaksResult['skipped'] = [];
  const files = tree
    .list('cmd/generate/config/rules/')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .sort();
  for (const file of files) {
    const toks = tokenize(tree.read(file));
    let env = new Map<string, Val>();
    let ruleId = '';
    let tps: Str[] = [];
    let fps: Str[] = [];
    const flush = () => {
      for (const v of tps) samples.push({ file, ruleId, positive: true, value: v });
      for (const v of fps) samples.push({ file, ruleId, positive: false, value: v });
      tps = [];
      fps = [];
    };
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.k === 'id' && t.v === 'func' && toks[i - 1]?.k === 'nl') {
        flush();
        env = new Map();
        ruleId = '';
        continue;
      }
      if (t.k === 'id' && /(?:^|\.)RuleID$/.test(t.v) && (toks[i + 1]?.v === ':' || toks[i + 1]?.v === '=')) {
        if (toks[i + 2]?.k === 'str') ruleId = toks[i + 2]!.v;
        continue;
      }
      const prev = toks[i - 1];
      if (t.k !== 'id' || !(prev === undefined || prev.k === 'nl' || prev.v === '{' || prev.v === ';')) continue;
      const op = toks[i + 1]?.v;
      if (op !== ':=' && op !== '=') continue;
      // one rule's helper may build several tps through a loop; anything but a plain expression is skipped
      const ev = new Evaluator(toks, env, helpers, seeded(hashSeed(`${file}:${ruleId}:${i}`))).at(i + 2);
      try {
        const v = ev.expr();
        const next = toks[ev.pos];
        if (next && next.k !== 'nl' && next.v !== ';' && next.v !== '}') throw new Skip(`trailing ${next.v}`);
        if (t.v === 'tps' || t.v === 'fps') {
          if (typeof v !== 'object' || !('list' in v)) throw new Skip('tps/fps not a list');
          if (t.v === 'tps') tps = v.list;
          else fps = v.list;
        }
        env.set(t.v, v);
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        if (t.v === 'tps' || t.v === 'fps') {
          // keep what can be read: the plain string items of a []string{…} literal
          const partial = literalItems(toks, i + 2);
          if (t.v === 'tps') tps = op === '=' ? [...tps, ...partial] : partial;
          else fps = op === '=' ? [...fps, ...partial] : partial;
          env.set(t.v, { list: t.v === 'tps' ? tps : fps });
          skipped.push({ file, ruleId, why: `${t.v}: ${e.message}` });
        }
      }
    }
    flush();
  }
  return { samples, skipped };
}

/** The items of a `[]string{…}` / `append(x, …)` made of a single string literal each. */
function literalItems(toks: Tok[], from: number): Str[] {
  const out: Str[] = [];
  let depth = 0;
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.v === '{' || t.v === '(') depth++;
    else if (t.v === '}' || t.v === ')') {
      depth--;
      if (depth <= 0) break;
    } else if (t.k === 'nl' && depth === 0) break;
    else if (
      depth === 1 &&
      t.k === 'str' &&
      [',', '{', '(', undefined].includes(prevSignificant(toks, i)?.v) &&
      [',', '}', ')'].includes(nextSignificant(toks, i)?.v ?? '')
    )
      out.push(str(t.v));
  }
  return out;
}
const prevSignificant = (toks: Tok[], i: number) => {
  for (let k = i - 1; k >= 0; k--) if (toks[k]!.k !== 'nl') return toks[k];
  return undefined;
};
const nextSignificant = (toks: Tok[], i: number) => {
  for (let k = i + 1; k < toks.length; k++) if (toks[k]!.k !== 'nl') return toks[k];
  return undefined;
};
