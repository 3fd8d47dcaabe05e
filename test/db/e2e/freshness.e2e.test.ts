/**
 * Remote rows follow local changes, on the db tier's real PostgreSQL (merge upserts under RLS, the composite session
 * FK): real transcripts → real store (SqliteOutbox) → SyncEngine → supabase-js → PostgREST's SQL (pgrestBridge.ts).
 * Started by test/db/run-db-tests.mjs with CCT_DB_ADMIN_URL / CCT_DB_API_URL; fails (never skips) without them.
 */
import assert from 'node:assert/strict';
import { type SyncConfig, SyncEngine } from '../../../src/core/sync/syncEngine';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { signIn } from '../../unit/sync/helpers';
import { openEngine, TempTree } from '../../unit/transcript/engine';
import { assistant, jsonl, prompt } from '../../unit/transcript/lines';
import { useRealPg } from './realPgHarness';

const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;

describe('sync on real PostgreSQL: remote rows follow fork moves and a switch to full mode', function () {
  this.timeout(120_000);
  const pg = useRealPg();
  let tree: TempTree;

  beforeEach(() => {
    tree = new TempTree();
  });
  afterEach(() => tree.dispose());

  async function synced(email: string) {
    const { client, userId } = await signIn(pg.server, email);
    const e = await openEngine(tree);
    const engine = new SyncEngine(
      new SqliteOutbox(e.store),
      new SupabaseSyncRemote(client, { interactionResolution: 'merge' }),
      { mode: 'full' },
    );
    const drain = async (patch: Partial<SyncConfig> = {}) => {
      engine.updateConfig(patch);
      const r = await engine.drain();
      assert.equal(r.outcome, 'drained', r.lastError);
      return r;
    };
    const rows = async (sql: string) => (await pg.bridge.adminQuery(sql.replace(/\$user/g, `'${userId}'`))).rows;
    return { e, drain, rows };
  }

  it('a fork read before its original: the fork loses the copied rows and their tokens, they move to the original, once each', async () => {
    const P = 'eeeeeeee-0000-4000-8000-00000000000p';
    const F = 'eeeeeeee-0000-4000-8000-00000000000f';
    const { e, drain, rows } = await synced('fresh-fork@example.test');
    const copy = { requestSessionId: P };
    tree.write(
      `-home-dev-proj/${F}.jsonl`,
      jsonl(
        prompt({ uuid: 'e0e0e0e0-0000-4000-8000-000000000001', sessionId: F, ts: t(0), text: 'list files', ...copy }),
        assistant({
          uuid: 'e0e0e0e0-0000-4000-8000-000000000002',
          sessionId: F,
          ts: t(1),
          msgId: 'msg_1',
          reqId: 'req_1',
          usage: { in: 10, out: 40 },
          block: { type: 'text', text: 'a.txt' },
          ...copy,
        }),
        prompt({ uuid: 'e0e0e0e0-0000-4000-8000-000000000003', sessionId: F, ts: t(20), text: 'and now?' }),
      ),
    );
    await e.scan();
    await drain();
    tree.write(
      `-home-dev-proj/${P}.jsonl`,
      jsonl(
        prompt({ uuid: 'e0e0e0e0-0000-4000-8000-000000000001', sessionId: P, ts: t(0), text: 'list files' }),
        assistant({
          uuid: 'e0e0e0e0-0000-4000-8000-000000000002',
          sessionId: P,
          ts: t(1),
          msgId: 'msg_1',
          reqId: 'req_1',
          usage: { in: 10, out: 40 },
          block: { type: 'text', text: 'a.txt' },
        }),
      ),
    );
    await e.scan();
    await drain();
    const sessions = await rows(
      `select session_id, total_interactions, output_tokens::int from public.claude_sessions where user_id = $user order by session_id`,
    );
    assert.deepEqual(sessions, [
      { session_id: F, total_interactions: 1, output_tokens: 0 },
      { session_id: P, total_interactions: 2, output_tokens: 40 },
    ]);
    const perSession = await rows(
      `select session_id, count(*)::int n from public.claude_interactions where user_id = $user group by session_id order by session_id`,
    );
    assert.deepEqual(
      perSession,
      [
        { session_id: F, n: 1 },
        { session_id: P, n: 2 },
      ],
      'moved on the server too (merge), not duplicated',
    );
    e.close();
  });

  it('metadata → full: every interaction metadata mode sent gets its text, one row per key', async () => {
    const S = 'eeeeeeee-0000-4000-8000-000000000003';
    const { e, drain, rows } = await synced('fresh-mode@example.test');
    tree.write(
      `-home-dev-proj/${S}.jsonl`,
      jsonl(
        prompt({ uuid: 'e1e1e1e1-0000-4000-8000-000000000001', sessionId: S, ts: t(0), text: 'hello there' }),
        assistant({
          uuid: 'e1e1e1e1-0000-4000-8000-000000000002',
          sessionId: S,
          ts: t(1),
          msgId: 'msg_m',
          reqId: 'req_m',
          usage: { in: 1, out: 2 },
          block: { type: 'text', text: 'general kenobi' },
        }),
      ),
    );
    await e.scan();
    await drain({ mode: 'metadata' });
    const text = `select message_type, user_prompt, claude_response from public.claude_interactions where user_id = $user order by message_type`;
    assert.deepEqual(await rows(text), [
      { message_type: 'assistant', user_prompt: null, claude_response: null },
      { message_type: 'user', user_prompt: null, claude_response: null },
    ]);
    const r = await drain({ mode: 'full' });
    assert.equal(r.requeuedForMode, 2, 'the two interactions; the session row is the same in both modes');
    assert.equal(r.rowsSent, 2);
    assert.deepEqual(await rows(text), [
      { message_type: 'assistant', user_prompt: null, claude_response: 'general kenobi' },
      { message_type: 'user', user_prompt: 'hello there', claude_response: null },
    ]);
    e.close();
  });
});
