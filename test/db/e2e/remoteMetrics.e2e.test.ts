/**
 * The Metrics view's remote scopes and `cct insights --remote` on the db tier's real PostgreSQL (issue 11): the
 * real-CLI fixtures scanned by `cct scan` into a real store, drained by SyncEngine → supabase-js → PostgREST's SQL.
 * Then metrics/get through the extension's real handlers (RemoteMetrics → SupabaseAnalyticsSource under RLS → the
 * real analytics worker) must give the local scope's figures for "All my machines", and a team admin's "My team"
 * the member's; the CLI's `--remote` must print what `--db` prints for the same rows. A Supabase that cannot be
 * reached fails the remote scope with a clear error while the local scope keeps answering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNCED_NOT_COMPUTED } from '../../../src/core/analytics/syncedRows';
import type { OfficialLimits } from '../../../src/core/live/rateLimits';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { type CctSupabaseClient, createSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { SupabaseTeamRemote } from '../../../src/infra/supabase/teamRemote';
import { AnalyticsService } from '../../../src/infra/worker/analyticsService';
import type { MetricsReport } from '../../../src/shared/protocol';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { registerMetricsHandlers } from '../../../src/vscode/dashboard/metricsHandlers';
import { RemoteSearchHandlers } from '../../../src/vscode/dashboard/remoteHandlers';
import type { RemoteLinkState } from '../../../src/vscode/dashboard/remoteLink';
import { RemoteMetrics } from '../../../src/vscode/dashboard/remoteMetrics';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import type { Logger } from '../../../src/vscode/logger';
import { runCct } from '../../helpers/cct';
import { REPO_ROOT } from '../../helpers/repo';
import { MemoryStorage, signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'claude', 'cli');
// The fixtures were recorded at 2026-11-28T23:40Z; 20 minutes later their 5-hour block is still running.
const NOW = Date.parse('2026-11-29T00:00:00Z');
const quiet = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => quiet,
} as unknown as Logger;

/** What both scopes must agree on (synced rows carry every usage figure; costs to the cent). */
function figures(m: MetricsReport) {
  const cents = (v: number | null) => (v === null ? null : Math.round(v * 100));
  return {
    days: m.days,
    sessions: m.totals.sessions,
    apiMessages: m.totals.apiMessages,
    tokens: m.totals.tokens,
    cost: cents(m.totals.costUsd),
    unpriced: m.totals.unpricedModels,
    daily: m.daily.map((d) => [d.date, d.model, d.apiMessages, d.tokens, cents(d.costUsd)]),
    projects: m.projects.map((p) => [p.sessions, p.apiMessages, p.tokens, cents(p.costUsd)]),
    blocks: m.blocks.recent.map((b) => [b.startMs, b.apiMessages, b.totalTokens, cents(b.costUsd), b.active]),
    cacheHit: m.cache.hitRatio,
    prompts: m.efficiency.userPrompts,
  };
}

