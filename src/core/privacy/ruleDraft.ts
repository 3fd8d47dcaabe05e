import { randomBytes } from 'node:crypto';
import { type CustomRuleInput, compileCustomRules } from './customRules';
import { createPrivacyGuard } from './privacyGuard';

/** What the guided "Add Privacy Rule…" asks for; the rest of the rule takes its defaults. */
export interface RuleDraftInput {
  name: string;
  pattern: string;
  /** Words near which the pattern is looked for (the scanner's prefilter); empty: guessed from the pattern. */
  keywords?: readonly string[];
  caseInsensitive?: boolean;
}

/** A rule id from the name the user typed: the characters ids allow, at most 64. */
export function ruleIdFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/**
 * The longest literal run (2+ word characters) the pattern starts with or contains outside classes and escapes:
 * `acme_[A-Za-z0-9]{32}` → `acme_`. Keywords are required by the rule schema, and a literal of the pattern itself
 * is the keyword that never misses a match.
 */
export function guessKeyword(pattern: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (/[A-Za-z0-9_-]/.test(ch)) {
      run += ch;
      continue;
    }
    // a quantifier applies to the run's last character: it is not literal
    if (/[?*+{]/.test(ch) && run.length > 0) run = run.slice(0, -1);
    runs.push(run);
    run = '';
    if (ch === '\\') i++;
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end > 0) i = end; // a repeat count, not literal digits
    } else if (ch === '[') {
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    }
  }
  runs.push(run);
  // an alternation makes no literal mandatory
  if (pattern.includes('|')) return undefined;
  const best = runs
    .map((r) => r.replace(/^-+|-+$/g, ''))
    .filter((r) => r.length >= 2)
    .sort((a, b) => b.length - a.length)[0];
  return best?.slice(0, 64);
}

/**
 * Builds the custom rule the guided command saves, and checks it against the rules already in settings with the
 * same validation (RE2 engine, safety limits, unique id) a scan applies. Returns the rule or a readable error.
 */
export function draftRule(
  input: RuleDraftInput,
  existing: readonly unknown[],
): { rule: CustomRuleInput; error?: undefined } | { rule?: undefined; error: string } {
  const id = ruleIdFromName(input.name);
  if (!id) return { error: 'the name needs at least one letter or digit' };
  const keywords = (input.keywords ?? []).map((k) => k.trim()).filter(Boolean);
  const guess = keywords.length === 0 ? guessKeyword(input.pattern) : undefined;
  const rule: CustomRuleInput = {
    id,
    category: 'custom',
    // a placeholder keyword while none is known, so the pattern's own errors come first
    keywords: keywords.length ? keywords : [guess ?? 'keyword'],
    pattern: input.pattern,
    ...(input.caseInsensitive ? { flags: 'i' } : {}),
  };
  try {
    compileCustomRules([...existing, rule]);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (keywords.length === 0 && !guess)
    return { error: 'give at least one keyword (a word that appears in or next to every match)' };
  return { rule };
}

/** What the rule would mask in a sample: the masked sample and the spans this rule found. */
export interface RulePreview {
  masked: string;
  matches: string[];
}

/** Masks a sample with the draft rule alone (no built-in rule hides what it finds), with a throwaway key. */
export function previewRule(rule: CustomRuleInput, sample: string): RulePreview {
  const guard = createPrivacyGuard({ level: 'minimal', customRules: [rule], hmacKey: randomBytes(32) });
  const r = guard.maskText(sample);
  const own = r.findings.filter((f) => f.ruleId === `custom:${rule.id}`);
  return { masked: r.text, matches: own.map((f) => sample.slice(f.start, f.end)) };
}
