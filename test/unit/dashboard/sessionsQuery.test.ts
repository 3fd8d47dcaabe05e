import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { listSessions } from '../../../src/core/sessions/listSessions';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import {
  explainSessionsPage,
  type SessionListRow,
  type SessionSortKey,
  type SessionsQuery,
} from '../../../src/infra/sqlite/sessionsQuery';
import { Store } from '../../../src/infra/sqlite/store';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';
import { fillGeneratedStore, GEN_BASE_MS } from '../../helpers/generatedDashboardStore';

const LIVE = { now: Date.UTC(2030, 0, 1), liveWindowMs: 5 * 60_000 };

const sortValue: Record<SessionSortKey, (r: SessionListRow) => number | null> = {
  time: (r) => r.startMs,
  cost: (r) => r.costUsd,
  tokens: (r) => r.tokens.input + r.tokens.output + r.tokens.cacheWrite + r.tokens.cacheRead,
  duration: (r) => r.durationMs,
};

function allPages(store: Store, q: Omit<SessionsQuery, 'offset' | 'limit'>, pageSize: number) {
  const rows: SessionListRow[] = [];
  let total = -1;
  for (let offset = 0; ; offset += pageSize) {
    const page = store.querySessions({ ...q, offset, limit: pageSize });
    if (total === -1) total = page.total;
    else assert.equal(page.total, total, 'total is stable across pages');
    rows.push(...page.rows);
    if (page.rows.length < pageSize) break;
  }
  return { rows, total };
}

/** Sorted by key in dir, unknown values last, ties by session id in the same direction. */
function assertOrdered(rows: SessionListRow[], by: SessionSortKey, dir: 'asc' | 'desc') {
  const sign = dir === 'asc' ? 1 : -1;
  for (let i = 1; i < rows.length; i++) {
    const a = sortValue[by](rows[i - 1]!);
    const b = sortValue[by](rows[i]!);
    const where = `${by} ${dir} at ${i}: ${rows[i - 1]!.sessionId}=${a} then ${rows[i]!.sessionId}=${b}`;
    if (a === null) {
      assert.equal(b, null, `unknown values go last (${where})`);
      continue;
    }
    if (b === null) continue;
    if (a === b) assert.ok(sign * rows[i - 1]!.sessionId.localeCompare(rows[i]!.sessionId) < 0, where);
    else assert.ok(sign * (b - a) > 0, where);
  }
}

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`dashboard session queries on the real-CLI fixtures (${backend})`, function () {
    this.timeout(60_000);
    let dir: string;
    let store: Store;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-'));
      store = await fixtureStore(dir, backend);
    });
    after(() => {
      store?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the scan left every session with current stats', () => {
      assert.equal(store.staleSessionStats(), 0);
    });

    it('stored figures equal listSessions over the whole ledger (the `cct sessions` numbers)', () => {
      const expected = new Map(listSessions(store, PriceTable.builtin()).map((s) => [s.sessionId, s]));
      const { rows, total } = allPages(store, { filters: {}, sort: { by: 'time', dir: 'asc' }, ...LIVE }, 5);
      assert.equal(total, expected.size);
      assert.equal(rows.length, expected.size);
      for (const r of rows) {
        const e = expected.get(r.sessionId)!;
        assert.equal(r.turns, e.userPrompts, r.sessionId);
        assert.equal(r.apiMessages, e.apiMessages);
        assert.deepEqual(
          {
            input: r.tokens.input,
            output: r.tokens.output,
            cacheCreation: r.tokens.cacheWrite,
            cacheRead: r.tokens.cacheRead,
          },
          e.tokens,
        );
        assert.equal(r.costUsd, e.costUsd);
        assert.deepEqual(r.models, e.models);
        assert.deepEqual(r.unpricedModels, e.unpricedModels);
        assert.equal(r.claudeCostUsd, e.claudeCostUsd);
        assert.equal(
          r.toolCalls,
          Object.values(e.toolCalls).reduce((a, b) => a + b, 0),
        );
      }
    });

    it('sorts by every key both ways, pages without gaps or repeats', () => {
      for (const by of ['time', 'cost', 'tokens', 'duration'] as SessionSortKey[])
        for (const dir of ['asc', 'desc'] as const) {
          const { rows, total } = allPages(store, { filters: {}, sort: { by, dir }, ...LIVE }, 3);
          assert.equal(rows.length, total);
          assert.equal(new Set(rows.map((r) => r.sessionId)).size, total);
          assertOrdered(rows, by, dir);
        }
    });

    it('filters by project, model and errors; first prompt is masked and on one line', () => {
      const all = allPages(store, { filters: {}, sort: { by: 'time', dir: 'desc' }, ...LIVE }, 50).rows;
      const alpha = store.querySessions({
        filters: { project: 'WORK/ALPHA' },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 50,
        ...LIVE,
      });
      assert.ok(alpha.total > 0 && alpha.total < all.length);
      assert.deepEqual(
        alpha.rows.map((r) => r.sessionId).sort(),
        all
          .filter((r) => r.projectPath?.toLowerCase().includes('work/alpha'))
          .map((r) => r.sessionId)
          .sort(),
      );
      const haiku = store.querySessions({
        filters: { model: 'claude-haiku-5-5' },
        sort: { by: 'cost', dir: 'desc' },
        offset: 0,
        limit: 50,
        ...LIVE,
      });
      assert.ok(haiku.total > 0);
      assert.deepEqual(
        haiku.rows.map((r) => r.sessionId).sort(),
        all
          .filter((r) => r.models.includes('claude-haiku-5-5'))
          .map((r) => r.sessionId)
          .sort(),
      );
      const failed = store.querySessions({
        filters: { hasErrors: true },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 50,
        ...LIVE,
      });
      assert.ok(failed.total > 0, 'the fail scenario has failed tool calls');
      assert.ok(failed.rows.every((r) => r.errors > 0));
      assert.equal(
        failed.total +
          store.querySessions({
            filters: { hasErrors: false },
            sort: { by: 'time', dir: 'desc' },
            offset: 0,
            limit: 1,
            ...LIVE,
          }).total,
        all.length,
      );
      const tools = all.find((r) => r.firstPrompt?.startsWith('SCENARIO:tools'))!;
      assert.ok(
        !tools.firstPrompt!.includes('ghp_A') && tools.firstPrompt!.includes('«ghp_…github_token'),
        tools.firstPrompt!,
      );
      assert.ok(!/\n/.test(tools.firstPrompt!));
      assert.ok(tools.findings > 0);
    });

    it('status live / ended follows the window and the live registry ids', () => {
      const all = allPages(store, { filters: {}, sort: { by: 'time', dir: 'desc' }, ...LIVE }, 50).rows;
      const newest = all[0]!;
      const now = newest.endMs! + 60_000;
      const live = store.querySessions({
        filters: { status: 'live' },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 50,
        now,
        liveWindowMs: 5 * 60_000,
      });
      assert.ok(live.rows.some((r) => r.sessionId === newest.sessionId) && live.rows.every((r) => r.live));
      const registry = store.querySessions({
        filters: { status: 'live' },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 50,
        ...LIVE,
        liveIds: [all[3]!.sessionId],
      });
      assert.deepEqual(
        registry.rows.map((r) => r.sessionId),
        [all[3]!.sessionId],
      );
      const ended = store.querySessions({
        filters: { status: 'ended' },
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 50,
        ...LIVE,
        liveIds: [all[3]!.sessionId],
      });
      assert.equal(ended.total, all.length - 1);
    });
  });
}

