import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../../src/core/sync/policy';
import type { DrainReport } from '../../../src/core/sync/syncEngine';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { FakeSupabase, type RecordedRequest } from './fakeSupabase';
import { FileOutbox } from './fileOutbox';
import { interactionRow, m, sessionRow, signIn } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync outage scenario (supabase-js against the fault-injecting server)', function () {
  this.timeout(120_000);

  it('refused connections, 503s, 429 + Retry-After, 413, statement timeout, expired JWT, lost acks, a deleted parent: every row delivered exactly once', async () => {
    const server = await new FakeSupabase().start();
    const { client, userId } = await signIn(server);
    const outbox = new FileOutbox();
    const SESSIONS = 20;
    const PER_SESSION = 100;
    const enqueuedKeys = new Set<string>();
    for (let s = 0; s < SESSIONS; s++) {
      outbox.enqueueSession(sessionRow(`sess-${s}`, { project_path: m(`/work/p${s % 3}`) }));
      for (let i = 0; i < PER_SESSION; i++) {
        const row = interactionRow(`sess-${s}`, i, { claude_response: m(`response ${i} ${'x'.repeat(300)}`) });
        enqueuedKeys.add(row.message_uuid);
        outbox.enqueueInteraction(row, `/work/p${s % 3}`);
      }
      // a later snapshot of the same session (totals): merged, never duplicated
      outbox.enqueueSession(
        sessionRow(`sess-${s}`, {
          project_path: m(`/work/p${s % 3}`),
          total_interactions: PER_SESSION,
          status: 'completed',
        }),
      );
    }
    // one row the server refuses for good (check constraint): bisected out and dead-lettered, not lost silently
    const bad = interactionRow('sess-3', 999, { message_type: 'bogus' as never });
    outbox.enqueueInteraction(bad, '/work/p0');
    const total = SESSIONS * PER_SESSION;

    // ── the script ────────────────────────────────────────────────────────────────────────────────────
    server.maxBodyBytes = 150_000; // a 500-row interaction batch (~250 KB) gets 413 → halves
    let restInteractions = 0;
    let restSessions = 0;
    const injected: Record<string, number> = {};
    const hit = (k: string) => (injected[k] = (injected[k] ?? 0) + 1);
    server.fault = (req: RecordedRequest) => {
      if (req.path === '/rest/v1/claude_sessions') {
        restSessions++;
        if (restSessions <= 2) {
          hit('503');
          return { status: 503, body: { message: 'upstream connect error' } };
        }
        if (restSessions === 3) {
          hit('429');
          return { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '1' } };
        }
      }
      if (req.path === '/rest/v1/claude_interactions') {
        restInteractions++;
        if (restInteractions === 4) {
          hit('expired-jwt');
          server.expireIssuedTokens(); // the access token in use is now expired
        }
        if (restInteractions === 7) {
          hit('lost-ack');
          return { drop: true, commit: true };
        }
        if (restInteractions === 9) {
          hit('57014');
          const body = {
            code: '57014',
            details: null,
            hint: null,
            message: 'canceling statement due to statement timeout',
          };
          return { status: 500, body };
        }
        if (restInteractions === 12) {
          // another machine wiped this session: its interactions now hit the FK → 409 → re-sent after the parent
          hit('deleted-parent');
          for (const k of [...server.sessions.keys()]) if (k.endsWith('|sess-15')) server.sessions.delete(k);
        }
        if (restInteractions === 14) {
          hit('drop');
          return { drop: true };
        }
      }
      return undefined;
    };

    // refused connections for the first 400 ms
    const port = server.port;
    await server.stop();
    setTimeout(() => void server.start(port), 400);

    const remote = new SupabaseSyncRemote(client);
    const breaker = new CircuitBreaker(4, 150, 1_000);
    const engine = new SyncEngine(
      outbox,
      remote,
      { mode: 'full', backoffBaseMs: 25, backoffCapMs: 250, maxAttempts: 8 },
      undefined,
      breaker,
    );
    const reports: DrainReport[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) {
      const r = await engine.drain();
      reports.push(r);
      if (r.outcome === 'drained') break;
      assert.ok(['circuit-open', 'gave-up'].includes(r.outcome), `unexpected outcome ${r.outcome}: ${r.lastError}`);
      await sleep(Math.max(10, (r.retryAt ?? Date.now()) - Date.now() + 5));
    }
    const ms = Date.now() - t0;

    const sum = (k: keyof DrainReport) => reports.reduce((a, r) => a + (r[k] as number), 0);
    assert.equal(reports.at(-1)!.outcome, 'drained');
    const delivered = server.rowsOf('interactions', userId);
    const keys = new Set(delivered.map((r) => String(r.row.message_uuid)));
    const figures = {
      enqueued: total + 1,
      rowsSent: sum('rowsSent'),
      rowsRetried: sum('rowsRetried'),
      requests: sum('requests'),
      delivered: delivered.length,
      distinctKeys: keys.size,
      duplicates: delivered.length - keys.size + delivered.filter((r) => r.writes > 1).length,
      deadLettered: outbox.dead.length,
      authRefreshes: sum('authRefreshes'),
      waitingForParent: sum('waitingForParent'),
      drains: reports.length,
      outcomes: reports.map((r) => r.outcome).join(','),
      injected,
      finalBatchRows: reports.at(-1)!.batchRows,
      ms,
    };
    console.log(`      outage figures: ${JSON.stringify(figures)}`);

    assert.equal(delivered.length, total, 'every interaction is on the server');
    assert.deepEqual(keys, enqueuedKeys, 'exactly the enqueued keys, once each');
    assert.ok(
      delivered.every((r) => r.writes === 1),
      'no key was inserted twice',
    );
    assert.equal(server.rowsOf('sessions', userId).length, SESSIONS);
    assert.ok(
      server
        .rowsOf('sessions', userId)
        .every((s) => s.row.status === 'completed' && s.row.total_interactions === PER_SESSION),
      'the newest session snapshot won everywhere (including the re-sent deleted one)',
    );
    assert.equal(outbox.pending.length, 0, 'nothing left in the outbox');
    assert.equal(outbox.dead.length, 1, 'only the refused row is dead-lettered');
    assert.equal((outbox.dead[0]!.entry.row as { message_uuid: string }).message_uuid, bad.message_uuid);
    assert.match(outbox.dead[0]!.reason, /HTTP 400 23514/);
    assert.ok(sum('authRefreshes') >= 1, 'the expired JWT was refreshed');
    assert.ok(
      server.requests.some((r) => r.path === '/auth/v1/token' && r.query.get('grant_type') === 'refresh_token'),
    );
    assert.ok(sum('waitingForParent') >= 1, 'interactions of the deleted session waited for it');
    assert.ok(
      reports.some((r) => r.outcome === 'circuit-open'),
      'refused connections opened the circuit',
    );
    assert.ok(
      server.requests.some((r) => r.outcome === 413),
      'the size limit was hit',
    );
    assert.ok(sum('rowsRetried') > 0);
    for (const k of ['503', '429', 'expired-jwt', 'lost-ack', '57014', 'deleted-parent', 'drop'])
      assert.ok(injected[k], `fault ${k} was exercised`);
    // the 429's Retry-After: 1 was honoured (the next sessions request came ≥ 1 s later)
    const s429 = server.requests.findIndex((r) => r.outcome === 429);
    const after = server.requests.slice(s429 + 1).find((r) => r.path === '/rest/v1/claude_sessions');
    assert.ok(after, 'a request followed the 429');
    assert.ok(
      after.at - server.requests[s429]!.at >= 950,
      `Retry-After: 1 honoured (${after.at - server.requests[s429]!.at} ms)`,
    );
    await server.stop();
  });
});
