import assert from 'node:assert/strict';
import fc from 'fast-check';
import { silhouette } from '../../../src/core/analytics/topics/kmeans';
import { tfidf } from '../../../src/core/analytics/topics/tfidf';
import { TopicModel } from '../../../src/core/analytics/topics/topicModel';
import { type TopicDoc, type TopicResult, topics } from '../../../src/core/analytics/topics/topics';
import { mulberry32 } from '../../../src/core/random/mulberry32';

/**
 * Six labelled groups of prompts in English, Japanese and code identifiers: each prompt mostly its group's words, a
 * third from a pool every group shares. Enough documents (hundreds) for the incremental path to apply.
 */
const GROUP_WORDS: string[][] = [
  'database migration schema table column index rollback ordersTable データベース マイグレーション スキーマ 索引',
  'login button css theme colour dark layout loginPage ログイン ボタン テーマ 画面',
  'parser tokenizer lexer grammar syntax token parserSpec パーサー 構文 字句 文法 解析',
  'invoice billing payment stripe refund receipt chargeCard 請求 決済 返金 領収書 支払',
  'docker deploy kubernetes cluster helm container deployProd デプロイ コンテナ 本番 環境 構成',
  'upload image thumbnail resize crop storage imageResizer 画像 縮小 保存 容量 形式',
].map((g) => g.split(' '));
const SHARED = 'fix update check error issue change file code review failing broken add remove 修正 確認 追加'.split(
  ' ',
);

function labelled(n: number, seed: number, prefix = 's'): { docs: TopicDoc[]; truth: Map<string, number> } {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const docs: TopicDoc[] = [];
  const truth = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const g = Math.floor(rnd() * GROUP_WORDS.length);
    const words = Array.from({ length: 5 + Math.floor(rnd() * 6) }, () =>
      rnd() < 0.67 ? pick(GROUP_WORDS[g]!) : pick(SHARED),
    );
    // Japanese words separated by particles, as a prompt would have them (they would merge otherwise).
    const sessionId = `${prefix}-${String(i).padStart(5, '0')}-${Math.floor(rnd() * 1e9).toString(36)}`;
    docs.push({ sessionId, texts: [words.join(rnd() < 0.5 ? ' ' : 'を ')], toolTargets: [] });
    truth.set(sessionId, g);
  }
  return { docs, truth };
}

function purity(r: TopicResult, truth: Map<string, number>): number {
  let right = 0;
  let all = 0;
  for (const t of r.topics) {
    const counts = new Map<number, number>();
    for (const s of t.sessionIds) counts.set(truth.get(s)!, (counts.get(truth.get(s)!) ?? 0) + 1);
    right += Math.max(...counts.values());
    all += t.sessionIds.length;
  }
  return right / all;
}

/**
 * Share of documents on which two clusterings agree up to splits and merges: a document agrees when its topic in b
 * holds most of its topic in a, or its topic in a holds most of its topic in b (a topic one side split in two agrees).
 */
function agreement(a: TopicResult, b: TopicResult, only?: (sid: string) => boolean): number {
  const topicOf = (r: TopicResult) => {
    const m = new Map<string, number>();
    r.topics.forEach((t, i) => {
      for (const s of t.sessionIds) m.set(s, i);
    });
    return m;
  };
  const [inA, inB] = [topicOf(a), topicOf(b)];
  /** For each topic of `from`, the topic of `to` most of its members are in. */
  const majority = (from: TopicResult, to: Map<string, number>) =>
    from.topics.map((t) => {
      const counts = new Map<number, number>();
      for (const s of t.sessionIds) counts.set(to.get(s) ?? -1, (counts.get(to.get(s) ?? -1) ?? 0) + 1);
      return [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]![0];
    });
  const [aToB, bToA] = [majority(a, inB), majority(b, inA)];
  let same = 0;
  let all = 0;
  for (const [s, ta] of inA) {
    if (only && !only(s)) continue;
    const tb = inB.get(s) ?? -1;
    all++;
    if (aToB[ta] === tb || (tb >= 0 && bToA[tb] === ta)) same++;
  }
  return same / all;
}

const canon = (r: TopicResult) => r.topics.map((t) => `${t.label}:${[...t.sessionIds].sort().join(',')}`).sort();

