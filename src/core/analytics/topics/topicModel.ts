import { addTo, kmeans, nearest, silhouette, type TermMajor } from './kmeans';
import { type SparseVector, type TermSpace, tfidf, vectorOf } from './tfidf';
import { type Topic, type TopicDoc, type TopicOptions, type TopicResult, termsOf } from './topicDoc';

/** Below this many documents every change reclusters: that is cheap, and each document moves a small set a lot. */
const MIN_INCREMENTAL = 200;

export interface TopicModelOptions extends Omit<TopicOptions, 'costOf' | 'minutesOf'> {
  /**
   * Documents added, changed or removed since the last full clustering, as a share of the documents it clustered,
   * beyond which update() clusters everything again (default 0.1): up to there the clusters it found still describe
   * the set (at 20,000 sessions, 2,000 new ones), and the new documents are only placed in them.
   */
  reclusterShare?: number;
}

export interface TopicUpdate {
  /** Everything was clustered again (else the changed documents were placed in the existing clusters). */
  full: boolean;
  added: number;
  changed: number;
  removed: number;
}

interface Entry {
  doc: TopicDoc;
  tokens: readonly string[];
  vector: SparseVector;
  /** Its cluster, or −1 when none of its terms is in the vocabulary (unclustered). */
  cluster: number;
  /** The last update() pass that met it. */
  pass: number;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sameTerms = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Topic clustering kept between refreshes (the analytics worker holds one). The first update() clusters everything
 * as topics() does: vocabulary and idf from the documents, k chosen by silhouette on a sample, k-means over all. Later
 * updates compare the documents with the last ones (by object, then by terms) and, while the documents added, changed
 * or removed since that clustering stay within `reclusterShare` of it, weigh only those in its frozen vocabulary and
 * idf and place each in its nearest centroid, updating the clusters' term sums (their labels) and member lists
 * instead of clustering again. The result depends on the documents of the last full clustering and the current ones,
 * not on the order of rows or of the updates in between.
 */
export class TopicModel {
  private readonly entries = new Map<string, Entry>();
  private space: TermSpace = { vocabulary: [], index: new Map(), idf: new Float64Array(0) };
  private k = 0;
  private score: number | null = null;
  /** The last full clustering's centroids (term-major), where later documents are placed. */
  private centroids: TermMajor = new Float64Array(0);
  /** Per cluster the sum of its members' vectors (term-major): its label's terms, current after every update. */
  private sums: TermMajor = new Float64Array(0);
  private baseSize = 0;
  private drift = 0;
  private clustered = false;
  private sortedIds: string[] | undefined;
  private pass = 0;
  /** What the last update() did, for benchmarks and diagnostics. */
  lastUpdate: TopicUpdate | undefined;

  constructor(private readonly opts: TopicModelOptions = {}) {}

  /** Brings the model to these documents: the whole current set, one per session, in any order. */
  update(docs: readonly TopicDoc[]): TopicUpdate {
    // Entries met in this pass carry its number: the others are gone, found without a second map of the documents.
    const pass = ++this.pass;
    let met = 0;
    const addedIds: string[] = [];
    let changed = 0;
    const fresh = new Map<string, { doc: TopicDoc; tokens: readonly string[] }>();
    for (const d of docs) {
      const sid = d.sessionId;
      const e = this.entries.get(sid);
      if (e && e.pass !== pass) {
        e.pass = pass;
        met++;
      }
      if (e?.doc === d) continue;
      const tokens = termsOf(d);
      if (e && sameTerms(e.tokens, tokens)) {
        e.doc = d;
        continue;
      }
      if (!fresh.has(sid)) {
        if (e) changed++;
        else addedIds.push(sid);
      }
      fresh.set(sid, { doc: d, tokens });
    }
    const gone: string[] = [];
    if (met < this.entries.size) for (const [sid, e] of this.entries) if (e.pass !== pass) gone.push(sid);
    const added = addedIds.length;
    const drift = this.drift + added + changed + gone.length;
    const full =
      !this.clustered ||
      this.k === 0 ||
      this.baseSize < MIN_INCREMENTAL ||
      drift > (this.opts.reclusterShare ?? 0.1) * this.baseSize;
    if (this.clustered && fresh.size === 0 && gone.length === 0) {
      this.lastUpdate = { full: false, added, changed, removed: 0 };
      return this.lastUpdate;
    }
    if (full) this.recluster(pass, fresh);
    else {
      for (const sid of gone) {
        const e = this.entries.get(sid)!;
        if (e.cluster >= 0) addTo(this.sums, this.k, e.cluster, e.vector, -1);
        this.entries.delete(sid);
      }
      const scratch = new Float64Array(this.k);
      // In session order, so the clusters' term sums (labels) come out the same whatever the row order.
      for (const sid of [...fresh.keys()].sort(byId)) {
        const { doc, tokens } = fresh.get(sid)!;
        const old = this.entries.get(sid);
        if (old && old.cluster >= 0) addTo(this.sums, this.k, old.cluster, old.vector, -1);
        const vector = vectorOf(this.space, tokens);
        const cluster = vector.idx.length === 0 ? -1 : nearest(vector, this.centroids, this.k, scratch);
        if (cluster >= 0) addTo(this.sums, this.k, cluster, vector, 1);
        this.entries.set(sid, { doc, tokens, vector, cluster, pass });
      }
      this.keepSorted(gone, addedIds);
      this.drift = drift;
    }
    this.lastUpdate = { full, added, changed, removed: gone.length };
    return this.lastUpdate;
  }

