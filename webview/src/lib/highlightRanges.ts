/**
 * Search highlights come from the host as character ranges over the snippet text; the webview renders them as
 * text nodes and <mark> elements, so no HTML is ever built from transcript text.
 */
export interface Range {
  start: number;
  end: number;
}

export interface HighlightSegment {
  text: string;
  hit: boolean;
}

/** Clamps, sorts and merges the ranges, then cuts the text into alternating plain / hit segments. */
export function highlightSegments(text: string, ranges: readonly Range[]): HighlightSegment[] {
  const clean = ranges
    .map((r) => ({
      start: Math.max(0, Math.min(text.length, r.start)),
      end: Math.max(0, Math.min(text.length, r.end)),
    }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const r of clean) {
    const prev = merged[merged.length - 1];
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else merged.push({ ...r });
  }
  const out: HighlightSegment[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) out.push({ text: text.slice(at, r.start), hit: false });
    out.push({ text: text.slice(r.start, r.end), hit: true });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
