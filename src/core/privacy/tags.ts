/**
 * The tags the guard writes in place of what it masks (privacyGuard.ts replacement): `[REDACTED:category:hash]`,
 * `«prefix…category:hash»` (a rule's keepPrefix left visible) and `[REDACTED:unscanned]`. A re-mask finds them in
 * stored text and leaves them as they are: a tag is already masked, and its hash is the key to the same secret
 * elsewhere.
 */
const TAG = /\[REDACTED:[a-z0-9_]{1,40}(?::[0-9a-f]{8})?\]|«[^«»\n]{1,80}…[a-z0-9_]{1,40}:[0-9a-f]{8}»/g;

/** [start, end) of every tag in the text, in order. */
export function tagSpans(text: string): [number, number][] {
  if (!text.includes('[REDACTED:') && !text.includes('«')) return [];
  const out: [number, number][] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Whether [start, end) overlaps one of the (sorted) spans. */
export function overlapsSpan(spans: readonly [number, number][], start: number, end: number): boolean {
  for (const [s, e] of spans) {
    if (s >= end) return false;
    if (e > start) return true;
  }
  return false;
}

/** The text between the tags, as [start, end) pieces (empty ones left out). */
export function plainSegments(text: string, spans: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let pos = 0;
  for (const [s, e] of spans) {
    if (s > pos) out.push([pos, s]);
    pos = e;
  }
  if (pos < text.length) out.push([pos, text.length]);
  return out;
}
