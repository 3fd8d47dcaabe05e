/**
 * Search terms and snippets, shared by the store's FTS queries, the dashboard and `cct search`. Highlights are
 * [start, end) ranges in UTF-16 code units of the snippet's plain text: the webview wraps them as text nodes, so no
 * HTML is ever built from transcript text.
 */

/** Scripts FTS tokenizers do not split into words: a query in them is answered by a substring scan. */
const UNSEGMENTED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** The words of a query (letters, digits, underscore), lower-cased, at most 16, no operators. */
export function queryTerms(query: string): string[] {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return [...new Set(words.map((w) => w.toLowerCase()))].slice(0, 16);
}

/** True when a term needs the substring scan (a word in a script the FTS tokenizer keeps as one long token). */
export function needsSubstringScan(terms: readonly string[]): boolean {
  return terms.some((t) => UNSEGMENTED.test(t));
}

/** An FTS MATCH expression: every term, each as a prefix. Terms are quoted (FTS5) or bare lower-case (FTS4). */
export function ftsMatch(terms: readonly string[], engine: 'fts5' | 'fts4'): string {
  return terms.map((t) => (engine === 'fts5' ? `"${t}"*` : `${t}*`)).join(' ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches any term at a word start (a CJK term anywhere), longest first, case-insensitively. */
export function termsRegExp(terms: readonly string[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  const alts = [...terms]
    .sort((a, b) => b.length - a.length)
    .map((t) => (UNSEGMENTED.test(t) ? escapeRegExp(t) : `(?<![\\p{L}\\p{N}_])${escapeRegExp(t)}`));
  return new RegExp(alts.join('|'), 'giu');
}

export interface Snippet {
  text: string;
  highlights: [number, number][];
}

/** Every match of `re` in `text` as [start, end) ranges. */
export function highlightRanges(text: string, re: RegExp | undefined): [number, number][] {
  if (!re) return [];
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/**
 * A window of about `width` characters around the first match, whitespace runs flattened to one space, with "…"
 * where it was cut, and the ranges of every match inside it.
 */
export function makeSnippet(text: string, terms: readonly string[], width = 180): Snippet {
  const re = termsRegExp(terms);
  let first = 0;
  if (re) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) first = m.index;
  }
  let start = Math.max(0, first - Math.floor(width / 3));
  let end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  // Never split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const body = text.slice(start, end).replace(/\s+/g, ' ');
  const snippet = `${start > 0 ? '…' : ''}${start > 0 ? body.trimStart() : body}${end < text.length ? '…' : ''}`;
  return { text: snippet, highlights: highlightRanges(snippet, re) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
