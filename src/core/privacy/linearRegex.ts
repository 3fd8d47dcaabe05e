/**
 * User patterns run on RE2 semantics (re2js, pure JS, no native or WASM file to ship): matching time is linear in
 * the text whatever the pattern, so no custom rule can backtrack for hours. re2js is loaded on the first custom
 * rule: installs without custom rules never load it.
 */
import type { Matcher, RE2JS } from 're2js';

type Re2jsModule = typeof import('re2js');
let lib: Re2jsModule | undefined;
// a require inside a function: esbuild keeps the module in the bundle but evaluates it only on this first call
const re2js = (): Re2jsModule => (lib ??= require('re2js') as Re2jsModule);

/** The part of RegExp (global mode) the scanner uses: exec from lastIndex, lastIndex past the match. */
export interface RegexExec {
  lastIndex: number;
  exec(text: string): RegExpExecArray | null;
}

export class LinearPatternError extends Error {}

/** Plain words for RE2's parse errors on the JavaScript syntax it does not have. */
function explain(message: string): string {
  if (/`\(\?[=!]|`\(\?<[=!]/.test(message) || /invalid named capture: `\(\?<[=!]/.test(message))
    return 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported';
  if (/invalid escape sequence: `\\[1-9k]/.test(message)) return 'backreferences are not supported';
  if (/invalid escape sequence: `\\u/.test(message)) return '\\uXXXX is not supported: write \\x{XXXX}';
  if (/invalid repeat count/.test(message)) return `${message} (at most 1000)`;
  return message;
}

/**
 * A regex with RegExp's global exec contract, matched by RE2 (leftmost-first, like JavaScript's; offsets in UTF-16
 * code units). Syntax is RE2's: no lookaround, no backreferences, `\x{…}` for code points, `\s` is ASCII space.
 */
export class LinearRegex implements RegexExec {
  lastIndex = 0;
  private readonly re: RE2JS;
  private readonly names: readonly string[];
  private input: string | undefined;
  private matcher: Matcher | undefined;

  constructor(
    readonly source: string,
    readonly flags: string,
    compiled?: RE2JS,
  ) {
    if (/[^i]/.test(flags)) throw new LinearPatternError(`flags: only 'i' is allowed, got '${flags}'`);
    if (compiled) this.re = compiled;
    else {
      const { RE2JS } = re2js();
      try {
        this.re = RE2JS.compile(source, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
      } catch (e) {
        throw new LinearPatternError(explain(e instanceof Error ? e.message : String(e)));
      }
    }
    this.names = Object.keys(this.re.namedGroups());
  }

  /** RE2's measure of the compiled program: the cost of one execution per char grows with it. */
  get programSize(): number {
    return this.re.programSize();
  }

  /** A fresh lastIndex / matcher state over the same compiled program. */
  clone(): LinearRegex {
    return new LinearRegex(this.source, this.flags, this.re);
  }

  exec(text: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (from > text.length) {
      this.lastIndex = 0;
      return null;
    }
    if (this.matcher === undefined || this.input !== text) {
      this.matcher = this.re.matcher(text);
      this.input = text;
    }
    const m = this.matcher;
    if (!m.find(from)) {
      this.lastIndex = 0;
      this.input = undefined; // drop the reference to the text
      this.matcher = undefined;
      return null;
    }
    const start = m.start();
    const end = m.end();
    const result = [text.slice(start, end)] as unknown as RegExpExecArray;
    result.index = start;
    result.input = text;
    if (this.names.length) {
      const groups: Record<string, string> = {};
      for (const name of this.names) {
        const v = m.group(name);
        if (v !== null) groups[name] = v;
      }
      result.groups = groups;
    }
    this.lastIndex = end;
    return result;
  }
}