describe('analytics: topics kept between refreshes (TopicModel)', () => {
  const base = labelled(600, 1);
  const extra = labelled(30, 2, 'new');
  const truth = new Map([...base.truth, ...extra.truth]);

  it('clusters the labelled groups at scale, choosing k on a sample (purity ≥ 0.9)', () => {
    const r = topics(base.docs, { seed: 3, sample: 150 });
    const shown = r.topics.map((t) => `${t.label} (${t.sessionIds.length})`).join(' / ');
    assert.ok(r.k >= 6 && r.k <= 8, `k ${r.k}: ${shown}`);
    assert.ok(purity(r, base.truth) >= 0.9, `purity ${purity(r, base.truth)}: ${shown}`);
  });

  it('places a few new documents in the kept clusters, agreeing with a full recluster on most documents', () => {
    const all = [...base.docs, ...extra.docs];
    for (const seed of [1, 2, 3, 4, 5]) {
      const model = new TopicModel({ seed });
      assert.equal(model.update(base.docs).full, true);
      assert.deepEqual(model.update(all), { full: false, added: 30, changed: 0, removed: 0 });
      const kept = model.result();
      const full = topics(all, { seed });
      const a = agreement(kept, full);
      const onNew = agreement(kept, full, (s) => s.startsWith('new-'));
      assert.ok(a >= 0.95 && onNew >= 0.9, `seed ${seed}: agreement ${a}, on the new documents ${onNew}`);
      assert.ok(purity(kept, truth) >= 0.9, `seed ${seed}: purity ${purity(kept, truth)}`);
      assert.equal(kept.topics.reduce((n, t) => n + t.sessionIds.length, 0) + kept.unclustered.length, all.length);
    }
  });

  it('reclusters fully once the changes since the last full clustering pass the share, and follows removals', () => {
    const model = new TopicModel({ seed: 3, reclusterShare: 0.1 });
    model.update(base.docs);
    // 30 added, then 30 removed: 60 changes of 600 is 10 %, not beyond it.
    model.update([...base.docs, ...extra.docs]);
    assert.deepEqual(model.update(base.docs), { full: false, added: 0, changed: 0, removed: 30 });
    assert.deepEqual(
      model
        .result()
        .topics.flatMap((t) => t.sessionIds)
        .filter((s) => s.startsWith('new-')),
      [],
    );
    // A changed document (same session, other text) counts once more: 61 > 60.
    const changed = base.docs.map((d, i) => (i === 0 ? { ...d, texts: ['rollback the orders migration'] } : d));
    assert.deepEqual(model.update(changed), { full: true, added: 0, changed: 1, removed: 0 });
    // Nothing new: nothing to do; an equal document (another object, same terms) is not a change.
    assert.deepEqual(model.update(changed.map((d) => ({ ...d }))), { full: false, added: 0, changed: 0, removed: 0 });
  });

  it('gives the same result whatever the row order of each update, k chosen on a sample (property)', () => {
    const twoUpdates = (first: readonly TopicDoc[], second: readonly TopicDoc[]) => {
      const m = new TopicModel({ seed: 5, sample: 150 }); // k chosen on a sample, then all clustered from it
      m.update(first);
      m.update(second);
      return canon(m.result());
    };
    const all = [...base.docs, ...extra.docs];
    const expected = twoUpdates(base.docs, all);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(base.docs, { minLength: base.docs.length, maxLength: base.docs.length }),
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        (first, second) => {
          assert.deepEqual(twoUpdates(first, second), expected);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('measures the silhouette exactly without a pairwise matrix (property)', () => {
    const bruteForce = (docs: readonly string[][], assignment: number[], k: number) => {
      const { vectors } = tfidf(docs);
      const dot = (i: number, j: number) => {
        let s = 0;
        vectors[i]!.idx.forEach((t, a) => {
          const b = vectors[j]!.idx.indexOf(t);
          if (b >= 0) s += vectors[i]!.val[a]! * vectors[j]!.val[b]!;
        });
        return s;
      };
      let sum = 0;
      for (let i = 0; i < docs.length; i++) {
        const total = new Array<number>(k).fill(0);
        const count = new Array<number>(k).fill(0);
        for (let j = 0; j < docs.length; j++)
          if (j !== i) {
            total[assignment[j]!]! += 1 - dot(i, j);
            count[assignment[j]!]!++;
          }
        const own = assignment[i]!;
        if (count[own] === 0) continue;
        const a = total[own]! / count[own]!;
        let b = Number.POSITIVE_INFINITY;
        for (let c = 0; c < k; c++) if (c !== own && count[c]! > 0) b = Math.min(b, total[c]! / count[c]!);
        if (Number.isFinite(b)) sum += (b - a) / Math.max(a, b, 1e-12);
      }
      return { value: sum / docs.length, vectors };
    };
    const word = fc.constantFrom('a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7');
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 5 }), { minLength: 4, maxLength: 9 }),
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
        (docs, k, raw) => {
          const assignment = docs.map((_, i) => raw[i]! % k);
          const { value, vectors } = bruteForce(docs, assignment, k);
          if (vectors.some((v) => v.idx.length === 0) || docs.length <= k) return;
          const dims = Math.max(...vectors.flatMap((v) => [...v.idx])) + 1;
          assert.ok(Math.abs(silhouette(vectors, assignment, k, dims) - value) < 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});
