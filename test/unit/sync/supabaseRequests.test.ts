import assert from 'node:assert/strict';
import { INTERACTION_COLUMNS, SESSION_COLUMNS } from '../../../src/core/sync/rows';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { type CctSupabaseClient, createSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { FakeSupabase } from './fakeSupabase';
import { FileOutbox } from './fileOutbox';
import { interactionRow, MemoryStorage, sessionRow } from './helpers';

async function signedIn(server: FakeSupabase, email = 'dev@example.test') {
  const storage = new MemoryStorage();
  const client = createSupabaseClient(
    { url: server.url, anonKey: server.anonKey },
    { storage, autoRefreshToken: false },
  );
  const otp = await client.auth.signInWithOtp({ email, options: { shouldCreateUser: true } });
  assert.equal(otp.error, null);
  const v = await client.auth.verifyOtp({ email, token: '123456', type: 'email' });
  assert.equal(v.error, null);
  return { client, storage, userId: v.data.user!.id };
}

describe('supabase-js → PostgREST requests (exact wire format)', () => {
  let server: FakeSupabase;
  let client: CctSupabaseClient;
  let userId: string;
  beforeEach(async () => {
    server = await new FakeSupabase().start();
    ({ client, userId } = await signedIn(server));
    server.requests.length = 0;
  });
  afterEach(async () => {
    await client.auth.stopAutoRefresh();
    await server.stop();
  });

  it('sessions: POST /rest/v1/claude_sessions?on_conflict=user_id,session_id&columns=<all>, Prefer resolution=merge-duplicates, complete rows, user JWT', async () => {
    const remote = new SupabaseSyncRemote(client);
    const r = await remote.upsertSessions([
      sessionRow('s-1'),
      sessionRow('s-2', { end_time: '2026-06-01T11:00:00.000Z', status: 'completed' }),
    ]);
    assert.deepEqual(r, { ok: true });
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/rest/v1/claude_sessions');
    assert.equal(req.query.get('on_conflict'), 'user_id,session_id');
    assert.deepEqual(
      req.query.get('columns')!.split(','),
      SESSION_COLUMNS.map((c) => `"${c}"`),
    );
    assert.equal(req.headers.prefer, 'resolution=merge-duplicates');
    assert.equal(req.headers['content-profile'], 'public');
    assert.equal(req.headers.apikey, server.anonKey);
    const bearer = req.headers.authorization!.replace('Bearer ', '');
    assert.notEqual(bearer, server.anonKey, 'the user access token, not the anon key');
    assert.equal(JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString()).sub, userId);
    const body = JSON.parse(req.body) as Record<string, unknown>[];
    assert.equal(body.length, 2);
    for (const row of body)
      assert.deepEqual(Object.keys(row), [...SESSION_COLUMNS], 'complete, homogeneous rows; no user_id');
    assert.equal(server.sessions.get(`${userId}|s-2`)!.row.status, 'completed');
  });

  it('interactions: on_conflict=user_id,message_uuid with Prefer resolution=ignore-duplicates; a resend inserts nothing twice', async () => {
    const remote = new SupabaseSyncRemote(client);
    await remote.upsertSessions([sessionRow('s-1')]);
    const rows = [interactionRow('s-1', 0), interactionRow('s-1', 1)];
    assert.deepEqual(await remote.upsertInteractions(rows), { ok: true });
    assert.deepEqual(await remote.upsertInteractions(rows), { ok: true });
    const [, a, b] = server.requests;
    for (const req of [a!, b!]) {
      assert.equal(req.path, '/rest/v1/claude_interactions');
      assert.equal(req.query.get('on_conflict'), 'user_id,message_uuid');
      assert.deepEqual(
        req.query.get('columns')!.split(','),
        INTERACTION_COLUMNS.map((c) => `"${c}"`),
      );
      assert.equal(req.headers.prefer, 'resolution=ignore-duplicates');
    }
    assert.equal(server.interactions.size, 2);
    assert.ok([...server.interactions.values()].every((r) => r.writes === 1));
  });

  it('interactionResolution merge sends Prefer resolution=merge-duplicates', async () => {
    await new SupabaseSyncRemote(client, { interactionResolution: 'merge' }).upsertInteractions([
      interactionRow('s-x', 0),
    ]);
    assert.equal(server.requests[0]!.headers.prefer, 'resolution=merge-duplicates');
  });

  it('the partitioned conflict key is passed through when configured', async () => {
    const remote = new SupabaseSyncRemote(client, { interactionConflictKey: 'user_id,message_uuid,occurred_at' });
    await remote.upsertInteractions([interactionRow('s-x', 0)]);
    assert.equal(server.requests[0]!.query.get('on_conflict'), 'user_id,message_uuid,occurred_at');
  });

  it('surfaces status, PostgREST code and Retry-After (seconds and HTTP date) from failures', async () => {
    const remote = new SupabaseSyncRemote(client);
    server.fault = () => ({ status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '7' } });
    assert.deepEqual(await remote.upsertSessions([sessionRow('s-1')]), {
      ok: false,
      status: 429,
      message: 'Too Many Requests',
      retryAfterMs: 7000,
    });
    const when = new Date(Date.now() + 30_000).toUTCString();
    server.fault = () => ({ status: 503, body: { message: 'upstream unavailable' }, headers: { 'retry-after': when } });
    const r = await remote.upsertSessions([sessionRow('s-1')]);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.status === 503 && r.retryAfterMs! > 25_000 && r.retryAfterMs! <= 30_000);
    server.fault = undefined;
    const fk = await remote.upsertInteractions([interactionRow('no-such-session', 0)]);
    assert.ok(!fk.ok && fk.status === 409 && fk.code === '23503', JSON.stringify(fk));
    await server.stop();
    const down = await remote.upsertSessions([sessionRow('s-1')]);
    assert.ok(!down.ok && down.status === 0, JSON.stringify(down));
  });

  it('rpc delete_my_data: POST /rest/v1/rpc/delete_my_data with {}', async () => {
    await new SupabaseSyncRemote(client).upsertSessions([sessionRow('s-1')]);
    const { data, error } = await client.rpc('delete_my_data');
    assert.equal(error, null);
    assert.deepEqual(data, { interactions: 0, sessions: 1, teams: 0, memberships: 0 });
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/rest/v1/rpc/delete_my_data');
    assert.equal(req.body, '{}');
  });

  it('an engine drain sends sessions before interactions, in outbox order', async () => {
    const outbox = new FileOutbox();
    for (let i = 0; i < 3; i++) outbox.enqueueInteraction(interactionRow('s-9', i), '/p');
    outbox.enqueueSession(sessionRow('s-9'));
    const engine = new SyncEngine(outbox, new SupabaseSyncRemote(client), { mode: 'full' });
    const rep = await engine.drain();
    assert.equal(rep.outcome, 'drained');
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/rest/v1/claude_sessions', '/rest/v1/claude_interactions'],
    );
    assert.equal(server.interactions.size, 3);
  });
});
