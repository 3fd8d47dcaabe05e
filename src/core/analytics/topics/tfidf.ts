/** A sparse, L2-normalised TF-IDF vector: term indexes ascending, with their weights. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

export interface TfIdf {
  vocabulary: string[];
  vectors: SparseVector[];
}

/**
 * TF-IDF over tokenised documents: tf = 1 + ln(count), idf = ln((1 + N) / (1 + df)) + 1, each vector L2-normalised
 * (so a dot product is the cosine). Terms in a single document cannot group anything and are dropped once there
 * are enough documents; the vocabulary keeps the `maxTerms` most frequent (ties by term, for determinism).
 */
export function tfidf(docs: readonly (readonly string[])[], maxTerms = 5000): TfIdf {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const minDf = docs.length >= 10 ? 2 : 1;
  const vocabulary = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxTerms)
    .map(([t]) => t)
    .sort();
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const n = docs.length;
  const vectors = docs.map((d) => {
    const counts = new Map<number, number>();
    for (const t of d) {
      const i = index.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    idx.forEach((i, j) => {
      const w = (1 + Math.log(counts.get(i)!)) * (Math.log((1 + n) / (1 + df.get(vocabulary[i]!)!)) + 1);
      val[j] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < val.length; j++) val[j]! /= norm;
    return { idx, val };
  });
  return { vocabulary, vectors };
}
