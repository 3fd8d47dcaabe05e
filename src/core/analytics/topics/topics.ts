import { distanceMatrix, kmeans, silhouette } from './kmeans';
import { tfidf } from './tfidf';
import { tokenize } from './tokenize';

/** What a session was about, from masked text only: its first prompts, its title, its tool targets. */
export interface TopicDoc {
  sessionId: string;
  texts: string[];
  /** File paths, search patterns, command lines the session's tools worked on. */
  toolTargets: string[];
  /** Its terms when a cache already tokenized texts and targets (the store keeps them per session). */
  tokens?: string[];
}

/** The terms of a topic document (tokenize over its texts, then its tool targets). */
export const termsOf = (d: TopicDoc): string[] =>
  d.tokens ?? [...d.texts.flatMap(tokenize), ...d.toolTargets.flatMap(tokenize)];

export interface Topic {
  /** The top three terms. */
  label: string;
  terms: string[];
  sessionIds: string[];
  costUsd: number | null;
  /** Sum of the sessions' first-to-last activity. */
  minutes: number;
}

export interface TopicResult {
  k: number;
  /** Mean silhouette of the chosen k (cosine distance); null when there was nothing to choose. */
  silhouette: number | null;
  topics: Topic[];
  /** Sessions with no usable terms (empty, or only masked text). */
  unclustered: string[];
}

export interface TopicOptions {
  seed?: number;
  /** Largest k tried (default 12, and at most √(n/2) + 1); k is chosen by the best silhouette, ties to the smaller k. */
  maxK?: number;
  /** Points the silhouette is measured on (an evenly spaced sample; default 400). */
  sample?: number;
  costOf?: (sessionId: string) => number | undefined;
  minutesOf?: (sessionId: string) => number;
}

/**
 * Groups sessions by topic: TF-IDF over their terms, spherical k-means (seeded), k by silhouette, each cluster
 * labelled by its centroid's top terms. Documents are sorted by session id first, so the row order never matters.
 */
export function topics(docs: readonly TopicDoc[], opts: TopicOptions = {}): TopicResult {
  const seed = opts.seed ?? 1;
  const sorted = [...docs].sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
  const tokens = sorted.map(termsOf);
  const model = tfidf(tokens);
  const usable = sorted.map((_, i) => i).filter((i) => model.vectors[i]!.idx.length > 0);
  const unclustered = sorted.filter((_, i) => model.vectors[i]!.idx.length === 0).map((d) => d.sessionId);
  const vectors = usable.map((i) => model.vectors[i]!);
  const dims = model.vocabulary.length;
  if (vectors.length === 0) return { k: 0, silhouette: null, topics: [], unclustered };

  let best = kmeans(vectors, dims, 1, seed);
  let bestScore: number | null = null;
  // Beyond about √(n/2) clusters short documents split into near-singletons, which silhouette rewards.
  const maxK = Math.min(opts.maxK ?? 12, Math.ceil(Math.sqrt(vectors.length / 2)) + 1, vectors.length - 1);
  const step = Math.max(1, Math.ceil(vectors.length / (opts.sample ?? 400)));
  const sampleIdx = vectors.map((_, i) => i).filter((i) => i % step === 0);
  const dist = distanceMatrix(sampleIdx.map((i) => vectors[i]!));
  for (let k = 2; k <= maxK; k++) {
    const c = kmeans(vectors, dims, k, seed);
    const score = silhouette(
      dist,
      sampleIdx.map((i) => c.assignment[i]!),
      k,
    );
    if (bestScore === null || score > bestScore + 1e-9) {
      best = c;
      bestScore = score;
    }
  }

  const out: Topic[] = [];
  for (let ci = 0; ci < best.k; ci++) {
    const members = usable.filter((_, j) => best.assignment[j] === ci).map((i) => sorted[i]!.sessionId);
    if (members.length === 0) continue;
    const centroid = best.centroids[ci]!;
    const terms = [...centroid.keys()]
      .filter((t) => centroid[t]! > 0)
      .sort((a, b) => centroid[b]! - centroid[a]! || (model.vocabulary[a]! < model.vocabulary[b]! ? -1 : 1))
      .slice(0, 8)
      .map((t) => model.vocabulary[t]!);
    let cost: number | null = null;
    let minutes = 0;
    for (const sid of members) {
      const c = opts.costOf?.(sid);
      if (c !== undefined) cost = (cost ?? 0) + c;
      minutes += opts.minutesOf?.(sid) ?? 0;
    }
    out.push({ label: terms.slice(0, 3).join(' · '), terms, sessionIds: members, costUsd: cost, minutes });
  }
  out.sort(
    (a, b) =>
      (b.costUsd ?? 0) - (a.costUsd ?? 0) ||
      b.sessionIds.length - a.sessionIds.length ||
      a.label.localeCompare(b.label),
  );
  return { k: best.k, silhouette: bestScore, topics: out, unclustered };
}