  /** The topics of the current documents, with cost and time per topic summed from these. */
  result(costOf?: (sessionId: string) => number | undefined, minutesOf?: (sessionId: string) => number): TopicResult {
    this.sortedIds ??= [...this.entries.keys()].sort(byId);
    const members: string[][] = Array.from({ length: this.k }, () => []);
    const unclustered: string[] = [];
    for (const sid of this.sortedIds) {
      const c = this.entries.get(sid)!.cluster;
      if (c < 0) unclustered.push(sid);
      else members[c]!.push(sid);
    }
    const out: Topic[] = [];
    members.forEach((sessionIds, c) => {
      if (sessionIds.length === 0) return;
      const terms = this.topTerms(c, 8);
      let cost: number | null = null;
      let minutes = 0;
      for (const sid of sessionIds) {
        const x = costOf?.(sid);
        if (x !== undefined) cost = (cost ?? 0) + x;
        minutes += minutesOf?.(sid) ?? 0;
      }
      out.push({ label: terms.slice(0, 3).join(' · '), terms, sessionIds, costUsd: cost, minutes });
    });
    out.sort(
      (a, b) =>
        (b.costUsd ?? 0) - (a.costUsd ?? 0) ||
        b.sessionIds.length - a.sessionIds.length ||
        a.label.localeCompare(b.label),
    );
    return { k: this.k, silhouette: this.score, topics: out, unclustered };
  }

  /** The session ids in order after these removals and additions (a few: a binary insertion each, not a sort). */
  private keepSorted(gone: readonly string[], added: readonly string[]): void {
    if (!this.sortedIds || added.length > 64) {
      this.sortedIds = undefined;
      return;
    }
    if (gone.length > 0) {
      const g = new Set(gone);
      this.sortedIds = this.sortedIds.filter((sid) => !g.has(sid));
    }
    for (const sid of added) {
      let lo = 0;
      let hi = this.sortedIds.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.sortedIds[mid]! < sid) lo = mid + 1;
        else hi = mid;
      }
      this.sortedIds.splice(lo, 0, sid);
    }
  }

  /** Cluster c's n heaviest terms (ties in vocabulary order), picked in one pass over the vocabulary. */
  private topTerms(c: number, n: number): string[] {
    const top: number[] = [];
    const w = (t: number) => this.sums[t * this.k + c]!;
    for (let t = 0; t < this.space.vocabulary.length; t++) {
      const x = w(t);
      if (x <= 0 || (top.length === n && x <= w(top[n - 1]!))) continue;
      let at = top.length;
      while (at > 0 && w(top[at - 1]!) < x) at--;
      top.splice(at, 0, t);
      if (top.length > n) top.pop();
    }
    return top.map((t) => this.space.vocabulary[t]!);
  }

  /**
   * Clusters every document: sorted by session id (row order never matters), TF-IDF, each k from 2 to maxK clustered
   * and scored by silhouette on an evenly spaced sample (silhouette and k-means over all 20,000 documents for every k
   * would take seconds), then the best k over all documents from the sample's centroids.
   */
  private recluster(pass: number, fresh: ReadonlyMap<string, { doc: TopicDoc; tokens: readonly string[] }>): void {
    const seed = this.opts.seed ?? 1;
    // The current documents: those met in this pass, in their new version where they changed.
    const current = new Map<string, { doc: TopicDoc; tokens: readonly string[] }>();
    for (const [sid, e] of this.entries) if (e.pass === pass) current.set(sid, e);
    for (const [sid, f] of fresh) current.set(sid, f);
    const sorted = [...current.keys()].sort(byId);
    const tokens = sorted.map((sid) => current.get(sid)!.tokens);
    const { space, vectors } = tfidf(tokens);
    this.space = space;
    const usable = vectors.filter((v) => v.idx.length > 0);
    const dims = this.space.vocabulary.length;
    this.k = 0;
    this.score = null;
    let assignment: Int32Array = new Int32Array(0);
    if (usable.length > 0) {
      const maxK = Math.min(this.opts.maxK ?? 12, Math.ceil(Math.sqrt(usable.length / 2)) + 1, usable.length - 1);
      const step = Math.max(1, Math.ceil(usable.length / (this.opts.sample ?? 2000)));
      const sample = step === 1 ? usable : usable.filter((_, i) => i % step === 0);
      let best = kmeans(sample, dims, 1, seed);
      for (let k = 2; k <= maxK && k < sample.length; k++) {
        const c = kmeans(sample, dims, k, seed);
        const score = silhouette(sample, c.assignment, k, dims);
        if (this.score === null || score > this.score + 1e-9) {
          best = c;
          this.score = score;
        }
      }
      const all = sample === usable ? best : kmeans(usable, dims, best.k, seed, { init: best.centroids });
      this.k = all.k;
      this.centroids = all.centroids;
      assignment = all.assignment;
    }
    this.entries.clear();
    this.sums = new Float64Array(dims * this.k);
    let u = 0;
    sorted.forEach((sid, i) => {
      const vector = vectors[i]!;
      const cluster = vector.idx.length === 0 ? -1 : assignment[u++]!;
      if (cluster >= 0) addTo(this.sums, this.k, cluster, vector, 1);
      this.entries.set(sid, { doc: current.get(sid)!.doc, tokens: tokens[i]!, vector, cluster, pass });
    });
    this.sortedIds = sorted;
    this.baseSize = sorted.length;
    this.drift = 0;
    this.clustered = true;
  }
}
