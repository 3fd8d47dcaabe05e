/**
 * Analytics over synced rows on the db tier's real PostgreSQL (issue 11): transcripts with known usage for two users,
 * `cct scan` into a real store each, drained by SyncEngine → supabase-js → PostgREST's SQL (one user in full mode,
 * the other in metadata mode). Then, per user, the SQL pre-aggregates (claude_analytics_daily / _projects) must
 * equal the TypeScript analytics over SupabaseAnalyticsSource, over the local store, and over the known rows in
 * memory, to the token and to the cent; RLS keeps each user's aggregates theirs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalyticsResult, buildAnalytics, computeAnalytics } from '../../../src/core/analytics/analytics';
import { median } from '../../../src/core/analytics/efficiency';
import type { UsageRow } from '../../../src/core/analytics/rows';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import type { SendMode } from '../../../src/core/sync/rows';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { StoreAnalyticsSource } from '../../../src/infra/sqlite/analyticsSource';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { SupabaseAnalyticsSource } from '../../../src/infra/supabase/analyticsSource';
import type { CctSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { SupabaseTeamRemote } from '../../../src/infra/supabase/teamRemote';
import { runCct } from '../../helpers/cct';
import { encodeCwd } from '../../unit/codeContext/transcriptLines';
import { signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

interface Msg {
  at: string;
  model: string;
  input: number;
  output: number;
  c5?: number;
  c1?: number;
  read?: number;
  speed?: string;
}
interface Script {
  id: string;
  project: string;
  prompt: string;
  msgs: Msg[];
}

/** Alice: UTC midnight between two messages, a long-context request, fast mode, an unpriced model, two projects. */
const ALICE: Script[] = [
  {
    id: 'a1a1a1a1-0000-4000-8000-000000000001',
    project: 'alpha',
    prompt: 'refactor the parser',
    msgs: [
      {
        at: '2026-11-02T23:59:58.000Z',
        model: 'claude-sonnet-4-5',
        input: 1000,
        output: 200,
        c5: 300,
        c1: 100,
        read: 5000,
      },
      { at: '2026-11-03T00:00:01.000Z', model: 'claude-sonnet-4-5', input: 150_000, output: 1000, read: 60_000 },
      { at: '2026-11-03T00:00:05.000Z', model: 'claude-opus-5-5', input: 20, output: 3000, c1: 4000, speed: 'fast' },
    ],
  },
  {
    id: 'a1a1a1a1-0000-4000-8000-000000000002',
    project: 'beta',
    prompt: 'write the release notes',
    msgs: [
      { at: '2026-11-04T09:00:00.000Z', model: 'claude-haiku-4-5', input: 12, output: 345, c5: 6789, read: 1234 },
      { at: '2026-11-04T09:00:10.000Z', model: 'claude-unreleased-9', input: 77, output: 88, read: 99 },
    ],
  },
];
/** Bob: the same project name and day as Alice, other numbers (metadata mode). */
const BOB: Script[] = [
  {
    id: 'b0b0b0b0-0000-4000-8000-000000000001',
    project: 'alpha',
    prompt: 'fix the flaky test',
    msgs: [
      { at: '2026-11-03T10:00:00.000Z', model: 'claude-sonnet-4-5', input: 5, output: 50, c5: 500, read: 5000 },
      { at: '2026-11-03T10:00:30.000Z', model: 'claude-opus-5-5', input: 7, output: 70, c5: 700 },
    ],
  },
];

/** The real CLI's line shapes (test/fixtures/claude): a prompt, then one assistant line per API message. */
function transcriptOf(s: Script, cwd: string): string {
  const env = { isSidechain: false, userType: 'external', entrypoint: 'cli', cwd, sessionId: s.id, version: '2.1.332' };
  const uuid = (n: number) => `${s.id.slice(-8)}-1111-4000-8000-${String(n).padStart(12, '0')}`;
  const t0 = new Date(Date.parse(s.msgs[0]!.at) - 1000).toISOString();
  const lines: unknown[] = [
    {
      ...env,
      parentUuid: null,
      uuid: uuid(0),
      type: 'user',
      message: { role: 'user', content: s.prompt },
      timestamp: t0,
    },
  ];
  s.msgs.forEach((m, i) => {
    lines.push({
      ...env,
      parentUuid: uuid(i),
      uuid: uuid(i + 1),
      type: 'assistant',
      message: {
        id: `msg_${s.id.slice(-8)}_${i}`,
        type: 'message',
        role: 'assistant',
        model: m.model,
        content: [{ type: 'text', text: `answer ${i}` }],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: m.input,
          output_tokens: m.output,
          cache_creation_input_tokens: (m.c5 ?? 0) + (m.c1 ?? 0),
          cache_read_input_tokens: m.read ?? 0,
          cache_creation: { ephemeral_5m_input_tokens: m.c5 ?? 0, ephemeral_1h_input_tokens: m.c1 ?? 0 },
          ...(m.speed ? { speed: m.speed } : {}),
        },
      },
      requestId: `req_${s.id.slice(-8)}_${i}`,
      timestamp: m.at,
    });
  });
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** The same messages as analytics rows, built from the scripts alone (no store, no server). */
function usageOf(scripts: Script[]): UsageRow[] {
  return scripts.flatMap((s) =>
    s.msgs.map((m) => ({
      sessionId: s.id,
      ts: Date.parse(m.at),
      model: m.model,
      speed: m.speed ?? null,
      input: m.input,
      output: m.output,
      cache5m: m.c5 ?? 0,
      cache1h: m.c1 ?? 0,
      cacheCreation: (m.c5 ?? 0) + (m.c1 ?? 0),
      cacheRead: m.read ?? 0,
      isSidechain: false,
    })),
  );
}

