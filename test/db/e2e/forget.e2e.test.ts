/**
 * Forget on the db tier's real PostgreSQL: real transcripts → real store → SqliteOutbox → SyncEngine → supabase-js →
 * PostgREST's SQL (pgrestBridge.ts) to sync, then Store.forget + deleteRemoteSessions (what `cct forget --remote` and
 * the editor's "Forget Here and on Supabase" run) through the same client and wire path, under RLS.
 * Started by test/db/run-db-tests.mjs with CCT_DB_ADMIN_URL / CCT_DB_API_URL; fails (never skips) without them.
 */
import assert from 'node:assert/strict';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { deleteRemoteSessions } from '../../../src/infra/supabase/remoteForget';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { signIn } from '../../unit/sync/helpers';
import { openEngine, TempTree } from '../../unit/transcript/engine';
import { assistant, jsonl, prompt } from '../../unit/transcript/lines';
import { useRealPg } from './realPgHarness';

const t = (s: number) => `2026-11-21T10:00:${String(s).padStart(2, '0')}.000Z`;
const GONE = 'f0f0f0f0-0000-4000-8000-000000000001';
const KEPT = 'f0f0f0f0-0000-4000-8000-000000000002';
const PLANTED = 'remote forget planted prompt okapi-9931';

function session(id: string, n: number, text: string): string {
  return jsonl(
    prompt({ uuid: `f1f1f1f1-0000-4000-8000-00000000000${n}`, sessionId: id, ts: t(n), text }),
    assistant({
      uuid: `f2f2f2f2-0000-4000-8000-00000000000${n}`,
      sessionId: id,
      ts: t(n + 1),
      msgId: `msg_forget_${n}`,
      reqId: `req_forget_${n}`,
      usage: { in: 10, out: 20 },
      block: { type: 'text', text: `answer ${n}` },
    }),
  );
}

describe('forget on real PostgreSQL: remote rows of the session go, only the caller’s', function () {
  this.timeout(120_000);
  const pg = useRealPg();
  const trees: TempTree[] = [];
  afterEach(() => {
    for (const t of trees.splice(0)) t.dispose();
  });

  async function syncedUser(email: string, files: Record<string, string>) {
    const tree = new TempTree();
    trees.push(tree);
    for (const [id, text] of Object.entries(files)) tree.write(`-home-dev-forget/${id}.jsonl`, text);
    const { client, userId } = await signIn(pg.server, email);
    const e = await openEngine(tree);
    const engine = new SyncEngine(
      new SqliteOutbox(e.store),
      new SupabaseSyncRemote(client, { interactionResolution: 'merge' }),
      { mode: 'full' },
    );
    const drain = async () => {
      const r = await engine.drain();
      assert.equal(r.outcome, 'drained', r.lastError);
      return r;
    };
    await e.scan();
    await drain();
    return { e, client, userId, drain };
  }

  const count = async (table: string, userId: string, sessionId: string) =>
    Number(
      (
        await pg.bridge.adminQuery(`select count(*) n from public.${table} where user_id = $1 and session_id = $2`, [
          userId,
          sessionId,
        ])
      ).rows[0]!.n,
    );

  const plantedRows = async (userId: string) =>
    Number(
      (
        await pg.bridge.adminQuery(
          `select count(*) n from public.claude_interactions where user_id = $1 and user_prompt like '%okapi-9931%'`,
          [userId],
        )
      ).rows[0]!.n,
    );

  it('deletes the session’s sessions and interactions rows for this user; another user’s same session id stays; nothing comes back', async () => {
    const a = await syncedUser('forget-a@example.test', {
      [GONE]: session(GONE, 1, PLANTED),
      [KEPT]: session(KEPT, 3, 'kept prompt'),
    });
    // another user synced a session with the same id (ids are unique per user only)
    const b = await syncedUser('forget-b@example.test', { [GONE]: session(GONE, 1, PLANTED) });
    assert.equal(await count('claude_interactions', a.userId, GONE), 2);
    assert.equal(await count('claude_sessions', a.userId, GONE), 1);
    assert.equal(await count('claude_interactions', b.userId, GONE), 2);
    assert.equal(await plantedRows(a.userId), 1, 'full mode sent the prompt text');

    const local = a.e.store.forget([GONE]);
    assert.deepEqual(local.sessions, [GONE]);
    const n = pg.bridge.statements;
    const r = await deleteRemoteSessions(a.client, local.sessions);
    assert.deepEqual(r, { ok: true });
    assert.ok(pg.bridge.statements > n, 'the deletes went through PostgREST on the cluster');

    assert.equal(await count('claude_interactions', a.userId, GONE), 0);
    assert.equal(await count('claude_sessions', a.userId, GONE), 0);
    assert.equal(await count('claude_interactions', a.userId, KEPT), 2, 'the other session stays');
    assert.equal(await count('claude_sessions', a.userId, KEPT), 1);
    assert.equal(await count('claude_interactions', b.userId, GONE), 2, 'RLS: the other user’s rows stay');
    assert.equal(await count('claude_sessions', b.userId, GONE), 1);
    assert.equal(await plantedRows(a.userId), 0);

    // a rescan (the transcript is still on disk) and another drain send nothing of it again
    await a.e.scan();
    await a.drain();
    assert.equal(await count('claude_interactions', a.userId, GONE), 0);
    assert.equal(await count('claude_sessions', a.userId, GONE), 0);

    // idempotent: a retry deletes nothing more and succeeds
    assert.deepEqual(await deleteRemoteSessions(a.client, [GONE]), { ok: true });
    a.e.close();
    b.e.close();
  });

  it('signed out: the same call deletes nothing (RLS)', async () => {
    const a = await syncedUser('forget-c@example.test', { [KEPT]: session(KEPT, 3, 'kept prompt') });
    await a.client.auth.signOut();
    const r = await deleteRemoteSessions(a.client, [KEPT]);
    // signed out, supabase-js sends the anon key: RLS lets anon delete nothing (or the role is refused)
    assert.equal(await count('claude_sessions', a.userId, KEPT), 1, JSON.stringify(r));
    a.e.close();
  });
});
