/** Turns a regex match into a finding: secret group, entropy floor, placeholder and validator checks. */
import { type RawFinding, trimSentenceStop } from './findings';
import type { MatchContext, Rule } from './rule';
import { isPlaceholder, shannonEntropy } from './validators';

const SECRET_GROUPS = ['s', 's1', 's2', 's3', 's4', 's5'] as const;

export class MatchAcceptor {
  /** rule → its index in the rule list */
  private readonly priority = new Map<Rule, number>();
  /** per-scan memo of pure validators' verdicts (cleared at the start of each scan) */
  private readonly memo = new Map<Rule, Map<string, boolean | string>>();

  constructor(rules: readonly Rule[]) {
    for (const [i, r] of rules.entries()) this.priority.set(r, i);
  }

  clearMemo(): void {
    if (this.memo.size) this.memo.clear();
  }

  /** Validates one regex match; pushes a finding and returns true when accepted. `long`: the text is over 4K chars. */
  accept(rule: Rule, m: RegExpExecArray, offset: number, text: string, found: RawFinding[], long: boolean): boolean {
    let s0 = m.index;
    let e0 = m.index + m[0].length;
    const groups = m.groups ?? {};
    if (m.groups) {
      for (const g of SECRET_GROUPS) {
        const v = groups[g];
        if (v !== undefined) {
          // built-in rules put the secret group last: its last occurrence in the match is the group
          s0 = m.index + m[0].lastIndexOf(v);
          e0 = s0 + v.length;
          break;
        }
      }
    }
    const start = s0 + offset;
    const end = e0 + offset;
    if (end <= start) return false;
    const secret = text.slice(start, end);
    if (rule.entropy) {
      if (secret.length < (rule.entropy.minLength ?? 0) || shannonEntropy(secret) < rule.entropy.min) return false;
    }
    if (rule.keepPrefix) {
      const pm = rule.keepPrefix.exec(secret);
      // sk-ant-api03-xxxx…, ghp_XXXX…; a long body (a PEM key) is judged by its two ends, where documentation
      // examples put their markers — scanning all of it cost more than the rest of the rule
      if (
        pm &&
        isPlaceholder(
          secret.length > 1024
            ? `${secret.slice(pm[0].length, 512)}…${secret.slice(-512)}`
            : secret.slice(pm[0].length),
        )
      )
        return false;
    }
    let category = rule.category;
    let endX = end;
    if (rule.keepPrefix) {
      // a prefixed token longer than the pattern's bound: mask the whole run, never leave a tail visible
      const lim = Math.min(text.length, end + 4096);
      while (endX < lim) {
        const c = text.charCodeAt(endX);
        if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45) endX++;
        else break;
      }
    }
    if (rule.validator) {
      let v: boolean | string | undefined;
      let memo: Map<string, boolean | string> | undefined;
      // a short text rarely repeats a value: the memo's maps would cost more than they save
      if (rule.pureValidator && long) {
        memo = this.memo.get(rule);
        if (memo === undefined) {
          memo = new Map();
          this.memo.set(rule, memo);
        }
        v = memo.get(secret);
      }
      if (v === undefined) {
        const ctx: MatchContext = { text, start, end, groups };
        v = rule.validator(secret, ctx);
        if (memo !== undefined && memo.size < 4096) memo.set(secret, v);
      }
      if (v === false) return false;
      if (typeof v === 'string') category = v;
    }
    found.push({
      start,
      end: trimSentenceStop(text, start, endX),
      category,
      rule,
      priority: this.priority.get(rule) ?? 0,
    });
    return true;
  }
}
