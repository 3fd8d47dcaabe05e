/**
 * Built-in rules, assembled in priority order (an earlier rule labels equally wide overlapping findings). Each regex
 * uses bounded quantifiers only and runs only in a window around a hit of one of its keywords (see scanner.ts).
 * Token literals in tests and the corpus are assembled at runtime.
 */
import { assignmentRules } from './assignmentRules';
import { highEntropyRule } from './highEntropy';
import { nationalIdRules } from './nationalIdRules';
import { piiRules } from './piiRules';
import { moreProviderRules } from './prefixRules';
import { privateKeyRules } from './privateKeyRules';
import { providerRules } from './providerRules';
import type { Rule } from './rule';
import { structuredTokenRules } from './structuredTokenRules';

export { secretAssignmentAt } from './assignmentContext';
export { namedValueCategory, secretNameKind } from './secretNames';

export const BUILTIN_RULES: readonly Rule[] = [
  ...providerRules,
  ...moreProviderRules,
  ...structuredTokenRules,
  ...privateKeyRules,
  ...assignmentRules,
  ...piiRules,
  ...nationalIdRules,
  highEntropyRule,
];

/** Category → kind, for reports and scoring. */
export function categoryKind(category: string): 'credential' | 'pii' {
  return ['email', 'phone', 'credit_card', 'ip_address', 'my_number', 'national_id', 'username'].includes(category)
    ? 'pii'
    : 'credential';
}
