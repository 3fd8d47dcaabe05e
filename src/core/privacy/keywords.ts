/**
 * Aho–Corasick automaton over the rules' keywords: one pass over the text reports every keyword occurrence.
 * Matching is case-insensitive for ASCII and folds full-width ASCII (U+FF01..U+FF5E) to ASCII, one char for
 * one char, so hit offsets are offsets in the original string.
 */

/** Folds one UTF-16 code unit: ASCII lower-case, full-width ASCII → ASCII lower-case; other units unchanged. */
export function foldCode(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
  if (c >= 65 && c <= 90) return c + 32;
  return c;
}

export class KeywordAutomaton {
  private readonly cols: number;
  /** Dense DFA: next state = delta[state * cols + column]. */
  private readonly delta: Int32Array;
  /** Keyword ids ending at each state (following fail links), or undefined. */
  private readonly out: (number[] | undefined)[];
  private readonly extraCols = new Map<number, number>();
  readonly lengths: number[];

  constructor(keywords: readonly string[]) {
    const folded = keywords.map((k) => Array.from({ length: k.length }, (_, i) => foldCode(k.charCodeAt(i))));
    this.lengths = folded.map((k) => k.length);
    for (const k of folded) for (const c of k) if (c >= 128 && !this.extraCols.has(c)) this.extraCols.set(c, 128 + this.extraCols.size);
    this.cols = 128 + this.extraCols.size;
    // trie
    const trie: Map<number, number>[] = [new Map()];
    const out: (number[] | undefined)[] = [undefined];
    folded.forEach((k, id) => {
      if (k.length === 0) return;
      let s = 0;
      for (const c of k) {
        const col = this.col(c);
        let n = trie[s]!.get(col);
        if (n === undefined) {
          n = trie.length;
          trie.push(new Map());
          out.push(undefined);
          trie[s]!.set(col, n);
        }
        s = n;
      }
      (out[s] ??= []).push(id);
    });
    const n = trie.length;
    const delta = new Int32Array(n * this.cols);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let col = 0; col < this.cols; col++) {
      const t = trie[0]!.get(col);
      if (t !== undefined) {
        delta[col] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const fo = out[fail[s]!];
      if (fo) out[s] = [...(out[s] ?? []), ...fo];
      for (let col = 0; col < this.cols; col++) {
        const t = trie[s]!.get(col);
        if (t !== undefined) {
          fail[t] = delta[fail[s]! * this.cols + col]!;
          delta[s * this.cols + col] = t;
          queue.push(t);
        } else {
          delta[s * this.cols + col] = delta[fail[s]! * this.cols + col]!;
        }
      }
    }
    this.delta = delta;
    this.out = out;
  }

  private col(c: number): number {
    return c < 128 ? c : (this.extraCols.get(c) ?? -1);
  }

  /**
   * Calls onHit(keywordId, startOffset) for every occurrence, in order of end offset.
   * `check` is called every 64K chars; it may throw to abort (time budget).
   */
  scan(text: string, onHit: (id: number, start: number) => void, check?: () => void): void {
    const { delta, cols, out, lengths, extraCols } = this;
    let s = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c >= 128) {
        if (c >= 0xff01 && c <= 0xff5e) {
          c -= 0xfee0;
          if (c >= 65 && c <= 90) c += 32;
        } else {
          const col = extraCols.get(c);
          if (col === undefined) {
            s = 0;
            continue;
          }
          c = col;
        }
      } else if (c >= 65 && c <= 90) c += 32;
      s = delta[s * cols + c]!;
      const o = out[s];
      if (o !== undefined) for (let k = 0; k < o.length; k++) onHit(o[k]!, i + 1 - lengths[o[k]!]!);
      if ((i & 0xffff) === 0xffff && check) check();
    }
  }
}
