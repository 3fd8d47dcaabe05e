/**
 * The masking port. Everything that is stored, shown or sent passes through a Masker first.
 * `Masked` is a brand only the Privacy Guard produces (see privacyGuard.ts), so code that would
 * store or sync unmasked text does not compile.
 */
declare const maskedBrand: unique symbol;
export type Masked<T extends string = string> = T & { readonly [maskedBrand]: 'masked' };

/** Every string inside a JSON-like value becomes Masked; structure and keys are kept. */
export type MaskedJson<T> = T extends string
  ? Masked
  : T extends readonly (infer U)[]
    ? MaskedJson<U>[]
    : T extends object
      ? { [K in keyof T]: MaskedJson<T[K]> }
      : T;

export interface Finding {
  /** UTF-16 offsets in the ORIGINAL text. */
  start: number;
  end: number;
  category: string;
  ruleId: string;
}

/** Finding counts per category, then per rule id within it (a category can come from several rules). */
export type RuleCounts = Record<string, Record<string, number>>;

/** Counts findings per category and per category × rule. */
export function countFindings(findings: readonly Pick<Finding, 'category' | 'ruleId'>[]): {
  counts: Record<string, number>;
  rules: RuleCounts;
} {
  const counts: Record<string, number> = {};
  const rules: RuleCounts = {};
  for (const f of findings) {
    counts[f.category] = (counts[f.category] ?? 0) + 1;
    const byRule = rules[f.category] ?? {};
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    rules[f.category] = byRule;
  }
  return { counts, rules };
}

export interface MaskedText {
  text: Masked;
  findings: Finding[];
}

export interface Masker {
  maskText(text: string): MaskedText;
  /**
   * Masks every string value (recursively, keys kept); counts findings per category, and per category and rule
   * (`rules[category][ruleId]`: the privacy report's "top rules").
   */
  maskJson<T>(value: T): { value: MaskedJson<T>; counts: Record<string, number>; rules: RuleCounts };
}
