/**
 * Where the secret is, in a positive sample whose source says only "this line holds a secret" (gitleaks' literal
 * true-positive strings, detect-secrets' `(line, True)` cases): the token that carries the most information.
 *
 * Tokens are runs of characters other than blanks, quotes, backticks and , ; ( ) < > [ ] { }; a leading `name=` or
 * `name:` is cut off when a value of 8+ characters remains; the token with the largest Shannon entropy × length wins.
 * A finding that overlaps the span counts as detecting the sample (the scorer's rule for every label).
 */
const TOKEN = /[^\s"'`,;()<>[\]{}]+/g;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

export function valueSpan(text: string): { start: number; end: number } | undefined {
  let best: { start: number; end: number; score: number } | undefined;
  for (const m of text.matchAll(TOKEN)) {
    let start = m.index;
    let tok = m[0];
    for (;;) {
      const name = /^[A-Za-z_][A-Za-z0-9_.-]*(?:=|:{1,2}=?|=>)/.exec(tok);
      if (!name || tok.length - name[0].length < 8 || /^[a-z][a-z0-9+.-]*:\/\//i.test(tok)) break;
      start += name[0].length;
      tok = tok.slice(name[0].length);
    }
    const trail = /[.:=>]+$/.exec(tok);
    if (trail && !/=+$/.test(trail[0])) tok = tok.slice(0, -trail[0].length);
    if (!tok) continue;
    const score = entropy(tok) * tok.length;
    if (!best || score > best.score) best = { start, end: start + tok.length, score };
  }
  return best && { start: best.start, end: best.end };
}
