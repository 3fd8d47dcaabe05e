/**
 * The Privacy Guard: the only producer of `Masked`. Pure and synchronous; node:crypto for the keyed tag.
 */
import { compileCustomRules } from './customRules';
import { createHmacTagger } from './hmac';
import {
  countFindings,
  type Finding,
  type Masked,
  type MaskedJson,
  type MaskedText,
  type Masker,
  type RuleCounts,
} from './masker';
import { type Level, levelRank, type Rule } from './rule';
import { BUILTIN_RULES, namedValueCategory } from './rules';
import { BudgetExceeded, mergeFindings, type RawFinding, Scanner } from './scanner';
import { overlapsSpan, plainSegments, tagSpans } from './tags';

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
  /**
   * Masks text that is already stored masked (the archive re-mask): the tags in it stay exactly as they are, and
   * what the current rules find around them is masked as maskText would (same tag for the same secret).
   * Unchanged text comes back as the same string with no findings.
   */
  remaskText(stored: string): MaskedText;
  /**
   * The same for a stored JSON text (tool inputs, model usage): every string value re-masked, keys kept, the
   * key-aware pass of maskJson for values that hold no tag. Unparsable JSON is re-masked as text.
   */
  remaskJson(storedJson: string): { text: Masked; counts: Record<string, number>; rules: RuleCounts };
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

  /** The merged findings of the current rules in `text` (offset by `base`), or 'unscanned' past the budget. */
  function scan(text: string, base = 0): RawFinding[] | 'unscanned' {
    try {
      const found = mergeFindings(scanner.scan(text, performance.now() + budget(text.length)));
      if (base)
        for (const f of found) {
          f.start += base;
          f.end += base;
        }
      return found;
    } catch (e) {
      if (e instanceof BudgetExceeded) return 'unscanned';
      throw e;
    }
  }

  /** Replaces the (merged, sorted) findings with their tags. */
  function render(text: string, merged: readonly RawFinding[]): MaskedText {
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

  function maskText(text: string): MaskedText {
    if (typeof text !== 'string') throw new TypeError('maskText expects a string');
    if (text.length === 0) return { text: asMasked(text), findings: [] };
    if (watch?.begin(text)) {
      watch.end();
      return unscanned(text, 'watchdog');
    }
    let merged: RawFinding[] | 'unscanned';
    try {
      merged = scan(text);
    } finally {
      watch?.end();
    }
    return merged === 'unscanned' ? unscanned(text, 'time-budget') : render(text, merged);
  }

  function remaskText(stored: string): MaskedText {
    if (typeof stored !== 'string') throw new TypeError('remaskText expects a string');
    const spans = tagSpans(stored);
    if (spans.length === 0) return maskText(stored);
    if (stored === UNSCANNED) return { text: asMasked(stored), findings: [] };
    // Whole-text findings keep their context (a keyword before a value); one that touches a tag is dropped (the tag
    // is masked already), and the plain pieces it covered are scanned on their own, so a secret next to a tag is
    // still found without re-masking the tag.
    const whole = scan(stored);
    if (whole === 'unscanned') return unscanned(stored, 'time-budget');
    const kept: RawFinding[] = [];
    const touched: [number, number][] = [];
    for (const f of whole) {
      if (!overlapsSpan(spans, f.start, f.end)) kept.push(f);
      else touched.push([f.start, f.end]);
    }
    if (touched.length > 0) {
      for (const [s, e] of plainSegments(stored, spans)) {
        if (!touched.some(([ts, te]) => ts < e && te > s)) continue;
        const part = scan(stored.slice(s, e), s);
        if (part === 'unscanned') return unscanned(stored, 'time-budget');
        for (const f of part) if (!kept.some((k) => k.start < f.end && k.end > f.start)) kept.push(f);
      }
    }
    return render(stored, mergeFindings(kept));
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

  function remaskJson(storedJson: string): { text: Masked; counts: Record<string, number>; rules: RuleCounts } {
    let value: unknown;
    try {
      value = JSON.parse(storedJson);
    } catch {
      const r = remaskText(storedJson);
      return { text: r.text, ...countFindings(r.findings) };
    }
    const found: Pick<Finding, 'category' | 'ruleId'>[] = [];
    let changed = false;
    const walk = (v: unknown, keyName: string | undefined): unknown => {
      if (typeof v === 'string') {
        const r = remaskText(v);
        // maskJson's key-aware pass ran only where the value had no finding, i.e. holds no tag now
        if (r.findings.length === 0 && keyName !== undefined && tagSpans(v).length === 0) {
          const cat = namedValueCategory(keyName, v, true);
          if (cat) {
            found.push({ category: cat, ruleId: 'json-key-value' });
            changed = true;
            return `[REDACTED:${cat}:${tag(v)}]`;
          }
        }
        found.push(...r.findings);
        if (r.findings.length > 0) changed = true;
        return r.text;
      }
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((x) => walk(x, keyName));
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = walk(x, k);
      return o;
    };
    const out = walk(value, undefined);
    // unchanged: the stored bytes as they are (a re-serialisation could differ in number formatting)
    return { text: asMasked(changed ? JSON.stringify(out) : storedJson), ...countFindings(found) };
  }

  return { level, ruleIds: rules.map((r) => r.id), tag, maskText, maskJson, remaskText, remaskJson };
}
