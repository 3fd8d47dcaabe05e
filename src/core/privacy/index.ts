export { CustomRuleError, type CustomRuleInput, compileCustomRules, unsafeRegexReason } from './customRules';
export type { Finding, Masked, MaskedJson, MaskedText, Masker, RuleCounts } from './masker';
export { countFindings } from './masker';
export {
  createPrivacyGuard,
  type PrivacyGuard,
  type PrivacyGuardOptions,
  type TextWatch,
  UNSCANNED,
} from './privacyGuard';
export type { Level, Rule, RuleKind } from './rule';
export { LEVELS } from './rule';
export { BUILTIN_RULES, categoryKind } from './rules';
