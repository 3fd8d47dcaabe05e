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

export interface MaskedText {
  text: Masked;
  findings: Finding[];
}

export interface Masker {
  maskText(text: string): MaskedText;
  /** Masks every string value (recursively, keys kept); counts findings per category. */
  maskJson<T>(value: T): { value: MaskedJson<T>; counts: Record<string, number> };
}
