/**
 * Aho–Corasick automaton over the rules' keywords: one pass over the text reports every keyword occurrence.
 * Matching is case-insensitive for ASCII and folds full-width ASCII (U+FF01..U+FF5E) to ASCII, one char for
 * one char, so hit offsets are offsets in the original string.
 *
 * Layout: a dense DFA over the alphabet of characters that occur in keywords (column 0 = any other character),
 * states stored pre-multiplied by the column count so a step is one typed-array read.
 */

/** Folds one UTF-16 code unit: ASCII lower-case, full-width ASCII → ASCII lower-case; other units unchanged. */
export function foldCode(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
  if (c >= 65 && c <= 90) return c + 32;
  return c;
}

/** Characters between two block callbacks. */
export const BLOCK = 1 << 16;

export class KeywordAutomaton {
  /** UTF-16 code unit → column (0 when the character occurs in no keyword). */
  private readonly colOf = new Uint8Array(65536);
  private readonly cols: number;
  /** next = delta[stateOffset + column], where stateOffset = state * cols */
  private readonly delta: Uint16Array | Int32Array;
  /** stateOffset >= outFrom when the state ends at least one keyword */
  private readonly outFrom: number;
  /** keyword ids ending at each state (following fail links), by state number */
  private readonly out: (number[] | undefined)[];
  readonly lengths: number[];

  constructor(keywords: readonly string[]) {
    const folded = keywords.map((k) => Array.from({ length: k.length }, (_, i) => foldCode(k.charCodeAt(i))));
    this.lengths = folded.map((k) => k.length);
    const alphabet = new Map<number, number>();
    for (const k of folded) for (const c of k) if (!alphabet.has(c)) alphabet.set(c, alphabet.size + 1);
    this.cols = alphabet.size + 1;
    for (let u = 0; u < 65536; u++) this.colOf[u] = alphabet.get(foldCode(u)) ?? 0;

    const trie: Map<number, number>[] = [new Map()];
    const out: (number[] | undefined)[] = [undefined];
    folded.forEach((k, id) => {
      if (k.length === 0) return;
      let s = 0;
      for (const c of k) {
        const col = alphabet.get(c)!;
        let nx = trie[s]!.get(col);
        if (nx === undefined) {
          nx = trie.length;
          trie.push(new Map());
          out.push(undefined);
          trie[s]!.set(col, nx);
        }
        s = nx;
      }
      const ids = out[s] ?? [];
      out[s] = ids;
      ids.push(id);
    });
    const n = trie.length;
    const cols = this.cols;
    const next = new Int32Array(n * cols); // by state number
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let col = 1; col < cols; col++) {
      const t = trie[0]!.get(col);
      if (t !== undefined) {
        next[col] = t;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const fo = out[fail[s]!];
      if (fo) out[s] = [...(out[s] ?? []), ...fo];
      for (let col = 1; col < cols; col++) {
        const t = trie[s]!.get(col);
        if (t !== undefined) {
          fail[t] = next[fail[s]! * cols + col]!;
          next[s * cols + col] = t;
          queue.push(t);
        } else {
          next[s * cols + col] = next[fail[s]! * cols + col]!;
        }
      }
    }
    if (cols > 255) throw new Error('keyword alphabet too large');
    // renumber: states that end a keyword last, so "has output" is one comparison (s >= outFrom) instead of a read
    const order: number[] = [];
    for (let st = 0; st < n; st++) if (!out[st]) order.push(st);
    const firstOut = order.length;
    for (let st = 0; st < n; st++) if (out[st]) order.push(st);
    if (order[0] !== 0) throw new Error('keyword automaton: the root must not end a keyword');
    const num = new Int32Array(n);
    for (const [i, st] of order.entries()) num[st] = i;
    // small tables stay in L1/L2: 16-bit states when they fit
    this.delta = n * cols < 65536 ? new Uint16Array(n * cols) : new Int32Array(n * cols);
    for (let st = 0; st < n; st++) {
      const row = num[st]! * cols;
      for (let col = 0; col < cols; col++) this.delta[row + col] = num[next[st * cols + col]!]! * cols;
    }
    this.outFrom = firstOut * cols;
    this.out = order.map((st) => out[st]);
  }

  /**
   * Calls onHit(keywordId, startOffset) for every occurrence, in order of end offset, and onBlock(endOffset)
   * after every BLOCK characters and once at the end. onBlock may throw to abort (time budget).
   */
  scan(text: string, onHit: (id: number, start: number) => void, onBlock?: (end: number) => void): void {
    const { delta, cols, out, lengths, colOf, outFrom } = this;
    let s = 0;
    const n = text.length;
    for (let b = 0; b < n; b += BLOCK) {
      const end = Math.min(b + BLOCK, n);
      for (let i = b; i < end; i++) {
        s = delta[s + colOf[text.charCodeAt(i)]!]!;
        if (s >= outFrom) {
          const o = out[s / cols]!;
          for (let k = 0; k < o.length; k++) onHit(o[k]!, i + 1 - lengths[o[k]!]!);
        }
      }
      onBlock?.(end);
    }
    if (n === 0) onBlock?.(0);
  }
}
