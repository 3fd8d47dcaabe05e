import assert from 'node:assert/strict';
import { SupabaseAuth } from '../../../src/infra/supabase/auth';
import { createSupabaseClient } from '../../../src/infra/supabase/client';
import { type RemoteSessionChange, subscribeSessionChanges } from '../../../src/infra/supabase/realtime';
import { FakeSupabase } from './fakeSupabase';
import { MemoryStorage } from './helpers';

const until = async (cond: () => boolean, what: string, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Realtime: claude_sessions changes from other machines (supabase-js against a Phoenix-speaking WebSocket)', function () {
  this.timeout(20_000);
  let server: FakeSupabase;
  beforeEach(async () => (server = await new FakeSupabase().start()));
  afterEach(async () => server.stop());

  it('joins postgres_changes on public.claude_sessions with the user JWT, delivers changes, and re-authenticates the socket after another window refreshed', async () => {
    const storage = new MemoryStorage();
    const client = createSupabaseClient(
      { url: server.url, anonKey: server.anonKey },
      { storage, autoRefreshToken: false },
    );
    const auth = new SupabaseAuth(client, storage);
    await auth.sendEmailCode('rt@example.test');
    await auth.verifyEmailCode('rt@example.test', '123456');
    const token = (await client.auth.getSession()).data.session!.access_token;

    const changes: RemoteSessionChange[] = [];
    const statuses: string[] = [];
    const unsubscribe = subscribeSessionChanges(
      client,
      (c) => changes.push(c),
      (s) => statuses.push(s),
    );
    await until(() => statuses.includes('SUBSCRIBED'), 'SUBSCRIBED');

    const conn = server.realtime.connections[0]!;
    const q = new URL(conn.url, 'http://x').searchParams;
    assert.equal(q.get('apikey'), server.anonKey);
    assert.equal(q.get('vsn'), '2.0.0');
    const join = server.realtime.received.find((r) => r.msg[3] === 'phx_join')!.msg;
    assert.equal(join[2], 'realtime:cct:claude_sessions');
    const payload = join[4] as { config: { postgres_changes: unknown[]; private: boolean }; access_token: string };
    assert.deepEqual(payload.config.postgres_changes, [{ event: '*', schema: 'public', table: 'claude_sessions' }]);
    assert.equal(
      payload.access_token,
      token,
      'joined with the user access token (Realtime applies the subscriber RLS)',
    );

    server.realtime.pushChange('realtime:cct:claude_sessions', 'INSERT', {
      session_id: 'from-laptop',
      status: 'active',
      total_interactions: 3,
    });
    server.realtime.pushChange('realtime:cct:claude_sessions', 'DELETE', {}, { id: 'row-1' });
    await until(() => changes.length === 2, 'two changes');
    assert.deepEqual(changes[0], {
      event: 'INSERT',
      row: { session_id: 'from-laptop', status: 'active', total_interactions: 3 },
    });
    assert.deepEqual(changes[1], { event: 'DELETE', row: { id: 'row-1' } });

    // another window refreshes; this window adopts → the socket gets the new token
    const other = createSupabaseClient(
      { url: server.url, anonKey: server.anonKey },
      { storage, autoRefreshToken: false },
    );
    const refreshed = await other.auth.refreshSession();
    assert.equal(refreshed.error, null);
    assert.equal(await auth.adoptStoredSession(), 'adopted');
    await until(() => server.realtime.received.some((r) => r.msg[3] === 'access_token'), 'access_token push');
    const at = server.realtime.received.find((r) => r.msg[3] === 'access_token')!.msg[4] as { access_token: string };
    assert.equal(at.access_token, refreshed.data.session!.access_token);

    // realtime-js's socket disconnect arms a 10 s setTimeout it never clears (socketAdapter.disconnect); unref the
    // timers armed while unsubscribing so that timer does not hold the test runner open for 10 s.
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...a: unknown[]) =>
      realSetTimeout(fn, ms, ...a).unref()) as typeof setTimeout;
    try {
      await unsubscribe();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    await until(() => server.realtime.received.some((r) => r.msg[3] === 'phx_leave'), 'phx_leave');
    auth.dispose();
  });
});
