import { mulberry32 } from '../../random/mulberry32';
import type { SparseVector } from './tfidf';

const dotDense = (v: SparseVector, c: Float64Array) => {
  let s = 0;
  for (let j = 0; j < v.idx.length; j++) s += v.val[j]! * c[v.idx[j]!]!;
  return s;
};

export function dotSparse(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

export interface Clustering {
  k: number;
  assignment: number[];
  /** Unit-length centroids over the vocabulary. */
  centroids: Float64Array[];
}

/**
 * Spherical k-means (cosine) with k-means++ seeding from a seeded PRNG. Deterministic for a seed and an input
 * order; callers sort documents first so the result does not depend on row order. Ties go to the lower cluster.
 */
export function kmeans(
  vectors: readonly SparseVector[],
  dims: number,
  k: number,
  seed: number,
  maxIter = 50,
): Clustering {
  const n = vectors.length;
  const rand = mulberry32(seed);
  const centroids: Float64Array[] = [];
  const toDense = (v: SparseVector) => {
    const c = new Float64Array(dims);
    for (let j = 0; j < v.idx.length; j++) c[v.idx[j]!] = v.val[j]!;
    return c;
  };
  // k-means++: each next seed drawn with probability ∝ its distance (1 − cos) to the nearest seed so far.
  centroids.push(toDense(vectors[Math.floor(rand() * n)]!));
  const nearest = vectors.map((v) => 1 - dotDense(v, centroids[0]!));
  while (centroids.length < k) {
    const total = nearest.reduce((a, b) => a + Math.max(0, b), 0);
    let pick = 0;
    if (total > 0) {
      let r = rand() * total;
      for (pick = 0; pick < n - 1; pick++) {
        r -= Math.max(0, nearest[pick]!);
        if (r <= 0) break;
      }
    } else pick = centroids.length % n;
    const c = toDense(vectors[pick]!);
    centroids.push(c);
    vectors.forEach((v, i) => {
      nearest[i] = Math.min(nearest[i]!, 1 - dotDense(v, c));
    });
  }
  let assignment = new Array<number>(n).fill(-1);
  for (let iter = 0; iter < maxIter; iter++) {
    const next = vectors.map((v) => {
      let best = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      centroids.forEach((c, ci) => {
        const s = dotDense(v, c);
        if (s > bestSim + 1e-12) {
          bestSim = s;
          best = ci;
        }
      });
      return best;
    });
    const changed = next.some((a, i) => a !== assignment[i]);
    assignment = next;
    // Recompute centroids as normalised means; an emptied cluster takes the point farthest from its centroid.
    for (let ci = 0; ci < k; ci++) centroids[ci] = new Float64Array(dims);
    const sizes = new Array<number>(k).fill(0);
    vectors.forEach((v, i) => {
      const c = centroids[assignment[i]!]!;
      sizes[assignment[i]!]!++;
      for (let j = 0; j < v.idx.length; j++) c[v.idx[j]!]! += v.val[j]!;
    });
    for (let ci = 0; ci < k; ci++) {
      if (sizes[ci] === 0) {
        let far = 0;
        let farSim = Number.POSITIVE_INFINITY;
        vectors.forEach((v, i) => {
          const s = dotDense(v, centroids[assignment[i]!]!);
          if (s < farSim) {
            farSim = s;
            far = i;
          }
        });
        centroids[ci] = toDense(vectors[far]!);
        continue;
      }
      const c = centroids[ci]!;
      let norm = 0;
      for (let j = 0; j < dims; j++) norm += c[j]! * c[j]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let j = 0; j < dims; j++) c[j]! /= norm;
    }
    if (!changed) break;
  }
  return { k, assignment, centroids };
}

/** Pairwise cosine distances (1 − dot) of unit vectors, computed once and shared by every k tried. */
export function distanceMatrix(vectors: readonly SparseVector[]): Float64Array[] {
  const n = vectors.length;
  const d = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const x = 1 - dotSparse(vectors[i]!, vectors[j]!);
      d[i]![j] = x;
      d[j]![i] = x;
    }
  return d;
}

/** Mean silhouette of a clustering, from a distance matrix (distanceMatrix); singletons count 0. */
export function silhouette(dist: readonly Float64Array[], assignment: readonly number[], k: number): number {
  const n = dist.length;
  if (k < 2 || n <= k) return -1;
  let sum = 0;
  const total = new Array<number>(k);
  const count = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    total.fill(0);
    count.fill(0);
    const row = dist[i]!;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      total[assignment[j]!]! += row[j]!;
      count[assignment[j]!]!++;
    }
    const own = assignment[i]!;
    if (count[own] === 0) continue;
    const a = total[own]! / count[own]!;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && count[c]! > 0) b = Math.min(b, total[c]! / count[c]!);
    if (Number.isFinite(b)) sum += (b - a) / Math.max(a, b, 1e-12);
  }
  return sum / n;
}
