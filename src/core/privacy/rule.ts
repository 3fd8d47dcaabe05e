/** The shape of a detection rule: data, plus an optional validator in code. */
import type { LinearRegex } from './linearRegex';

export type Level = 'minimal' | 'standard' | 'strict';
export const LEVELS: readonly Level[] = ['minimal', 'standard', 'strict'];
export const levelRank = (l: Level): number => LEVELS.indexOf(l);

/** 'credential' = keys, tokens, passwords, private keys; 'pii' = personal data. */
export type RuleKind = 'credential' | 'pii';

export interface MatchContext {
  /** The whole document being scanned. */
  text: string;
  /** Offsets of the secret (the value that will be masked) in `text`. */
  start: number;
  end: number;
  /** Named groups of the match (undefined when absent). */
  groups: Record<string, string | undefined>;
}

export interface Rule {
  id: string;
  category: string;
  kind: RuleKind;
  /**
   * Literal keywords (case-insensitive; full-width ASCII folds to ASCII). The rule's regex only runs in a
   * window around a hit of one of them. Every match of `pattern` must contain one of its keywords.
   * An empty list is allowed only for built-in `fullScan` rules.
   */
  keywords: readonly string[];
  /**
   * Bounded quantifiers only; no `g`/`y` flag (the engine adds them). The secret is the first of the named groups
   * `s`, `s1` … `s5` that participated, otherwise the whole match; the group must be the LAST occurrence of its
   * text within the match (offsets are recovered with lastIndexOf — no `d` flag, which is slow).
   * Custom (user) rules carry a LinearRegex (RE2 semantics, linear time; window rules only); built-in rules are ours
   * and tuned for V8's RegExp.
   */
  pattern: RegExp | LinearRegex;
  /**
   * Anchored rules (the default): the regex is tried, sticky, at the keyword hit and — when `back` is set — at each
   * of up to `before` positions before it over which the text consists of `back` characters (a regex class body,
   * e.g. 'A-Za-z0-9_'). A match must start at one of those positions.
   * Window rules (`window: true`): the regex runs globally inside [hit - before, hit + after], windows merged.
   */
  before: number;
  after: number;
  back?: string;
  /** Anchored rules: a cheap test at the keyword hit; false skips the regex (an optimisation, never a widening). */
  pre?: (text: string, at: number) => boolean;
  /** Anchored rules without `back`: a match never follows an (unescaped) ASCII letter, digit or '_' — checked before the regex runs. */
  wordStart?: boolean;
  /** Minimum number of `back` characters before the keyword (e.g. an email needs a local part). */
  backMin?: number;
  window?: boolean;
  /**
   * Digit-triggered window rules (keywords '0'..'9'): the window opens only around a cluster of digits (consecutive
   * digits at most three separator characters apart) holding at least this many digits; never fewer than 10.
   */
  minDigits?: number;
  level: Level;
  /** Minimum Shannon entropy (bits/char) and length of the secret. */
  entropy?: { min: number; minLength?: number };
  /** The validator depends on the secret alone (not on ctx): its verdict is memoised within one scan. */
  pureValidator?: boolean;
  /** Returns false to reject, true to accept, or a string to accept under another category. */
  validator?: (secret: string, ctx: MatchContext) => boolean | string;
  /** Anchored regex: the matched prefix of the secret is non-secret and stays visible («prefix…»). */
  keepPrefix?: RegExp;
  /** Built-in only: run over the whole text (a single linear character-class scan) instead of keyword windows. */
  fullScan?: boolean;
}
