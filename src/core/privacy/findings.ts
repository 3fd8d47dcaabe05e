/** Raw findings of one scan, and how overlapping ones merge into the spans that are masked. */
import type { Rule } from './rule';

export interface RawFinding {
  start: number;
  end: number;
  category: string;
  rule: Rule;
  /** Rule order: among equally wide overlapping findings the earlier (more specific) rule labels the span. */
  priority: number;
}

export class BudgetExceeded extends Error {
  constructor() {
    super('privacy scan time budget exceeded');
  }
}

const byStartThenWidest = (a: RawFinding, b: RawFinding): number =>
  a.start - b.start || b.end - a.end || a.priority - b.priority;

/**
 * Merges overlapping findings in place (the scanner's fresh array): the merged span is the union, labelled by the
 * widest member. A finding that merges with nothing is kept as is (no copy: most documents have few findings).
 */
export function mergeFindings(raw: RawFinding[]): RawFinding[] {
  const n = raw.length;
  if (n <= 1) return raw;
  raw.sort(byStartThenWidest);
  let w = 0;
  let first = raw[0]!;
  let end = first.end;
  let widest = first;
  const emit = () => {
    raw[w++] =
      widest.start === first.start && widest.end === end
        ? widest
        : { start: first.start, end, category: widest.category, rule: widest.rule, priority: widest.priority };
  };
  for (let i = 1; i < n; i++) {
    const f = raw[i]!;
    if (f.start < end) {
      const wf = f.end - f.start;
      const ww = widest.end - widest.start;
      if (wf > ww || (wf === ww && f.priority < widest.priority)) widest = f;
      if (f.end > end) end = f.end;
    } else {
      emit();
      first = f;
      end = f.end;
      widest = f;
    }
  }
  emit();
  raw.length = w;
  return raw;
}

/**
 * A value's trailing '.' / '。' run that ends a sentence (blank, end of text, or a JSON escape such as \n next) is
 * punctuation, not part of the value: "token is X. Email" keeps its full stop visible (issue 14 §8). The validator
 * has already judged the value with it, so what is masked never depends on this.
 */
export function trimSentenceStop(text: string, start: number, end: number): number {
  let e = end;
  while (e > start + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 0x3002)) e--;
  if (e === end) return end;
  if (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 92) {
      // JSON-escaped text: a newline or tab escape (\n, \\n) ends the sentence; an escaped quote (\") ends a value
      let i = end;
      while (i < text.length && text.charCodeAt(i) === 92) i++;
      const x = text.charCodeAt(i);
      return x === 110 || x === 114 || x === 116 ? e : end;
    }
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000)) return end;
  }
  return e;
}
