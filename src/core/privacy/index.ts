export type { Finding, Masked, MaskedJson, MaskedText, Masker } from './masker';
export type { Level, Rule, RuleKind } from './rule';
export { LEVELS } from './rule';
export { createPrivacyGuard, UNSCANNED, type PrivacyGuard, type PrivacyGuardOptions } from './privacyGuard';
export { CustomRuleError, compileCustomRules, unsafeRegexReason, type CustomRuleInput } from './customRules';
export { BUILTIN_RULES, categoryKind } from './rules';