describe('Metrics remote scopes and cct insights --remote on real PostgreSQL', function () {
  this.timeout(180_000);
  const pg = useRealPg();
  let root: string;
  let service: AnalyticsService | undefined;
  after(() => {
    service?.dispose();
    if (root && !process.env.KEEP_TMP) rmSync(root, { recursive: true, force: true });
  });

  it('All my machines = this machine, My team = the member for an admin, an outage fails the remote scope only; the CLI prints the same', async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-remote-metrics-')));
    const db = join(root, 'store.db');
    const scan = await runCct(['scan', '--root', FIXTURES, '--db', db, '--serial', '--json'], {
      CCT_HMAC_KEY: 'remote-metrics-e2e-key-0123456789abcdef',
    });
    assert.equal(scan.code, 0, scan.err);
    const aliceEmail = `e2e-rmetrics-alice-${process.pid}@example.test`;
    const alice = await signIn(pg.server, aliceEmail);
    const store = await Store.open(db, 'node:sqlite');
    try {
      const r = await new SyncEngine(new SqliteOutbox(store), new SupabaseSyncRemote(alice.client), {
        mode: 'full',
      }).drain();
      assert.equal(r.outcome, 'drained', r.lastError);
    } finally {
      store.close();
    }

    // the extension's handlers, as dashboardDataEntry wires them (the analytics worker computes both scopes)
    let linkState: RemoteLinkState = { state: 'signedIn', userId: alice.userId, client: alice.client };
    const official: OfficialLimits = {
      source: 'official',
      fiveHour: { usedPercent: 37, resetsAt: NOW + 3_600_000 },
      sevenDay: undefined,
      observedAt: NOW - 60_000,
    };
    const router = new RequestRouter({ warn: () => {}, error: () => {}, debug: () => {} });
    const dashboardStore = new DashboardStore(db, quiet);
    const link = { current: async () => linkState, syncMode: () => 'full' as const };
    const remote = new RemoteSearchHandlers(router, { link: () => link, machine: async () => 'laptop' });
    service = new AnalyticsService(db);
    const analytics = service;
    registerMetricsHandlers(router, {
      store: dashboardStore,
      now: () => NOW,
      analyticsSettings: () => ({ timeZone: 'UTC', weekStartsOn: 1 }),
      analytics: () => analytics,
      remote: new RemoteMetrics({
        link: () => link,
        status: () => remote.status(),
        stream: (request) => analytics.metricsOfSynced(request),
      }),
      officialLimits: () => official,
      saveFile: async () => true,
    });
    let id = 1;
    const get = async (scope: 'local' | 'mine' | 'team') => {
      const r = await router.dispatch({
        type: 'request',
        id: id++,
        method: 'metrics/get',
        params: { range: 'all', timeZone: 'UTC', scope },
      });
      return r.ok ? { ok: true as const, m: r.result as MetricsReport } : { ok: false as const, error: r.error };
    };
    const ok = async (scope: 'local' | 'mine' | 'team') => {
      const r = await get(scope);
      assert.ok(r.ok, `${scope}: ${JSON.stringify(!r.ok && r.error)}`);
      return r.m;
    };

    try {
      let t0 = performance.now();
      const local = await ok('local');
      const localMs = performance.now() - t0;
      t0 = performance.now();
      const mine = await ok('mine');
      const mineMs = performance.now() - t0;
      console.log(
        `      metrics/get 'all' over the fixtures (${local.totals.sessions} sessions, ${local.totals.apiMessages} API messages): ` +
          `local ${localMs.toFixed(0)} ms (worker, first request), mine ${mineMs.toFixed(0)} ms (PostgREST read + worker)`,
      );
      assert.ok(local.totals.apiMessages > 0 && local.totals.sessions > 1, 'the fixtures have usage');
      // the sidebar and the editor panel asking at once share one read of the synced rows
      const sessionReads = () => pg.server.requests.filter((q) => q.path === '/rest/v1/claude_sessions').length;
      const readsBefore = sessionReads();
      const [twiceA, twiceB] = await Promise.all([ok('mine'), ok('mine')]);
      assert.equal(sessionReads() - readsBefore, 1, 'one read for two requests in flight');
      assert.deepEqual(twiceA, twiceB);
      assert.deepEqual(figures(twiceA), figures(mine));
      assert.deepEqual(figures(mine), figures(local), 'All my machines (one machine synced) = this machine');
      assert.deepEqual(local.source, { scope: 'local', notComputed: [] });
      assert.deepEqual(mine.source, { scope: 'mine', notComputed: SYNCED_NOT_COMPUTED });
      assert.ok(mine.efficiency.notComputed.some((x) => x.startsWith('tool error rates')));
      assert.ok(
        !local.efficiency.notComputed.some((x) => /rate_limits/.test(x)),
        'official rate_limits are no longer listed as not computed',
      );
      const officialDto = {
        observedAtMs: NOW - 60_000,
        stale: false,
        fiveHour: { usedPercent: 37, resetsAtMs: NOW + 3_600_000 },
        sevenDay: null,
        warnPercent: 75,
        errorPercent: 90,
      };
      assert.deepEqual(local.officialLimits, officialDto, 'beside this machine’s estimate');
      assert.deepEqual(mine.officialLimits, officialDto, 'beside all my machines’ estimate');
      assert.ok(mine.blocks.active, 'the running block is estimated from the synced rows too');

      // "My team": alice administers no team; carol does once alice joined hers (carol synced nothing herself)
      const notAdmin = await get('team');
      assert.equal(notAdmin.ok, false);
      assert.equal(!notAdmin.ok && notAdmin.error.code, 'unavailable');
      assert.match(!notAdmin.ok ? notAdmin.error.message : '', /owner or admin/);
      const carolEmail = `e2e-rmetrics-carol-${process.pid}@example.test`;
      const carol = await signIn(pg.server, carolEmail);
      assert.equal((await carol.client.from('teams').insert({ name: `rmetrics-${process.pid}` })).error, null);
      const asCarol = new SupabaseTeamRemote(carol.client);
      const team = (await asCarol.list()).teams[0]!;
      await new SupabaseTeamRemote(alice.client).accept((await asCarol.invite(team.id, aliceEmail)).id);
      linkState = { state: 'signedIn', userId: carol.userId, client: carol.client };
      const mineOfCarol = await ok('mine');
      assert.equal(mineOfCarol.totals.apiMessages, 0, 'carol has no rows of her own');
      const teamOfCarol = await ok('team');
      const { blocks: _b, ...teamFigures } = figures(teamOfCarol);
      const { blocks: _m, ...aliceFigures } = figures(mine);
      assert.deepEqual(
        { ...teamFigures, projects: teamFigures.projects.sort() },
        { ...aliceFigures, projects: aliceFigures.projects.sort() },
        "the admin's team scope = the member's own figures",
      );
      assert.equal(teamOfCarol.source.scope, 'team');
      assert.equal(teamOfCarol.officialLimits, null, 'official limits are one login’s, never beside a team’s sum');
      const named = Object.keys(teamOfCarol.sessionLabels);
      assert.ok(
        named.length > 0 && named.every((k) => k.startsWith(`${alice.userId}/`)),
        'sessions keyed user/session',
      );

      // Supabase unreachable (a wrong URL): a clear error of the remote scope; this machine still answers
      const unreachable: CctSupabaseClient = createSupabaseClient(
        { url: 'http://127.0.0.1:9', anonKey: pg.server.anonKey },
        { storage: new MemoryStorage(), autoRefreshToken: false },
      );
      linkState = { state: 'signedIn', userId: alice.userId, client: unreachable };
      const down = await get('mine');
      assert.equal(down.ok, false);
      assert.match(!down.ok ? down.error.message : '', /Supabase could not be reached/);
      assert.deepEqual(figures(await ok('local')), figures(local), 'the local scope keeps working');
      linkState = { state: 'signedOut' };
      const signedOut = await get('mine');
      assert.equal(!signedOut.ok && signedOut.error.code, 'unavailable');
      assert.match(!signedOut.ok ? signedOut.error.message : '', /sign in to Supabase/);

      // the CLI: `cct insights --remote` prints what `--db` prints for the same rows, with the stored session
      const env = {
        SUPABASE_URL: pg.server.url,
        SUPABASE_ANON_KEY: pg.server.anonKey,
        CCT_SUPABASE_AUTH_FILE: join(root, 'alice-auth.json'),
      };
      const notYet = await runCct(['insights', '--remote'], env);
      assert.equal(notYet.code, 3, 'not signed in yet');
      assert.match(notYet.err, /not signed in \(cct sync login/);
      const login = await runCct(['sync', 'login', '--email', aliceEmail], env, '123456\n');
      assert.equal(login.code, 0, login.err);
      const flags = ['--tz', 'UTC', '--now', '2026-11-29T00:00:00Z'];
      const cliLocal = await runCct(['insights', '--db', db, '--json', ...flags]);
      const cliRemote = await runCct(['insights', '--remote', '--json', ...flags], env);
      assert.equal(cliLocal.code, 0, cliLocal.err);
      assert.equal(cliRemote.code, 0, cliRemote.err);
      const [l, r] = [JSON.parse(cliLocal.out), JSON.parse(cliRemote.out)];
      assert.equal(l.source, 'local');
      assert.equal(r.source, 'mine');
      const sums = (x: { totals: Record<string, number | null> }) => {
        const cost = x.totals.costUsd;
        return { ...x.totals, costUsd: cost == null ? null : Math.round(cost * 100) };
      };
      assert.deepEqual(sums(r), sums(l), 'the same totals from Supabase as from the store');
      assert.equal(r.totals.apiMessages, local.totals.apiMessages);
      const blockKeys = (x: { blocks: { start: string; apiMessages: number; totalTokens: number }[] }) =>
        x.blocks.map((b) => [b.start, b.apiMessages, b.totalTokens]);
      assert.deepEqual(blockKeys(r), blockKeys(l));
      assert.ok(r.blocks.length > 0);
      assert.ok(r.notComputed.some((x: string) => x.startsWith('tool error rates')));
      const table = await runCct(['insights', '--remote', ...flags], env);
      assert.equal(table.code, 0, table.err);
      assert.match(
        table.out,
        /^Insights \(\d+ sessions, .*\)\n {2}over the sessions synced from all your machines \(Supabase\)\n/,
      );
      const tableJa = await runCct(['insights', '--remote', '--lang', 'ja', ...flags], env);
      assert.match(tableJa.out, /すべてのマシンから同期したセッション（Supabase）が対象/);
      assert.match(tableJa.out, /ツールのエラー率と再試行/, 'what synced rows cannot tell, in Japanese');
      assert.match(table.out, /Efficiency/);
      const blocksRemote = await runCct(['report', 'blocks', '--remote', '--json', ...flags], env);
      const blocksLocal = await runCct(['report', 'blocks', '--db', db, '--json', ...flags]);
      assert.equal(blocksRemote.code, 0, blocksRemote.err);
      // the same blocks; costs to the cent (their messages are summed in another order)
      const blockRows = (out: string) =>
        (JSON.parse(out).blocks as { start: string; apiMessages: number; totalTokens: number; costUsd: number }[]).map(
          (b) => [b.start, b.apiMessages, b.totalTokens, Math.round(b.costUsd * 100)],
        );
      assert.deepEqual(blockRows(blocksRemote.out), blockRows(blocksLocal.out));
      const teamAsMember = await runCct(['insights', '--remote', '--team'], env);
      assert.equal(teamAsMember.code, 1);
      assert.match(teamAsMember.err, /not an owner or admin of a team/);
      const carolEnv = { ...env, CCT_SUPABASE_AUTH_FILE: join(root, 'carol-auth.json') };
      assert.equal((await runCct(['sync', 'login', '--email', carolEmail], carolEnv, '123456\n')).code, 0);
      const cliTeam = await runCct(['insights', '--remote', '--team', '--json', ...flags], carolEnv);
      assert.equal(cliTeam.code, 0, cliTeam.err);
      assert.equal(JSON.parse(cliTeam.out).source, 'team');
      assert.deepEqual(sums(JSON.parse(cliTeam.out)), sums(l), "the admin's --team = the member's rows");
      assert.equal((await runCct(['insights', '--remote', '--db', db], env)).code, 2, '--db and --remote: pick one');

      // the server stops: the CLI says Supabase could not be reached (exit 1); the store still answers
      await pg.server.stop();
      const stopped = await runCct(['insights', '--remote', ...flags], env);
      assert.equal(stopped.code, 1);
      assert.match(stopped.err, /Supabase could not be reached/);
      assert.equal((await runCct(['insights', '--db', db, ...flags])).code, 0);
    } finally {
      dashboardStore.dispose();
    }
  });
});