describe('dashboard session queries on a generated store of 20,000 sessions (node:sqlite)', function () {
  this.timeout(180_000);
  const N = 20_000;
  let dir: string;
  let store: Store;
  let everything: SessionListRow[];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash20k-'));
    store = await Store.open(path.join(dir, 'store.db'), 'node:sqlite');
    fillGeneratedStore(store, N);
    assert.equal(store.refreshSessionStats(PriceTable.builtin()), N);
    everything = allPages(store, { filters: {}, sort: { by: 'time', dir: 'asc' }, ...LIVE }, 500).rows;
  });
  after(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pages through all 20,000 in every sort without gaps or repeats, unknown values last', () => {
    assert.equal(everything.length, N);
    for (const by of ['time', 'cost', 'tokens', 'duration'] as SessionSortKey[])
      for (const dir of ['asc', 'desc'] as const) {
        const { rows, total } = allPages(store, { filters: {}, sort: { by, dir }, ...LIVE }, 2500);
        assert.equal(total, N);
        assert.equal(new Set(rows.map((r) => r.sessionId)).size, N, `${by} ${dir}`);
        assertOrdered(rows, by, dir);
      }
  });

  it('every sort walks its index (EXPLAIN QUERY PLAN: no sort of all sessions)', () => {
    for (const by of ['time', 'cost', 'tokens', 'duration'] as SessionSortKey[])
      for (const dir of ['asc', 'desc'] as const) {
        const plan = explainSessionsPage(store.db, { filters: {}, sort: { by, dir }, offset: 0, limit: 100, ...LIVE });
        assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), `${by} ${dir}: ${plan.join(' | ')}`);
      }
  });

  it('a page deep in the list equals the same slice of the full order', () => {
    const full = allPages(store, { filters: {}, sort: { by: 'cost', dir: 'desc' }, ...LIVE }, 1000).rows;
    const page = store.querySessions({
      filters: {},
      sort: { by: 'cost', dir: 'desc' },
      offset: 12_345,
      limit: 100,
      ...LIVE,
    });
    assert.deepEqual(
      page.rows.map((r) => r.sessionId),
      full.slice(12_345, 12_445).map((r) => r.sessionId),
    );
    // Sessions with no ledger row have no cost (null, never $0), and go last.
    assert.ok(full.at(-1)!.costUsd === null && full[0]!.costUsd !== null);
  });

  it('every filter (and combinations) returns exactly the matching sessions', () => {
    const since = GEN_BASE_MS + 5_000 * 60_000;
    const until = GEN_BASE_MS + 9_000 * 60_000;
    const cases: [string, SessionsQuery['filters'], (r: SessionListRow) => boolean][] = [
      ['project', { project: 'PROJ-07' }, (r) => r.projectPath!.includes('proj-07')],
      ['model', { model: 'mystery-model-x' }, (r) => r.models.includes('mystery-model-x')],
      ['errors', { hasErrors: true }, (r) => r.errors > 0],
      ['range', { sinceMs: since, untilMs: until }, (r) => r.endMs !== null && r.endMs >= since && r.startMs! < until],
      [
        'combined',
        { project: 'proj-1', model: 'claude-opus-4-5', hasErrors: false, sinceMs: since },
        (r) =>
          r.projectPath!.includes('proj-1') &&
          r.models.includes('claude-opus-4-5') &&
          r.errors === 0 &&
          r.endMs !== null &&
          r.endMs >= since,
      ],
    ];
    for (const [name, filters, keep] of cases) {
      const { rows, total } = allPages(store, { filters, sort: { by: 'tokens', dir: 'desc' }, ...LIVE }, 500);
      const expected = everything
        .filter(keep)
        .map((r) => r.sessionId)
        .sort();
      assert.ok(expected.length > 0, `${name} matches something`);
      assert.equal(total, expected.length, name);
      assert.deepEqual(rows.map((r) => r.sessionId).sort(), expected, name);
      assertOrdered(rows, 'tokens', 'desc');
    }
  });

  it('filters by repository and branch of the git context, walking the session_git indexes', () => {
    // Git contexts for a third of the sessions: three repositories (one without a remote), two branches each.
    const repoOf = (i: number) => (i % 3 === 2 ? null : `https://github.com/acme/repo-${i % 3}.git`);
    everything.forEach((r, i) => {
      if (i % 3 !== 0) return;
      const remote = repoOf(i / 3);
      store.codeContext.saveGitContext(
        { sessionId: r.sessionId, projectPath: r.projectPath, gitBranch: null, firstTs: 0, lastTs: 0 },
        {
          repoRoot: `/work/repo-${(i / 3) % 3}`,
          worktree: null,
          remoteUrl: remote,
          branch: i % 2 === 0 ? 'main' : 'feature/x',
          headStart: null,
          headEnd: null,
          commits: [],
          linesAdded: 0,
          linesRemoved: 0,
          missing: false,
        } as never,
      );
    });
    const ids = (f: SessionsQuery['filters']) =>
      allPages(store, { filters: f, sort: { by: 'time', dir: 'desc' }, ...LIVE }, 1000)
        .rows.map((r) => r.sessionId)
        .sort();
    const expect = (keep: (i: number) => boolean) =>
      everything
        .filter((_, i) => i % 3 === 0 && keep(i))
        .map((r) => r.sessionId)
        .sort();
    const repo0 = 'https://github.com/acme/repo-0.git';
    assert.deepEqual(
      ids({ repository: repo0 }),
      expect((i) => (i / 3) % 3 === 0),
    );
    assert.deepEqual(
      ids({ branch: 'feature/x' }),
      expect((i) => i % 2 === 1),
    );
    assert.deepEqual(
      ids({ repository: repo0, branch: 'main' }),
      expect((i) => (i / 3) % 3 === 0 && i % 2 === 0),
    );
    // No remote: the repository is its root.
    assert.deepEqual(
      ids({ repository: '/work/repo-2' }),
      expect((i) => (i / 3) % 3 === 2),
    );
    assert.ok(ids({ repository: repo0 }).length > 1000);
    assert.deepEqual(ids({ repository: 'https://github.com/acme/nope.git' }), []);
    for (const f of [{ repository: repo0 }, { branch: 'main' }, { repository: repo0, branch: 'main' }]) {
      const plan = explainSessionsPage(store.db, {
        filters: f,
        sort: { by: 'time', dir: 'desc' },
        offset: 0,
        limit: 100,
        ...LIVE,
      });
      assert.ok(
        plan.some((d) => /session_git_(repository|branch)/.test(d)),
        `${JSON.stringify(f)} uses a session_git index: ${plan.join(' | ')}`,
      );
    }
  });

  it('a partly unpriced session is marked, never priced at $0', () => {
    const mixed = everything.filter((r) => r.unpricedModels.includes('mystery-model-x'));
    assert.ok(mixed.length > 0);
    for (const r of mixed) assert.ok(r.costUsd === null || r.costUsd > 0, r.sessionId);
  });

  it('only sessions written since are recomputed; a price table change recomputes all', () => {
    assert.equal(store.refreshSessionStats(PriceTable.builtin()), 0);
    store.db
      .prepare("UPDATE sessions SET updated_at = ? WHERE session_id IN ('gen-000001', 'gen-000002')")
      .run([Date.now() + 60_000]);
    assert.equal(store.staleSessionStats(), 2);
    assert.equal(store.refreshSessionStats(PriceTable.builtin(), Date.now() + 120_000), 2);
    const cheaper = PriceTable.builtin([
      {
        model: 'claude-opus-4-5',
        effectiveFrom: '2020-01-01',
        input: 0,
        output: 0,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheRead: 0,
      },
    ]);
    assert.equal(store.refreshSessionStats(cheaper, Date.now() + 180_000), N);
  });
});
