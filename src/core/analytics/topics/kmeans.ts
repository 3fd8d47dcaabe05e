import { mulberry32 } from '../../random/mulberry32';
import type { SparseVector } from './tfidf';

/**
 * k vectors over `dims` terms in one array, term-major: vector c's weight of term t is at [t * k + c]. A sparse
 * document then meets all k at once, reading k neighbouring numbers per term (k-means' inner loop).
 */
export type TermMajor = Float64Array;

/** Dot products of v with each of the k term-major vectors, into out. */
export function dots(v: SparseVector, m: TermMajor, k: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let j = 0; j < v.idx.length; j++) {
    const w = v.val[j]!;
    const base = v.idx[j]! * k;
    for (let c = 0; c < k; c++) out[c]! += w * m[base + c]!;
  }
  return out;
}

/** The centroid most similar to v (cosine; ties to the lower index); `scratch` (k long) is left holding every dot. */
export function nearest(v: SparseVector, centroids: TermMajor, k: number, scratch: Float64Array): number {
  dots(v, centroids, k, scratch);
  let best = 0;
  for (let c = 1; c < k; c++) if (scratch[c]! > scratch[best]! + 1e-12) best = c;
  return best;
}

export interface Clustering {
  k: number;
  assignment: Int32Array;
  /** Unit-length centroids, term-major (TermMajor). */
  centroids: TermMajor;
}

export interface KMeansOptions {
  maxIter?: number;
  /** Start from these centroids (term-major, k of them) instead of k-means++ seeding. */
  init?: TermMajor;
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
  opts: KMeansOptions = {},
): Clustering {
  const n = vectors.length;
  const centroids = opts.init ? Float64Array.from(opts.init) : seeds(vectors, dims, k, seed);
  const scratch = new Float64Array(k);
  const assignment = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  for (let iter = 0; iter < (opts.maxIter ?? 50); iter++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const c = nearest(vectors[i]!, centroids, k, scratch);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed++;
      }
    }
    // Centroids as normalised means; an emptied cluster takes the point farthest from its own centroid.
    centroids.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) addTo(centroids, k, assignment[i]!, vectors[i]!, 1);
    for (let i = 0; i < n; i++) sizes[assignment[i]!]!++;
    normalise(centroids, dims, k);
    for (let c = 0; c < k; c++) {
      if (sizes[c] !== 0) continue;
      let far = -1;
      let farSim = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const a = assignment[i]!;
        if (sizes[a]! <= 1) continue; // taking a singleton's only point would empty its cluster
        const s = dots(vectors[i]!, centroids, k, scratch)[a]!;
        if (s < farSim) {
          farSim = s;
          far = i;
        }
      }
      if (far < 0) continue;
      const v = vectors[far]!;
      for (let j = 0; j < v.idx.length; j++) centroids[v.idx[j]! * k + c] = v.val[j]!;
      changed++;
    }
    if (changed === 0) break;
  }
  return { k, assignment, centroids };
}

/** k-means++: each next seed drawn with probability ∝ its distance (1 − cos) to the nearest seed so far. */
function seeds(vectors: readonly SparseVector[], dims: number, k: number, seed: number): TermMajor {
  const n = vectors.length;
  const rand = mulberry32(seed);
  const out = new Float64Array(dims * k);
  const dense = new Float64Array(dims);
  const place = (pick: number, c: number) => {
    const v = vectors[pick]!;
    dense.fill(0);
    for (let j = 0; j < v.idx.length; j++) {
      out[v.idx[j]! * k + c] = v.val[j]!;
      dense[v.idx[j]!] = v.val[j]!;
    }
  };
  const sim = (v: SparseVector) => {
    let s = 0;
    for (let j = 0; j < v.idx.length; j++) s += v.val[j]! * dense[v.idx[j]!]!;
    return s;
  };
  place(Math.floor(rand() * n), 0);
  const nearestDist = Float64Array.from(vectors, (v) => 1 - sim(v));
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.max(0, nearestDist[i]!);
    let pick = 0;
    if (total > 0) {
      let r = rand() * total;
      for (pick = 0; pick < n - 1; pick++) {
        r -= Math.max(0, nearestDist[pick]!);
        if (r <= 0) break;
      }
    } else pick = c % n;
    place(pick, c);
    for (let i = 0; i < n; i++) nearestDist[i] = Math.min(nearestDist[i]!, 1 - sim(vectors[i]!));
  }
  return out;
}

/** Adds (sign 1) or takes away (sign −1) v to vector c of a term-major array. */
export function addTo(m: TermMajor, k: number, c: number, v: SparseVector, sign: 1 | -1): void {
  for (let j = 0; j < v.idx.length; j++) m[v.idx[j]! * k + c]! += sign * v.val[j]!;
}

function normalise(m: TermMajor, dims: number, k: number): void {
  const norms = new Float64Array(k);
  for (let t = 0; t < dims; t++) for (let c = 0; c < k; c++) norms[c]! += m[t * k + c]! ** 2;
  for (let c = 0; c < k; c++) norms[c] = norms[c]! > 0 ? 1 / Math.sqrt(norms[c]!) : 0;
  for (let t = 0; t < dims; t++) for (let c = 0; c < k; c++) m[t * k + c]! *= norms[c]!;
}

/**
 * Mean silhouette of a clustering of unit vectors under cosine distance (1 − dot); singletons count 0. Exact without
 * a pairwise matrix: the mean distance from v to the other members of cluster C is 1 − v·S/|C| (S the sum of C's
 * vectors; for v's own cluster (|C| − v·S) / (|C| − 1), as v·v = 1), so this is O(n·k·terms), not O(n²).
 */
export function silhouette(
  vectors: readonly SparseVector[],
  assignment: ArrayLike<number>,
  k: number,
  dims: number,
): number {
  const n = vectors.length;
  if (k < 2 || n <= k) return -1;
  const sums = new Float64Array(dims * k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    addTo(sums, k, assignment[i]!, vectors[i]!, 1);
    sizes[assignment[i]!]!++;
  }
  const d = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = assignment[i]!;
    if (sizes[own]! <= 1) continue;
    dots(vectors[i]!, sums, k, d);
    const a = (sizes[own]! - d[own]!) / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, 1 - d[c]! / sizes[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b, 1e-12);
  }
  return total / n;
}
