/** A rule prepared for the scanner: its regex recompiled sticky (anchored rules) or global (window rules). */
import { LinearRegex, type RegexExec } from './linearRegex';
import type { Rule } from './rule';

/** A merged window longer than this is flushed and restarted (keeps budget checks frequent). */
export const MAX_WINDOW = 1 << 18;
/**
 * The same for linear-engine (user) rules, whose one execution costs up to ~0.1 µs × program size per char (re2js
 * is an NFA simulation): 8K chars, or four times the rule's own window (a restarted window overlaps the previous
 * one by before + after), and the deadline is checked after every execution.
 */
const MAX_LINEAR_WINDOW = 1 << 13;

export interface CompiledRule {
  rule: Rule;
  /** sticky for anchored rules, global for window / full-scan rules (custom rules: a LinearRegex, global) */
  re: RegexExec;
  /** global copy of an anchored rule's regex, for blocks where its hits are dense */
  reG?: RegExp;
  anchored: boolean;
  /** merged windows longer than this are flushed (see MAX_LINEAR_WINDOW) */
  maxWindow: number;
  /** a LinearRegex: check the deadline after each execution */
  linear: boolean;
  /** ASCII lookup for `back` characters; non-ASCII chars are tested with backRe. */
  backAscii?: Uint8Array;
  backRe?: RegExp;
}

export function compileRule(rule: Rule): CompiledRule {
  const anchored = !rule.window && !rule.fullScan;
  if (rule.pattern instanceof LinearRegex) {
    if (anchored || rule.back) throw new Error(`rule ${rule.id}: a linear-engine pattern must be a window rule`);
    const maxWindow = Math.max(MAX_LINEAR_WINDOW, 4 * (rule.before + rule.after + 1));
    return { rule, re: rule.pattern.clone(), anchored, maxWindow, linear: true } satisfies CompiledRule;
  }
  // no 'd' flag: building match indices costs microseconds per match; offsets come from the group text instead
  const flags = new Set([...rule.pattern.flags.replace(/[gyd]/g, ''), anchored ? 'y' : 'g']);
  const c: CompiledRule = {
    rule,
    re: new RegExp(rule.pattern.source, [...flags].join('')),
    anchored,
    maxWindow: MAX_WINDOW,
    linear: false,
  };
  if (anchored) c.reG = new RegExp(rule.pattern.source, [...flags].join('').replace('y', 'g'));
  if (anchored && rule.back) {
    const backRe = new RegExp(`[${rule.back}]`);
    const ascii = new Uint8Array(128);
    for (let i = 0; i < 128; i++) ascii[i] = backRe.test(String.fromCharCode(i)) ? 1 : 0;
    c.backAscii = ascii;
    c.backRe = backRe;
  }
  return c;
}
