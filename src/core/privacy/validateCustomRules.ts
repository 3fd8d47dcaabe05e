import { compileCustomRules } from './customRules';

/**
 * Splits user rules (from settings) into usable ones and readable errors, rule by rule, so one bad rule does not
 * disable the others (the built-in rules always apply).
 */
export function validateCustomRules(rules: readonly unknown[]): { valid: unknown[]; errors: string[] } {
  const valid: unknown[] = [];
  const errors: string[] = [];
  for (const rule of rules) {
    try {
      compileCustomRules([...valid, rule]); // with the accepted ones: catches duplicate ids too
      valid.push(rule);
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { valid, errors };
}
