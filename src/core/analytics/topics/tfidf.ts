/** A sparse, L2-normalised TF-IDF vector: term ids (indexes into a TermSpace's vocabulary) ascending, and weights. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

/**
 * The terms one clustering weighs documents in: its vocabulary (sorted), each term's id and idf. Frozen with the
 * clustering, so documents added later (TopicModel) are weighed in the same space as the ones it was built from.
 */
export interface TermSpace {
  vocabulary: string[];
  index: Map<string, number>;
  idf: Float64Array;
}

export interface TermSpaceOptions {
  /** Most terms kept, the most frequent first (default 5,000). */
  maxTerms?: number;
  /** Terms in more than this share of the documents describe none of them (default 0.5; from 100 documents on). */
  maxDocShare?: number;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The term space of tokenised documents, and their vectors in it: idf = ln((1 + N) / (1 + df)) + 1. Terms in a
 * single document cannot group anything and are dropped once there are 10 documents, terms in most of them once there
 * are 100; of the rest the `maxTerms` most frequent stay (ties by term, for determinism). Each token is looked up
 * once: the documents are kept as integer term ids between the counting and the weighing.
 */
export function tfidf(
  docs: readonly (readonly string[])[],
  opts: TermSpaceOptions = {},
): { space: TermSpace; vectors: SparseVector[] } {
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const lastDoc: number[] = [];
  let total = 0;
  for (const d of docs) total += d.length;
  const flat = new Int32Array(total);
  let at = 0;
  for (let d = 0; d < docs.length; d++)
    for (const t of docs[d]!) {
      let id = ids.get(t);
      if (id === undefined) {
        id = terms.length;
        ids.set(t, id);
        terms.push(t);
        df.push(0);
        lastDoc.push(-1);
      }
      flat[at++] = id;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        df[id]!++;
      }
    }
  const n = docs.length;
  const minDf = n >= 10 ? 2 : 1;
  const maxDf = n >= 100 ? Math.floor(n * (opts.maxDocShare ?? 0.5)) : n;
  const kept = terms
    .map((_, id) => id)
    .filter((id) => df[id]! >= minDf && df[id]! <= maxDf)
    .sort((a, b) => df[b]! - df[a]! || compare(terms[a]!, terms[b]!))
    .slice(0, opts.maxTerms ?? 5000)
    .sort((a, b) => compare(terms[a]!, terms[b]!));
  const vocabulary = kept.map((id) => terms[id]!);
  const idf = Float64Array.from(kept, (id) => Math.log((1 + n) / (1 + df[id]!)) + 1);
  const space = { vocabulary, index: new Map(vocabulary.map((t, i) => [t, i])), idf };
  // Each document's ids, mapped to the vocabulary's (−1: dropped), counted in one reused array.
  const toVocab = new Int32Array(terms.length).fill(-1);
  kept.forEach((id, i) => {
    toVocab[id] = i;
  });
  const counts = new Int32Array(vocabulary.length);
  const touched: number[] = [];
  at = 0;
  const vectors = docs.map((d) => {
    touched.length = 0;
    for (let j = 0; j < d.length; j++) {
      const i = toVocab[flat[at++]!]!;
      if (i < 0) continue;
      if (counts[i] === 0) touched.push(i);
      counts[i]!++;
    }
    const idx = Int32Array.from(touched).sort();
    const val = new Float64Array(idx.length);
    for (let j = 0; j < idx.length; j++) {
      val[j] = weight(counts[idx[j]!]!, idf[idx[j]!]!);
      counts[idx[j]!] = 0;
    }
    return { idx, val: normalised(val) };
  });
  return { space, vectors };
}

const weight = (count: number, idf: number) => (1 + Math.log(count)) * idf;

function normalised(val: Float64Array): Float64Array {
  let norm = 0;
  for (let j = 0; j < val.length; j++) norm += val[j]! * val[j]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < val.length; j++) val[j]! /= norm;
  return val;
}

/** A document's TF-IDF vector in a term space (tf = 1 + ln(count)); terms outside the vocabulary are ignored. */
export function vectorOf(space: TermSpace, tokens: readonly string[]): SparseVector {
  const counts = new Map<number, number>();
  for (const t of tokens) {
    const i = space.index.get(t);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(counts.keys()).sort();
  const val = Float64Array.from(idx, (i) => weight(counts.get(i)!, space.idf[i]!));
  return { idx, val: normalised(val) };
}
