/**
 * The Privacy Guard: the only producer of `Masked`. Pure and synchronous; node:crypto for the keyed tag.
 */
import { compileCustomRules } from './customRules';
import { createHmacTagger } from './hmac';
import { countFindings, type Finding, type Masked, type MaskedJson, type MaskedText, type Masker } from './masker';
import { type Level, levelRank, type Rule } from './rule';
import { BUILTIN_RULES, namedValueCategory } from './rules';
import { BudgetExceeded, mergeFindings, type RawFinding, Scanner } from './scanner';

export const UNSCANNED = '[REDACTED:unscanned]';

/**
 * Sees each text the guard scans: the scan worker's watchdog (src/infra/worker/textWatch.ts) publishes the text in
 * progress so that the host can stop a worker stuck in one, and skips a text that has already stuck one.
 */
export interface TextWatch {
  /** Before a text is scanned; true: do not scan it, it becomes [REDACTED:unscanned]. */
  begin(text: string): boolean;
  /** After it is scanned (or has failed). */
  end(): void;
}

export interface PrivacyGuardOptions {
  level?: Level;
  /** Raw rule objects (settings / rules file); validated, throws CustomRuleError when invalid or unsafe. */
  customRules?: unknown[];
  /** Key of the HMAC tag appended to each mask (32 random bytes recommended). */
  hmacKey: Uint8Array | string;
  /**
   * Per-document wall-clock budget in ms for a text of `length` chars; past it the text is replaced by
   * [REDACTED:unscanned]. A safety net against pathological input, not a speed target: generous enough that a
   * busy machine does not blank out ordinary large documents. Default 2 s + 400 ms per MB.
   */
  budgetMs?: (length: number) => number;
  /** The worker watchdog's hook (see TextWatch). */
  watch?: TextWatch;
  /** More rules in code (trusted, run on V8 like the built-in ones); the tests' way to make a text hang. */
  extraRules?: readonly Rule[];
}

export interface PrivacyGuard extends Masker {
  readonly level: Level;
  /** Ids of the active rules (built-in and custom). */
  readonly ruleIds: readonly string[];
  /** The keyed 8-hex tag of a value (HMAC-SHA256, first 4 bytes). */
  tag(secret: string): string;
}

const defaultBudget = (len: number): number => 2000 + (len / 1_048_576) * 400;

/** Cast point: the guard is the only place a string becomes Masked. */
const asMasked = (s: string): Masked => s as Masked;

export function createPrivacyGuard(options: PrivacyGuardOptions): PrivacyGuard {
  const level: Level = options.level ?? 'standard';
  if (levelRank(level) < 0) throw new Error(`unknown privacy level '${String(level)}'`);
  const keyBytes =
    typeof options.hmacKey === 'string' ? Buffer.from(options.hmacKey, 'utf8') : Buffer.from(options.hmacKey);
  if (keyBytes.length < 16) throw new Error('privacy guard: hmacKey must be at least 16 bytes');
  // HMAC-SHA256 with the key's pad blocks precompressed (see hmac.ts): the same value as createHmac, far cheaper per tag
  const tag = createHmacTagger(keyBytes);
  keyBytes.fill(0);
  const custom = compileCustomRules(options.customRules ?? []);
  const rules: Rule[] = [...BUILTIN_RULES, ...(options.extraRules ?? []), ...custom].filter(
    (r) => levelRank(r.level) <= levelRank(level),
  );
  const scanner = new Scanner(rules);
  const budget = options.budgetMs ?? defaultBudget;
  const watch = options.watch;

  function replacement(secret: string, category: string, rule: Rule, tags: Map<string, string> | undefined): string {
    let h = tags?.get(secret);
    if (h === undefined) {
      h = tag(secret);
      tags?.set(secret, h); // per call only: a secret repeated within one document is hashed once
    }
    const pm = rule.keepPrefix?.exec(secret);
    if (pm && pm.index === 0 && pm[0].length > 0 && pm[0].length < secret.length) return `«${pm[0]}…${category}:${h}»`;
    return `[REDACTED:${category}:${h}]`;
  }

  /** Fail closed: the whole text is replaced, never stored raw. */
  function unscanned(text: string, ruleId: string): MaskedText {
    return { text: asMasked(UNSCANNED), findings: [{ start: 0, end: text.length, category: 'unscanned', ruleId }] };
  }

  function maskText(text: string): MaskedText {
    if (typeof text !== 'string') throw new TypeError('maskText expects a string');
    if (text.length === 0) return { text: asMasked(text), findings: [] };
    if (watch?.begin(text)) {
      watch.end();
      return unscanned(text, 'watchdog');
    }
    let merged: RawFinding[];
    try {
      merged = mergeFindings(scanner.scan(text, performance.now() + budget(text.length)));
    } catch (e) {
      if (e instanceof BudgetExceeded) return unscanned(text, 'time-budget');
      throw e;
    } finally {
      watch?.end();
    }
    if (merged.length === 0) return { text: asMasked(text), findings: [] };
    // concatenation, not parts + join: most documents have one to three findings
    const findings: Finding[] = new Array(merged.length);
    const tags = merged.length > 1 ? new Map<string, string>() : undefined;
    let out = '';
    let pos = 0;
    for (let i = 0; i < merged.length; i++) {
      const f = merged[i]!;
      out += text.slice(pos, f.start) + replacement(text.slice(f.start, f.end), f.category, f.rule, tags);
      findings[i] = { start: f.start, end: f.end, category: f.category, ruleId: f.rule.id };
      pos = f.end;
    }
    out += text.slice(pos);
    return { text: asMasked(out), findings };
  }

  function maskJson<T>(value: T): ReturnType<Masker['maskJson']> & { value: MaskedJson<T> } {
    const found: Finding[] = [];
    const count = (fs: Finding[]) => {
      for (const f of fs) found.push(f);
    };
    const seen = new WeakSet<object>();
    const walk = (v: unknown, keyName: string | undefined): unknown => {
      if (typeof v === 'string') {
        const r = maskText(v);
        // key-aware pass: {"password": "hunter2"} — the name lives in the key, not in the string
        if (r.findings.length === 0 && keyName !== undefined) {
          const cat = namedValueCategory(keyName, v, true);
          if (cat) {
            count([{ start: 0, end: v.length, category: cat, ruleId: 'json-key-value' }]);
            return `[REDACTED:${cat}:${tag(v)}]`;
          }
        }
        count(r.findings);
        return r.text;
      }
      if (v === null || typeof v !== 'object') return v;
      if (seen.has(v)) throw new TypeError('maskJson: circular structure');
      seen.add(v);
      let out: unknown;
      if (Array.isArray(v)) out = v.map((x) => walk(x, keyName));
      else {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = walk(x, k);
        out = o;
      }
      seen.delete(v);
      return out;
    };
    const masked = walk(value, undefined) as MaskedJson<T>;
    return { value: masked, ...countFindings(found) };
  }

  return { level, ruleIds: rules.map((r) => r.id), tag, maskText, maskJson };
}
