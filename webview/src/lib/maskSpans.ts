/**
 * Finds the Privacy Guard's placeholders in stored (already masked) text so the UI can mark them by category:
 * `[REDACTED:category:tag]`, `«kept-prefix…category:tag»` and `[REDACTED:unscanned]`.
 */

export type MaskKind = 'credential' | 'pii' | 'unscanned';

export type TextSegment =
  | { text: string; mask?: undefined }
  | { text: string; mask: { category: string; kind: MaskKind } };

// Mirrors categoryKind in src/core/privacy/rules.ts (the webview does not import core).
const PII = new Set(['email', 'phone', 'credit_card', 'ip_address', 'my_number', 'username']);

export function maskKind(category: string): MaskKind {
  if (category === 'unscanned') return 'unscanned';
  return PII.has(category) ? 'pii' : 'credential';
}

const MASK =
  /\[REDACTED:([a-z0-9_]{1,40})(?::[A-Za-z0-9_-]{1,64})?\]|«[^«»\n]{0,80}…([a-z0-9_]{1,40}):[A-Za-z0-9_-]{1,64}»/g;

/** Splits text into plain and masked segments; concatenating the texts gives the input back. */
export function splitMasks(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  MASK.lastIndex = 0;
  for (let m = MASK.exec(text); m !== null; m = MASK.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    const category = m[1] ?? m[2] ?? 'unknown';
    out.push({ text: m[0], mask: { category, kind: maskKind(category) } });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export function hasMask(text: string): boolean {
  MASK.lastIndex = 0;
  return MASK.test(text);
}