const num = (v: unknown) => (v === null ? null : Number(v));

describe('analytics views equal the TypeScript analytics over synced rows (real PostgreSQL)', function () {
  this.timeout(120_000);
  const pg = useRealPg();
  const prices = PriceTable.builtin();
  let root: string;

  after(() => root && !process.env.KEEP_TMP && rmSync(root, { recursive: true, force: true }));

  /** Scans the scripts into a fresh store and drains it to Supabase as `client`; returns the store's file. */
  async function syncAs(name: string, scripts: Script[], client: CctSupabaseClient, mode: SendMode): Promise<string> {
    const claude = join(root, name, 'claude');
    const projects = new Map<string, string>();
    for (const s of scripts) {
      const cwd = join(root, name, 'work', s.project);
      projects.set(s.id, cwd);
      const dir = join(claude, 'projects', encodeCwd(cwd));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${s.id}.jsonl`), transcriptOf(s, cwd));
    }
    const db = join(root, name, 'store.db');
    const scan = await runCct(['scan', '--root', claude, '--db', db, '--serial', '--json'], {
      CCT_HMAC_KEY: 'analytics-e2e-key-0123456789abcdef',
    });
    assert.equal(scan.code, 0, scan.err);
    const store = await Store.open(db, 'node:sqlite');
    try {
      const report = await new SyncEngine(new SqliteOutbox(store), new SupabaseSyncRemote(client), { mode }).drain();
      assert.equal(report.outcome, 'drained', report.lastError);
    } finally {
      store.close();
    }
    return db;
  }

  /** The Metrics view's daily-by-model and per-project figures, keyed like the views' rows. */
  function figures(a: AnalyticsResult, projectOf: (key: string) => string) {
    const daily = a.dailyByModel.map((d) => ({
      key: `${d.date} ${d.model}`,
      messages: d.apiMessages,
      tokens: [d.input, d.output, d.cacheCreation, d.cacheRead, d.totalTokens],
      cost: d.costUsd,
      unpriced: d.unpricedTokens,
    }));
    const projects = a.byProject.map((p) => ({
      key: projectOf(p.key),
      sessions: p.sessions,
      messages: p.apiMessages,
      tokens: [p.input, p.output, p.cacheCreation, p.cacheRead, p.totalTokens],
      cost: p.costUsd,
      unpriced: p.unpricedTokens,
    }));
    return {
      daily: daily.sort((x, y) => x.key.localeCompare(y.key)),
      projects: projects.sort((x, y) => x.key.localeCompare(y.key)),
    };
  }

  async function viewFigures(client: CctSupabaseClient) {
    const d = await client.from('claude_analytics_daily').select('*');
    assert.equal(d.error, null, d.error?.message);
    const p = await client.from('claude_analytics_projects').select('*');
    assert.equal(p.error, null, p.error?.message);
    const tokens = (r: Record<string, unknown>) =>
      ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'total_tokens'].map(
        (c) => Number(r[c]),
      );
    return {
      users: new Set([...d.data!, ...p.data!].map((r) => r.user_id)),
      daily: d
        .data!.map((r) => ({
          key: `${r.day} ${r.model}`,
          messages: Number(r.api_messages),
          tokens: tokens(r),
          cost: num(r.cost_usd),
          unpriced: Number(r.unpriced_tokens),
        }))
        .sort((x, y) => x.key.localeCompare(y.key)),
      projects: p
        .data!.map((r) => ({
          key: String(r.project_path),
          sessions: Number(r.sessions),
          messages: Number(r.api_messages),
          tokens: tokens(r),
          cost: num(r.cost_usd),
          unpriced: Number(r.unpriced_tokens),
        }))
        .sort((x, y) => x.key.localeCompare(y.key)),
    };
  }

  /** Equal keys, messages and tokens; costs equal to the cent (the server keeps 6 decimals per message). */
  function assertSame(
    sql: { key: string; messages: number; tokens: number[]; cost: number | null; unpriced: number }[],
    ts: typeof sql,
    what: string,
  ) {
    assert.deepEqual(
      sql.map((r) => [r.key, r.messages, r.tokens, r.unpriced, r.cost === null]),
      ts.map((r) => [r.key, r.messages, r.tokens, r.unpriced, r.cost === null]),
      `${what}: keys, messages, tokens, unpriced tokens`,
    );
    sql.forEach((r, i) => {
      const t = ts[i]!.cost;
      if (r.cost === null || t === null) return;
      assert.ok(Math.abs(r.cost - t) <= 1e-6 * r.messages, `${what} ${r.key}: ${r.cost} (SQL) vs ${t} (TypeScript)`);
      assert.equal(Math.round(r.cost * 100), Math.round(t * 100), `${what} ${r.key}: the same cents`);
    });
  }

  it('per UTC day × model and per project, SQL = computeAnalytics(Supabase) = store = rows in memory; RLS per user', async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-analytics-e2e-')));
    const alice = await signIn(pg.server, `e2e-analytics-alice-${process.pid}@example.test`);
    const bob = await signIn(pg.server, `e2e-analytics-bob-${process.pid}@example.test`);
    const aliceDb = await syncAs('alice', ALICE, alice.client, 'full');
    const bobDb = await syncAs('bob', BOB, bob.client, 'metadata');
    const opts = { prices, timeZone: 'UTC', now: Date.parse('2026-11-05T00:00:00Z') };

    for (const [who, user, scripts, db] of [
      ['alice', alice, ALICE, aliceDb],
      ['bob', bob, BOB, bobDb],
    ] as const) {
      const view = await viewFigures(user.client);
      assert.deepEqual([...view.users], [user.userId], `${who}'s views hold only ${who}'s rows (RLS)`);

      const remote = await computeAnalytics(new SupabaseAnalyticsSource(user.client, { userId: user.userId }), opts);
      const paged = await computeAnalytics(
        new SupabaseAnalyticsSource(user.client, { userId: user.userId, pageSize: 2 }),
        opts,
      );
      const store = await Store.open(db, 'node:sqlite');
      let local: AnalyticsResult;
      try {
        local = await computeAnalytics(new StoreAnalyticsSource(store.db, prices, { topics: false }), opts);
      } finally {
        store.close();
      }
      // the projects' synced paths are the masked cwd; in memory they are the scripts' cwd (no secret in them)
      const cwdOf = new Map(scripts.map((s) => [s.id, join(root, who, 'work', s.project)]));
      const memory = buildAnalytics(
        {
          sessions: scripts.map((s) => ({
            sessionId: s.id,
            projectPath: cwdOf.get(s.id)!,
            entrypoint: 'cli',
            firstTs: null,
            lastTs: null,
            title: null,
          })),
          usage: usageOf(scripts),
          prompts: [],
          toolCalls: [],
        },
        prices,
        opts,
      );
      const id = (k: string) => k;
      const fromRemote = figures(remote, id);
      assertSame(view.daily, fromRemote.daily, `${who} daily: SQL vs Supabase source`);
      assertSame(view.projects, fromRemote.projects, `${who} projects: SQL vs Supabase source`);
      assertSame(view.daily, figures(paged, id).daily, `${who} daily: SQL vs Supabase source read 2 rows a page`);
      assertSame(view.daily, figures(local, id).daily, `${who} daily: SQL vs local store`);
      assertSame(view.projects, figures(local, id).projects, `${who} projects: SQL vs local store`);
      assertSame(view.daily, figures(memory, id).daily, `${who} daily: SQL vs rows in memory`);
      assertSame(view.projects, figures(memory, id).projects, `${who} projects: SQL vs rows in memory`);
      assert.equal(
        view.daily.reduce((n, r) => n + r.messages, 0),
        scripts.reduce((n, s) => n + s.msgs.length, 0),
        `${who}: every known message is counted once`,
      );
      assert.equal(remote.totals.sessions, scripts.length);
      assert.ok(
        remote.notComputed.some((n) => n.startsWith('tool error rates')),
        'the result says what synced rows cannot tell',
      );
      assert.equal(remote.efficiency.userPrompts, scripts.length, `${who}: prompts come from the synced user rows`);
      // per-turn latency from the synced rows' times = from the store: each prompt (1 s before the session's first
      // message) to the session's last message
      const turns = scripts.map((s) => Date.parse(s.msgs.at(-1)!.at) - Date.parse(s.msgs[0]!.at) + 1000);
      for (const [where, r] of [
        ['Supabase', remote],
        ['store', local],
      ] as const)
        assert.deepEqual(
          [r.efficiency.timedTurns, r.efficiency.medianTurnMs, r.efficiency.p90TurnMs],
          [turns.length, median(turns), Math.max(...turns)],
          `${who} turns (${where})`,
        );
      // compactions: the store measured none; synced rows have no compaction boundaries: unknown, and said so
      assert.equal(local.efficiency.compaction?.compactions, 0);
      assert.equal(remote.efficiency.compaction, null, `${who}: not 0 from Supabase`);
      assert.ok(remote.notComputed.some((n) => n.startsWith('sessions that hit compaction')));
    }

    // the dashboard's filters read the same rows from Supabase as from the store: a project, a time range
    const aliceStore = await Store.open(aliceDb, 'node:sqlite');
    try {
      for (const filter of [
        { project: 'BETA' },
        { sinceMs: Date.parse('2026-11-03T00:00:00Z'), untilMs: Date.parse('2026-11-04T09:00:05Z') },
      ]) {
        const remote = figures(
          await computeAnalytics(new SupabaseAnalyticsSource(alice.client, { userId: alice.userId }), {
            ...opts,
            filter,
          }),
          (k) => k,
        );
        const local = figures(
          await computeAnalytics(new StoreAnalyticsSource(aliceStore.db, prices, { topics: false }), {
            ...opts,
            filter,
          }),
          (k) => k,
        );
        assertSame(remote.daily, local.daily, `filter ${JSON.stringify(filter)}: Supabase vs store`);
        assert.ok(remote.daily.length > 0 && remote.daily.length < 5, `filter ${JSON.stringify(filter)} keeps a part`);
      }
    } finally {
      aliceStore.close();
    }

    // hand-checked: alice's first day is one sonnet message (23:59:58 UTC), the unpriced model is NULL, not $0
    const a = await viewFigures(alice.client);
    assert.deepEqual(
      a.daily.map((r) => [r.key, r.messages]),
      [
        ['2026-11-02 claude-sonnet-4-5', 1],
        ['2026-11-03 claude-opus-5-5', 1],
        ['2026-11-03 claude-sonnet-4-5', 1],
        ['2026-11-04 claude-haiku-4-5', 1],
        ['2026-11-04 claude-unreleased-9', 1],
      ],
    );
    assert.equal(a.daily.find((r) => r.key.endsWith('unreleased-9'))!.cost, null);
    assert.equal(a.daily.find((r) => r.key.endsWith('unreleased-9'))!.unpriced, 77 + 88 + 99);
    // bob shares alice's project name and day, but his sums are his own
    const b = await viewFigures(bob.client);
    assert.deepEqual(
      b.daily.map((r) => [r.key, r.messages, r.tokens[4]]),
      [
        ['2026-11-03 claude-opus-5-5', 1, 777],
        ['2026-11-03 claude-sonnet-4-5', 1, 5555],
      ],
    );
    const bobReadsAlice = await bob.client.from('claude_analytics_daily').select('day').eq('user_id', alice.userId);
    assert.deepEqual(bobReadsAlice.data, [], 'bob never sees the aggregates of alice');
    const bobSource = await new SupabaseAnalyticsSource(bob.client, { userId: alice.userId }).read({});
    assert.equal(bobSource.usage.length, 0, 'bob reads none of the rows of alice through the source either');

    // a team admin's view: carol administers a team alice joined (bob is in none); the source without a user id
    // reads every row RLS allows (alice's, keyed by user), and the views hold the same sums
    const carol = await signIn(pg.server, `e2e-analytics-carol-${process.pid}@example.test`);
    assert.equal((await carol.client.from('teams').insert({ name: `analytics-${process.pid}` })).error, null);
    const asCarol = new SupabaseTeamRemote(carol.client);
    const team = (await asCarol.list()).teams[0]!;
    const invite = await asCarol.invite(team.id, `e2e-analytics-alice-${process.pid}@example.test`);
    await new SupabaseTeamRemote(alice.client).accept(invite.id);
    const admin = await computeAnalytics(new SupabaseAnalyticsSource(carol.client), opts);
    assert.deepEqual(
      admin.bySession.map((x) => x.key).sort(),
      ALICE.map((x) => `${alice.userId}/${x.id}`).sort(),
      "the admin reads her member's sessions (keyed by user), none of bob's",
    );
    const adminView = await viewFigures(carol.client);
    assert.deepEqual([...adminView.users], [alice.userId]);
    assertSame(adminView.daily, figures(admin, (k) => k).daily, 'team admin daily: SQL vs Supabase source');
    assertSame(adminView.daily, a.daily, "team admin daily = alice's own daily");
  });
});
