/** Scores detector findings against corpus labels: per-category recall, full coverage, precision. */
import type { Doc, Label } from './corpus';

export interface Span {
  start: number;
  end: number;
}

export interface CategoryScore {
  labels: number;
  detected: number;
  fullyCovered: number;
}

export interface Score {
  byCategory: Record<string, CategoryScore>;
  byKind: Record<'credential' | 'pii', CategoryScore>;
  all: CategoryScore;
  findings: number;
  truePositiveFindings: number;
  /** detected / labels */
  recall: (c: CategoryScore) => number;
  precision: number;
  misses: { doc: string; context: string; label: Label; text: string; covered: boolean }[];
  falsePositives: { doc: string; context: string; text: string; around: string }[];
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** True when the union of `spans` covers [l.start, l.end). */
function covers(spans: Span[], l: Span): boolean {
  let pos = l.start;
  const sorted = spans.filter((s) => overlaps(s, l)).sort((a, b) => a.start - b.start);
  for (const s of sorted) {
    if (s.start > pos) return false;
    if (s.end > pos) pos = s.end;
    if (pos >= l.end) return true;
  }
  return pos >= l.end;
}

export function score(docs: readonly Doc[], findings: readonly Span[][]): Score {
  const empty = (): CategoryScore => ({ labels: 0, detected: 0, fullyCovered: 0 });
  const byCategory: Record<string, CategoryScore> = {};
  const byKind = { credential: empty(), pii: empty() };
  const all = empty();
  let nFindings = 0;
  let tp = 0;
  const misses: Score['misses'] = [];
  const falsePositives: Score['falsePositives'] = [];
  docs.forEach((doc, i) => {
    const fs = findings[i] ?? [];
    for (const l of doc.labels) {
      const c = byCategory[l.category] ?? empty();
      byCategory[l.category] = c;
      const hit = fs.some((f) => overlaps(f, l));
      const full = hit && covers(fs, l);
      for (const s of [c, byKind[l.kind], all]) {
        s.labels++;
        if (hit) s.detected++;
        if (full) s.fullyCovered++;
      }
      if (!full)
        misses.push({
          doc: doc.id,
          context: doc.context,
          label: l,
          text: doc.text.slice(l.start, l.end),
          covered: hit,
        });
    }
    for (const f of fs) {
      nFindings++;
      if (doc.labels.some((l) => overlaps(f, l))) tp++;
      else
        falsePositives.push({
          doc: doc.id,
          context: doc.context,
          text: doc.text.slice(f.start, f.end),
          around: doc.text.slice(Math.max(0, f.start - 30), f.end + 30),
        });
    }
  });
  return {
    byCategory,
    byKind,
    all,
    findings: nFindings,
    truePositiveFindings: tp,
    recall: (c) => (c.labels ? c.detected / c.labels : 1),
    precision: nFindings ? tp / nFindings : 1,
    misses,
    falsePositives,
  };
}

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
