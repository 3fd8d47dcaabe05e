/** Digit clusters: where the digit-triggered window rules (phones, cards, national numbers) run. */

/** Digit clusters for the digit-triggered window rules (see scanInner). */
export const DIGIT_CLUSTERS =
  /[0-9\uFF10-\uFF19](?:[ \t().\-\u2010-\u2015\u2212\u30FC\uFF08\uFF09\uFF0D]{0,3}[0-9\uFF10-\uFF19]){9,400}/g;
/** Cheap pre-test: a text without 10 digits cannot hold a digit cluster. */
export function hasTenDigits(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) if (++n >= 10) return true;
  }
  return false;
}
