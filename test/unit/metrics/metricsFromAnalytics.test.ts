/**
 * The Metrics view's DTO is analytics' output, reshaped: on a store scanned from the real-CLI fixtures, every
 * number metrics/get returns equals what computeAnalytics computes from the same store, and what `cct insights
 * --json` prints. Cost per branch and per pull request comes from the store's code-context tables.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeAnalytics } from '../../../src/core/analytics/analytics';
import { costByCodeContext } from '../../../src/core/analytics/codeContextCost';
import { rangeStartMs } from '../../../src/core/metrics/metricsRange';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { LocalCalendar } from '../../../src/core/reports/timeBuckets';
import { StoreAnalyticsSource } from '../../../src/infra/sqlite/analyticsSource';
import { Store } from '../../../src/infra/sqlite/store';
import { MAX_LISTED_SESSIONS, MetricsReportSchema } from '../../../src/shared/protocol';
import { metricsFromStore } from '../../../src/vscode/dashboard/metricsFromStore';
import { runCct } from '../../helpers/cct';
import { CLI_TREE, ids } from '../fixtures/expected';

const prices = PriceTable.builtin();
// the fixtures were recorded at 2026-11-28T23:40Z; "now" is 20 minutes later, inside their 5-hour block
const NOW = Date.parse('2026-11-29T00:00:00Z');
const close = (a: number | null | undefined, b: number | null | undefined, msg: string) =>
  assert.ok(
    (a == null && b == null) || (a != null && b != null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))),
    `${msg}: ${a} ≉ ${b}`,
  );

describe('metrics/get from analytics (real-CLI fixtures)', () => {
  let tmp = '';
  let db = '';
  let store: Store;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-metrics-an-'));
    db = path.join(tmp, 'store.db');
    const r = await runCct(['scan', '--root', CLI_TREE, '--db', db, '--json'], { HOME: os.tmpdir() });
    assert.equal(r.code, 0, r.err);
    store = await Store.open(db);
  });
  after(() => {
    store?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const report = async (tz = 'UTC', weekStartsOn: 0 | 1 = 1) =>
    MetricsReportSchema.parse(
      await metricsFromStore(store, { range: '30d', timeZone: tz, weekStartsOn, nowMs: NOW, prices }),
    );
  const analytics = (tz = 'UTC', weekStartsOn: 0 | 1 = 1) => {
    const cal = new LocalCalendar(tz, { weekStartsOn });
    const sinceMs = rangeStartMs('30d', cal, NOW);
    return computeAnalytics(new StoreAnalyticsSource(store.db, prices), {
      prices,
      timeZone: tz,
      weekStartsOn,
      now: NOW,
      filter: { sinceMs },
      days: { from: cal.date(sinceMs!), to: cal.date(NOW) },
    });
  };

  it('blocks, efficiency, series, topics and insights are analytics’ numbers', async () => {
    const m = await report();
    const a = await analytics();
    // 5-hour blocks: the fixtures' one block is active 20 minutes after it, with its burn rate and projection
    assert.equal(m.blocks.recent.length, a.blocks.length);
    const active = a.blocks.find((b) => b.active)!;
    assert.ok(active, 'an active block');
    assert.ok(m.blocks.active);
    assert.equal(m.blocks.active.startMs, active.startMs);
    assert.equal(m.blocks.active.totalTokens, active.totalTokens);
    close(m.blocks.active.costUsd, active.costUsd, 'block cost');
    close(m.blocks.active.burnCostPerHour, active.burn!.costPerHour, 'burn $/h');
    close(m.blocks.active.projectedCostUsd, active.projection!.costUsd, 'projection');
    assert.ok(m.blocks.active.projectedCostUsd! > m.blocks.active.costUsd!);
    // efficiency
    const e = a.efficiency;
    close(m.cache.hitRatio, e.cacheHitRatio, 'cache hit ratio');
    close(m.cache.netSavedUsd, e.cacheSavings.netSavedUsd, 'saved');
    close(m.efficiency.costPerPrompt, e.costPerPrompt, 'cost per prompt');
    close(m.efficiency.tokensPerPrompt, e.tokensPerPrompt, 'tokens per prompt');
    close(m.efficiency.subagentCostShare, e.subagentCostShare, 'subagent share');
    assert.equal(m.efficiency.retries, e.retries);
    assert.equal(m.efficiency.userPrompts, e.userPrompts);
    // the compact fixture's /compact; per-turn latency where the rows have times
    assert.deepEqual(
      [m.efficiency.compactionSessions, m.efficiency.compactions, m.efficiency.compactionSessionShare],
      [e.compaction!.sessions, e.compaction!.compactions, e.compaction!.shareOfSessions],
    );
    assert.equal(m.efficiency.compactionSessions, 1);
    close(m.efficiency.compactionCostUsd, e.compaction!.costUsd, 'compacted sessions cost');
    close(m.efficiency.compactionCostShare, e.compaction!.shareOfCost, 'compacted sessions share of cost');
    assert.deepEqual(
      [m.efficiency.timedTurns, m.efficiency.medianTurnMs, m.efficiency.p90TurnMs],
      [e.timedTurns, e.medianTurnMs, e.p90TurnMs],
    );
    assert.ok(m.efficiency.timedTurns > 0 && m.efficiency.medianTurnMs !== null);
    assert.ok(!m.efficiency.notComputed.some((x) => /compaction|turn/.test(x)));
    assert.deepEqual(
      Object.fromEntries(m.tools.map((t) => [t.tool, [t.calls, t.errors, t.retries]])),
      Object.fromEntries(e.tools.map((t) => [t.tool, [t.calls, t.errors, t.retries]])),
    );
    // time series: every day of the range, the fixtures' day with their cost; no anomaly on a first day
    assert.equal(m.series.daily.length, 30);
    assert.deepEqual(
      m.series.daily.map((d) => [d.date, d.costUsd, d.rolling7CostUsd, d.rolling28CostUsd]),
      a.daily.map((d) => [d.date, d.costUsd, d.rolling7CostUsd, d.rolling28CostUsd]),
    );
    close(m.series.daily.find((d) => d.date === '2026-11-28')!.costUsd, a.totals.costUsd, 'day cost');
    assert.deepEqual(m.series.anomalies, []);
    // topics: the same clusters, with their cost and sessions
    const topics = m.topics;
    assert.ok(a.topics && topics);
    assert.equal(topics.items.length, a.topics.topics.length);
    for (const [i, t] of a.topics.topics.entries()) {
      const x: (typeof topics.items)[number] = topics.items[i]!;
      assert.equal(x.label, t.label);
      assert.equal(x.sessions, t.sessionIds.length);
      assert.deepEqual([...x.sessionIds].sort(), [...t.sessionIds].sort().slice(0, MAX_LISTED_SESSIONS));
      close(x.costUsd, t.costUsd, `topic ${t.label}`);
    }
    // insights: same order, kinds and evidence; each named session has a label (its masked first prompt)
    assert.deepEqual(
      m.insights.map((i) => [i.kind, i.severity, i.message, [...i.sessionIds].sort()]),
      a.insights.map((i) => [i.kind, i.severity, i.message, [...i.evidence.sessionIds].sort()]),
    );
    assert.ok(m.insights.some((i) => i.kind === 'failing_tool' || i.kind === 'expensive_session'));
    for (const id of [...m.insights.flatMap((i) => i.sessionIds), ...topics.items.flatMap((t) => t.sessionIds)])
      assert.ok(m.sessionLabels[id], `label of ${id}`);
    assert.equal(m.weekStartsOn, 1);
  });

  it('equals `cct insights --json` over the same store (one implementation)', async () => {
    const r = await runCct(['insights', '--db', db, '--json', '--tz', 'UTC', '--since', '2026-10-31'], {
      HOME: os.tmpdir(),
    });
    assert.equal(r.code, 0, r.err);
    const cli = JSON.parse(r.out);
    const m = await report();
    close(m.totals.costUsd, cli.totals.costUsd, 'total cost');
    assert.equal(m.totals.tokens.total, cli.totals.totalTokens);
    close(m.cache.hitRatio, cli.efficiency.cacheHitRatio, 'cache ratio');
    assert.deepEqual(
      m.insights.map((i) => i.message),
      cli.insights.map((i: { message: string }) => i.message),
    );
    assert.deepEqual(
      m.topics?.items.map((t) => t.label),
      cli.topics.map((t: { label: string }) => t.label),
    );
  });

  it('the week start and zone come from the options: heatmap, weekly series', async () => {
    const sun = await report('Asia/Tokyo', 0);
    assert.equal(sun.weekStartsOn, 0);
    assert.equal(sun.timeZone, 'Asia/Tokyo');
    // Saturday 23:40 UTC is Sunday 08:40 in Tokyo; a week starting Sunday begins that very day
    assert.deepEqual(
      sun.series.weekly.map((w) => w.week),
      ['2026-11-29'],
    );
    const mon = await report('Asia/Tokyo', 1);
    assert.deepEqual(
      mon.series.weekly.map((w) => w.week),
      ['2026-11-23'],
    );
    assert.ok(sun.heatmap.some((c) => c.weekday === 0 && c.hour === 8 && c.apiMessages > 0));
  });

  it('cost per branch and per pull request from the code-context tables; none without them', async () => {
    const before = await report();
    assert.deepEqual(before.codeContext, { sessions: 0, branches: [], pullRequests: [] });
    const cc = store.codeContext;
    const ctx = (branch: string, sha: string) => ({
      repoRoot: '/tmp/cct-fixture-home/work/alpha',
      worktree: null,
      remoteUrl: null,
      branch,
      headStart: null,
      headEnd: sha,
      commits: [{ sha, subject: 'a change', authoredAt: '2026-11-28T23:41:00Z' }],
      linesAdded: 1,
      linesRemoved: 0,
      missing: false,
      githubRepo: 'acme/alpha',
    });
    const pending = (sessionId: string) => ({ sessionId, projectPath: null, gitBranch: null, firstTs: 0, lastTs: 0 });
    cc.saveGitContext(pending(ids.tools!), ctx('feature/x', 'a'.repeat(40)) as never);
    cc.saveGitContext(pending(ids.fail!), ctx('feature/x', 'b'.repeat(40)) as never);
    cc.saveGitContext(pending(ids.agent!), ctx('main', 'c'.repeat(40)) as never);
    const pr = (n: number) =>
      JSON.stringify([{ number: n, title: `PR ${n}`, state: 'open', url: `https://github.com/acme/alpha/pull/${n}` }]);
    cc.savePulls({ repo: 'acme/alpha', sha: 'a'.repeat(40), etag: null }, pr(7), null, NOW);
    cc.savePulls({ repo: 'acme/alpha', sha: 'b'.repeat(40), etag: null }, pr(7), null, NOW);
    try {
      const m = await report();
      const a = await analytics();
      const cost = new Map(a.bySession.map((s) => [s.key, s.costUsd]));
      assert.equal(m.codeContext.sessions, 3);
      const x = m.codeContext.branches.find((b) => b.branch === 'feature/x')!;
      assert.equal(x.sessions, 2);
      close(x.costUsd, cost.get(ids.tools!)! + cost.get(ids.fail!)!, 'feature/x cost');
      const main = m.codeContext.branches.find((b) => b.branch === 'main')!;
      close(main.costUsd, cost.get(ids.agent!)!, 'main cost');
      assert.equal(m.codeContext.pullRequests.length, 1);
      const p = m.codeContext.pullRequests[0]!;
      assert.equal(p.number, 7);
      assert.equal(p.sessions, 2);
      assert.deepEqual(p.sessionIds, [ids.tools!, ids.fail!].sort());
      close(p.costUsd, x.costUsd, 'PR cost');
    } finally {
      store.db.prepare('DELETE FROM session_git').run();
      store.db.prepare('DELETE FROM github_commit_prs').run();
    }
  });
});

describe('costByCodeContext', () => {
  const t = (key: string, costUsd: number | null, totalTokens: number) => ({
    key,
    costUsd,
    totalTokens,
    apiMessages: 1,
    input: 0,
    output: 0,
    cacheCreation: 0,
    cacheRead: 0,
    unpricedTokens: costUsd === null ? totalTokens : 0,
  });
  it('a session in two PRs counts in each; unpriced sessions add tokens, not $0; sessions without a repo are out', () => {
    const prs = [
      { number: 1, title: 'one', state: 'merged', url: 'u1' },
      { number: 2, title: 'two', state: 'open', url: 'u2' },
    ];
    const r = costByCodeContext([t('a', 2, 10), t('b', null, 5), t('c', 1, 1)], (sid) =>
      sid === 'c' ? undefined : { repoRoot: '/r', branch: 'dev', pullRequests: sid === 'a' ? prs : [prs[0]!] },
    );
    assert.equal(r.sessions, 2);
    assert.deepEqual(r.branches, [{ repo: '/r', branch: 'dev', sessions: 2, tokens: 15, costUsd: 2 }]);
    assert.deepEqual(
      r.pullRequests.map((p) => [p.number, p.sessions, p.tokens, p.costUsd, p.sessionIds]),
      [
        [1, 2, 15, 2, ['a', 'b']],
        [2, 1, 10, 2, ['a']],
      ],
    );
  });
});
