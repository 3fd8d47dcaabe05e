import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokenize } from '../../../src/core/analytics/topics/tokenize';
import { type TopicDoc, topics } from '../../../src/core/analytics/topics/topics';

/** Three labelled groups in English, Japanese, code identifiers and mixes of them. */
const GROUPS: Record<string, string[]> = {
  db: [
    'add a database migration for the users table',
    'データベースのマイグレーションを追加して',
    'the migration fails on the orders table, fix the database schema',
    'write migrateUsersTable in db/migrations/002_users.sql',
    'usersテーブルのマイグレーションが失敗する、データベーススキーマを直して',
    'rollback the last database migration and rerun it',
  ],
  css: [
    'ログイン画面のCSSを修正',
    'the login page button styles are broken in dark mode css',
    'ボタンのスタイルをダークモードで直して、CSSの色がおかしい',
    'update loginPage.module.css so the button colour matches the theme',
    'ログイン画面のボタンの色をテーマに合わせる',
    'dark mode theme colours for the login screen css',
  ],
  tests: [
    'the unit tests in parserSpec fail after the tokenizer change',
    'パーサーのユニットテストが失敗する',
    'fix failing test parser_tokenizer_test.ts expected token count',
    'テストが落ちる: tokenizer のパーサー',
    'add unit tests for the parser tokenizer edge cases',
    'run the parser test suite and fix the failing unit test',
  ],
};

/** What each group's tools touched: sessions about the same thing open the same files, in any language. */
const TARGETS: Record<string, string[]> = {
  db: ['db/migrations/002_users.sql', 'npm run migrate'],
  css: ['src/ui/loginPage.module.css'],
  tests: ['test/parser/tokenizer.test.ts', 'npm test -- parser'],
};

function docs(): { docs: TopicDoc[]; truth: Map<string, string> } {
  const truth = new Map<string, string>();
  const out: TopicDoc[] = [];
  for (const [group, texts] of Object.entries(GROUPS))
    texts.forEach((t, i) => {
      const sessionId = `${group}-${i}`;
      truth.set(sessionId, group);
      out.push({ sessionId, texts: [t], toolTargets: TARGETS[group]! });
    });
  return { docs: out, truth };
}

/** Share of sessions whose topic's majority group is their own group. */
function purity(result: ReturnType<typeof topics>, truth: Map<string, string>): number {
  let right = 0;
  let all = 0;
  for (const t of result.topics) {
    const counts = new Map<string, number>();
    for (const s of t.sessionIds) counts.set(truth.get(s)!, (counts.get(truth.get(s)!) ?? 0) + 1);
    right += Math.max(...counts.values());
    all += t.sessionIds.length;
  }
  return right / all;
}

describe('analytics: topics (TF-IDF, seeded k-means, k by silhouette)', () => {
  it('tokenizes English, code identifiers and Japanese, and drops mask tags', () => {
    assert.deepEqual(tokenize('Fix the failing tests in src/core/foo_bar.ts'), [
      'fix',
      'fail',
      'test',
      'src',
      'core',
      'foo',
      'bar',
    ]);
    assert.deepEqual(tokenize('getUserName HTTPServer'), ['user', 'name', 'http', 'server']);
    assert.deepEqual(tokenize('データベースのマイグレーションを追加して'), [
      'データベース',
      'マイグレーション',
      '追加',
    ]);
    assert.deepEqual(tokenize('token «ghp_…github_token:303de14c» [REDACTED:password:3c84cae3]'), ['token']);
  });

  it('Japanese, English and mixed prompts cluster by what they are about (purity ≥ 0.8), labelled by their terms', () => {
    const { docs: d, truth } = docs();
    const r = topics(d, { seed: 7 });
    const shown = r.topics.map((t) => `${t.label} [${t.sessionIds.join(' ')}]`).join(' / ');
    assert.ok(r.k >= 3 && r.k <= 4, `k by silhouette: ${shown}`);
    const p = purity(r, truth);
    assert.ok(p >= 0.8, `purity ${p}: ${shown}`);
    const labels = r.topics.map((t) => t.terms.join(' '));
    assert.ok(
      labels.some((l) => /migration|マイグレーション|database/.test(l)),
      labels.join(' / '),
    );
    assert.ok(
      labels.some((l) => /css|login|ログイン/.test(l)),
      labels.join(' / '),
    );
    assert.ok(
      labels.some((l) => /test|parser|パーサー/.test(l)),
      labels.join(' / '),
    );
  });

  it('is deterministic for a seed and stable under row order (property)', () => {
    const { docs: d } = docs();
    const canon = (r: ReturnType<typeof topics>) =>
      r.topics.map((t) => [t.label, [...t.sessionIds].sort().join(',')].join(':')).sort();
    const base = canon(topics(d, { seed: 3 }));
    fc.assert(
      fc.property(fc.shuffledSubarray(d, { minLength: d.length, maxLength: d.length }), (shuffled) => {
        assert.deepEqual(canon(topics(shuffled, { seed: 3 })), base);
      }),
      { numRuns: 25 },
    );
  });

  it('sums cost and time per topic; sessions without usable terms are listed apart', () => {
    const { docs: d } = docs();
    const r = topics([...d, { sessionId: 'masked-only', texts: ['«ghp_…x»'], toolTargets: [] }], {
      seed: 7,
      costOf: (sid) => (sid.startsWith('db') ? 1 : sid.startsWith('css') ? 0.5 : undefined),
      minutesOf: () => 10,
    });
    assert.deepEqual(r.unclustered, ['masked-only']);
    const total = r.topics.reduce((n, t) => n + (t.costUsd ?? 0), 0);
    assert.equal(total, 6 * 1 + 6 * 0.5);
    assert.equal(
      r.topics.reduce((n, t) => n + t.minutes, 0),
      18 * 10,
    );
    assert.deepEqual(topics([], {}), { k: 0, silhouette: null, topics: [], unclustered: [] });
  });
});
