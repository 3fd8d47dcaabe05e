/**
 * User-defined rules from settings / `--rules FILE`: validated with zod, and rejected when the regex could scan
 * without bound or is not RE2 syntax. They run on a linear-time engine (LinearRegex): a pattern V8 would backtrack
 * on for hours (adjacent bounded quantifiers, `[a]{0,200}[a]{0,200}…b`) costs time linear in the text.
 */
import * as z from 'zod';
import { LinearPatternError, LinearRegex } from './linearRegex';
import type { Rule } from './rule';

export class CustomRuleError extends Error {}

const ruleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'id: 1–64 chars of A-Z a-z 0-9 _ . -'),
    category: z.string().regex(/^[a-z0-9_]{1,40}$/, 'category: 1–40 chars of a-z 0-9 _'),
    keywords: z
      .array(z.string().min(2, 'each keyword needs at least 2 characters').max(64))
      .min(1, 'a rule must carry at least one keyword'),
    pattern: z.string().min(1).max(1000),
    flags: z.string().regex(/^i?$/, "flags: only 'i' is allowed").optional(),
    level: z.enum(['minimal', 'standard', 'strict']).optional(),
    kind: z.enum(['credential', 'pii']).optional(),
    /** max chars a match can extend before / after a keyword hit */
    window: z.number().int().min(1).max(4096).optional(),
    entropy: z.number().min(0).max(8).optional(),
    minLength: z.number().int().min(1).max(4096).optional(),
    /** a literal prefix that stays visible, e.g. "acme_" */
    keepPrefix: z.string().min(1).max(40).optional(),
  })
  .strict();

export type CustomRuleInput = z.input<typeof ruleSchema>;

/** The largest repeat count RE2 accepts in `{n,m}`. */
const MAX_REPEAT = 1000;
/**
 * The largest compiled program (RE2's programSize) of a user pattern: re2js costs up to ~0.1 µs per char and
 * instruction, so this bounds one execution over a linear rule's window (see scanner.ts) to about 2 s with the
 * default window (256), 7 s with the largest (4096). Typical rules are 10–400; `[a]{0,200}` four times is 1,603.
 */
const MAX_PROGRAM_SIZE = 2000;

/**
 * Rejects regexes with (a) unbounded quantifiers (`*`, `+`, `{n,}`), (b) a quantified group that contains a
 * quantifier or an alternation (nested quantifiers / ambiguous repetition), (c) backreferences.
 * Returns a reason, or undefined when the pattern is acceptable.
 */
export function unsafeRegexReason(src: string): string | undefined {
  // group stack: does the group contain a quantifier / an alternation?
  const stack: { quant: boolean; alt: boolean }[] = [{ quant: false, alt: false }];
  let lastAtom: 'char' | 'group' | 'none' = 'none';
  let lastGroup: { quant: boolean; alt: boolean } | undefined;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const nx = src[i + 1];
      if (nx !== undefined && /[1-9]/.test(nx)) return 'backreferences are not allowed';
      if (nx === 'k' && src[i + 2] === '<') return 'backreferences are not allowed';
      i++;
      if (nx === 'u' && src[i + 1] === '{') i = src.indexOf('}', i);
      lastAtom = 'char';
      continue;
    }
    if (ch === '[') {
      // skip the class
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      for (; j < src.length && src[j] !== ']'; j++) if (src[j] === '\\') j++;
      if (j >= src.length) return 'unterminated character class';
      i = j;
      lastAtom = 'char';
      continue;
    }
    if (ch === '(') {
      stack.push({ quant: false, alt: false });
      if (src[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') i = src.indexOf('>', i);
        else i += 2;
      }
      lastAtom = 'none';
      continue;
    }
    if (ch === ')') {
      const g = stack.pop();
      if (!g || stack.length === 0) return 'unbalanced parenthesis';
      lastGroup = g;
      lastAtom = 'group';
      // inner quantifiers propagate to the enclosing group
      if (g.quant) stack[stack.length - 1]!.quant = true;
      continue;
    }
    if (ch === '|') {
      stack[stack.length - 1]!.alt = true;
      lastAtom = 'none';
      continue;
    }
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      let unbounded = ch === '*' || ch === '+';
      let isOptional = ch === '?';
      if (ch === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
        if (!m) {
          lastAtom = 'char'; // a literal '{'
          continue;
        }
        if (m[2] !== undefined && m[3] === '') unbounded = true;
        isOptional = m[1] === '0' && m[3] === '1';
        // RE2's own limit on a repeat count
        if (Number(m[1]) > MAX_REPEAT || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > MAX_REPEAT))
          return `quantifier ${m[0]} exceeds ${MAX_REPEAT}`;
        i += m[0].length - 1;
      }
      if (lastAtom === 'none') return `quantifier '${ch}' has nothing to repeat`;
      if (unbounded) return `unbounded quantifier '${ch === '{' ? '{n,}' : ch}' — use a bounded one like {1,256}`;
      if (lastAtom === 'group' && lastGroup && !isOptional) {
        if (lastGroup.quant) return 'nested quantifiers (a quantified group containing a quantifier)';
        if (lastGroup.alt) return 'repetition of a group with alternatives';
      }
      stack[stack.length - 1]!.quant = true;
      if (src[i + 1] === '?') i++; // lazy
      lastAtom = 'none';
      continue;
    }
    lastAtom = 'char';
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Validates a list of user rules; throws CustomRuleError naming the offending rule and reason. */
export function compileCustomRules(input: unknown[]): Rule[] {
  const out: Rule[] = [];
  const ids = new Set<string>();
  input.forEach((raw, idx) => {
    const parsed = ruleSchema.safeParse(raw);
    const label =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? `'${(raw as { id: string }).id}'`
        : `#${idx}`;
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`).join('; ');
      throw new CustomRuleError(`custom rule ${label}: ${msg}`);
    }
    const r = parsed.data;
    if (ids.has(r.id)) throw new CustomRuleError(`custom rule '${r.id}': duplicate id`);
    ids.add(r.id);
    const reason = unsafeRegexReason(r.pattern);
    if (reason) throw new CustomRuleError(`custom rule '${r.id}': unsafe pattern: ${reason}`);
    let pattern: LinearRegex;
    try {
      pattern = new LinearRegex(r.pattern, r.flags ?? '');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new CustomRuleError(
        e instanceof LinearPatternError
          ? `custom rule '${r.id}': invalid pattern (RE2 syntax): ${why}`
          : `custom rule '${r.id}': invalid pattern: ${why}`,
      );
    }
    if (pattern.programSize > MAX_PROGRAM_SIZE)
      throw new CustomRuleError(
        `custom rule '${r.id}': pattern too large for the linear-time engine (${pattern.programSize} instructions, at most ${MAX_PROGRAM_SIZE}): use smaller repeat counts`,
      );
    if (pattern.exec('') !== null) throw new CustomRuleError(`custom rule '${r.id}': pattern matches the empty string`);
    const window = r.window ?? 256;
    const keepPrefix = r.keepPrefix;
    out.push({
      id: `custom:${r.id}`,
      category: r.category,
      kind: r.kind ?? 'credential',
      keywords: r.keywords,
      pattern,
      window: true,
      before: window,
      after: window,
      level: r.level ?? 'minimal',
      ...(r.entropy !== undefined || r.minLength !== undefined
        ? { entropy: { min: r.entropy ?? 0, minLength: r.minLength ?? 1 } }
        : {}),
      ...(keepPrefix ? { keepPrefix: new RegExp(`^${escapeRe(keepPrefix)}`) } : {}),
    });
  });
  return out;
}
