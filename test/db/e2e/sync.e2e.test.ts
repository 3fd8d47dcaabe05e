/**
 * End to end on the db tier's real PostgreSQL: SyncEngine → supabase-js → HTTP (fake GoTrue, fault injection) →
 * PostgREST's SQL run as `authenticator` on the migrated cluster (pgrestBridge.ts). Started by
 * test/db/run-db-tests.mjs with CCT_DB_ADMIN_URL / CCT_DB_API_URL; fails (never skips) without them.
 */
import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../../src/core/sync/policy';
import { type DrainReport, SyncEngine } from '../../../src/core/sync/syncEngine';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { FileOutbox } from '../../unit/sync/fileOutbox';
import { interactionRow, m, sessionRow, signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

describe('sync end to end on real PostgreSQL (RLS, keys, FKs, checks)', function () {
  this.timeout(120_000);
  const pg = useRealPg();

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await pg.bridge.adminQuery(sql, params)).rows[0]!.n);

  it('delivers sessions and interactions exactly once through lost acks, an expired JWT, a deleted parent and a refused row', async () => {
    const { client, userId } = await signIn(pg.server, 'e2e-a@example.test');
    const outbox = new FileOutbox();
    const keys: string[] = [];
    for (let s = 0; s < 5; s++) {
      outbox.enqueueSession(sessionRow(`e2e-${s}`, { project_path: m(`/e2e/p${s}`) }));
      for (let i = 0; i < 120; i++) {
        const r = interactionRow(`e2e-${s}`, i);
        keys.push(r.message_uuid);
        outbox.enqueueInteraction(r, `/e2e/p${s}`);
      }
      outbox.enqueueSession(
        sessionRow(`e2e-${s}`, {
          project_path: m(`/e2e/p${s}`),
          status: 'completed',
          total_interactions: 120,
          end_time: '2026-06-01T11:00:00.000Z',
        }),
      );
    }
    const bad = interactionRow('e2e-2', 7777, { message_type: 'bogus' as never });
    outbox.enqueueInteraction(bad, '/e2e/p2');

    let n = 0;
    pg.server.fault = (req) => {
      if (req.path !== '/rest/v1/claude_interactions') return undefined;
      n++;
      if (n === 2) return { drop: true, commit: true }; // committed on the real DB, ack lost
      if (n === 3) pg.server.expireIssuedTokens();
      if (n === 5)
        void pg.bridge.adminQuery(`delete from public.claude_sessions where user_id = $1 and session_id = 'e2e-4'`, [
          userId,
        ]);
      return undefined;
    };
    const engine = new SyncEngine(
      outbox,
      new SupabaseSyncRemote(client),
      { mode: 'full', maxBatchRows: 100, backoffBaseMs: 10, backoffCapMs: 50 },
      undefined,
      new CircuitBreaker(50),
    );
    const reports: DrainReport[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await engine.drain();
      reports.push(r);
      if (r.outcome === 'drained') break;
    }
    assert.equal(reports.at(-1)!.outcome, 'drained', JSON.stringify(reports.map((r) => [r.outcome, r.lastError])));

    const inDb = await count(`select count(*) n from public.claude_interactions where user_id = $1`, [userId]);
    const distinct = await count(
      `select count(distinct message_uuid) n from public.claude_interactions where user_id = $1`,
      [userId],
    );
    const expected = await count(
      `select count(*) n from public.claude_interactions where user_id = $1 and message_uuid = any($2::uuid[])`,
      [userId, keys],
    );
    console.log(
      `      e2e figures: ${JSON.stringify({
        enqueued: keys.length + 1,
        delivered: inDb,
        distinct,
        deadLettered: outbox.dead.length,
        rowsSent: reports.reduce((a, r) => a + r.rowsSent, 0),
        rowsRetried: reports.reduce((a, r) => a + r.rowsRetried, 0),
        refreshes: reports.reduce((a, r) => a + r.authRefreshes, 0),
        waitingForParent: reports.reduce((a, r) => a + r.waitingForParent, 0),
        statements: pg.bridge.statements,
      })}`,
    );
    assert.equal(inDb, 600);
    assert.equal(distinct, 600);
    assert.equal(expected, 600, 'exactly the enqueued keys');
    assert.equal(outbox.dead.length, 1);
    assert.match(
      outbox.dead[0]!.reason,
      /HTTP 400 23514: new row for relation "claude_interactions" violates check constraint/,
    );
    assert.equal(
      await count(
        `select count(*) n from public.claude_sessions where user_id = $1 and status = 'completed' and total_interactions = 120`,
        [userId],
      ),
      5,
      'every session has its newest snapshot (incl. the one deleted mid-sync and re-sent)',
    );
    assert.ok(
      reports.some((r) => r.authRefreshes > 0),
      'the expired JWT was refreshed',
    );
    assert.ok(
      reports.some((r) => r.waitingForParent > 0),
      'the real FK answered 23503 → 409 and the parent was re-sent',
    );
  });

  it('two users with the same Claude session ids stay apart; user_id always comes from the JWT', async () => {
    const a = await signIn(pg.server, 'e2e-b1@example.test');
    const b = await signIn(pg.server, 'e2e-b2@example.test');
    for (const u of [a, b]) {
      const outbox = new FileOutbox();
      outbox.enqueueSession(sessionRow('shared-id'));
      outbox.enqueueInteraction(
        interactionRow('shared-id', 1, { message_uuid: '0b0b0b0b-0000-4000-8000-000000000001' }),
        '/x',
      );
      assert.equal(
        (await new SyncEngine(outbox, new SupabaseSyncRemote(u.client), { mode: 'full' }).drain()).outcome,
        'drained',
      );
    }
    assert.equal(await count(`select count(*) n from public.claude_sessions where session_id = 'shared-id'`), 2);
    assert.equal(
      await count(
        `select count(*) n from public.claude_interactions where message_uuid = '0b0b0b0b-0000-4000-8000-000000000001'`,
      ),
      2,
    );
    assert.equal(
      await count(
        `select count(distinct user_id) n from public.claude_interactions where message_uuid = '0b0b0b0b-0000-4000-8000-000000000001'`,
      ),
      2,
    );

    // a forged user_id is refused by RLS (WITH CHECK) → 403 42501
    const forged = await a.client
      .from('claude_sessions')
      .insert({ ...sessionRow('forged'), user_id: b.userId } as never);
    assert.equal(forged.status, 403);
    assert.equal(forged.error?.code, '42501');
    // the anon key alone cannot write
    pg.server.requests.length = 0;
    const anon = await fetch(`${pg.server.url}/rest/v1/claude_sessions?columns=%22session_id%22,%22start_time%22`, {
      method: 'POST',
      headers: {
        apikey: pg.server.anonKey,
        authorization: `Bearer ${pg.server.anonKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify([{ session_id: 'anon', start_time: '2026-06-01T00:00:00Z' }]),
    });
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as { code: string }).code, '42501');

    // delete_my_data removes only the caller's rows
    const del = await a.client.rpc('delete_my_data');
    assert.equal(del.error, null);
    assert.equal(await count(`select count(*) n from public.claude_sessions where user_id = $1`, [a.userId]), 0);
    assert.equal(await count(`select count(*) n from public.claude_sessions where user_id = $1`, [b.userId]), 1);
  });

  it('an on_conflict without a unique key is a 400 42P10 (the key the client uses must exist)', async () => {
    const { client } = await signIn(pg.server, 'e2e-c@example.test');
    const r = await client.from('claude_sessions').upsert([sessionRow('x')] as never, { onConflict: 'session_id' });
    assert.equal(r.status, 400);
    assert.equal(r.error?.code, '42P10');
  });

  it('an interaction that grew after its first sync: ignore keeps the first version, merge converges (the trade-off, measured)', async () => {
    const { client, userId } = await signIn(pg.server, 'e2e-g@example.test');
    const results: Record<string, unknown> = {};
    for (const resolution of ['ignore', 'merge'] as const) {
      const outbox = new FileOutbox();
      const sid = `grow-${resolution}`;
      outbox.enqueueSession(sessionRow(sid));
      const first = interactionRow(sid, 1, { claude_response: m('partial'), output_tokens: 5 });
      outbox.enqueueInteraction(first, '/g');
      const engine = new SyncEngine(outbox, new SupabaseSyncRemote(client, { interactionResolution: resolution }), {
        mode: 'full',
      });
      await engine.drain();
      outbox.enqueueInteraction({ ...first, claude_response: m('partial and the rest'), output_tokens: 420 }, '/g');
      assert.equal((await engine.drain()).outcome, 'drained');
      const r = await pg.bridge.adminQuery(
        `select claude_response, output_tokens from public.claude_interactions where user_id = $1 and session_id = $2`,
        [userId, sid],
      );
      assert.equal(r.rows.length, 1, 'still one row');
      results[resolution] = r.rows[0];
    }
    assert.deepEqual(results.ignore, { claude_response: 'partial', output_tokens: '5' });
    assert.deepEqual(results.merge, { claude_response: 'partial and the rest', output_tokens: '420' });
  });

  it('measures throughput into real PostgreSQL', async () => {
    const { client, userId } = await signIn(pg.server, 'e2e-t@example.test');
    for (const batch of [100, 500]) {
      const outbox = new FileOutbox();
      const N = 5_000;
      for (let s = 0; s < 5; s++) {
        outbox.enqueueSession(sessionRow(`tp-${batch}-${s}`));
        for (let i = 0; i < N / 5; i++) outbox.enqueueInteraction(interactionRow(`tp-${batch}-${s}`, i), '/tp');
      }
      const t0 = performance.now();
      const r = await new SyncEngine(outbox, new SupabaseSyncRemote(client), {
        mode: 'full',
        maxBatchRows: batch,
      }).drain();
      const secs = (performance.now() - t0) / 1000;
      assert.equal(r.outcome, 'drained', r.lastError);
      assert.equal(
        await count(`select count(*) n from public.claude_interactions where user_id = $1 and session_id like $2`, [
          userId,
          `tp-${batch}-%`,
        ]),
        N,
      );
      console.log(
        `      real PG, batch ${batch}: ${N} rows in ${secs.toFixed(2)} s = ${Math.round(N / secs)} rows/s (${r.requests} requests)`,
      );
    }
  });
});
