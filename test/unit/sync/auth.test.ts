import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DrainLoop } from '../../../src/core/sync/drainLoop';
import { checkConnection, classifyKey } from '../../../src/core/sync/supabaseSettings';
import { SupabaseAuth } from '../../../src/infra/supabase/auth';
import { createSupabaseClient, DEFAULT_STORAGE_KEY } from '../../../src/infra/supabase/client';
import { FakeSupabase } from './fakeSupabase';
import { MemoryStorage } from './helpers';

function makeAuth(server: FakeSupabase, storage = new MemoryStorage()) {
  const client = createSupabaseClient(
    { url: server.url, anonKey: server.anonKey },
    { storage, autoRefreshToken: false },
  );
  return { auth: new SupabaseAuth(client, storage), storage, client };
}

describe('Supabase sign-in (supabase-js against the fake GoTrue)', () => {
  let server: FakeSupabase;
  beforeEach(async () => (server = await new FakeSupabase().start()));
  afterEach(async () => server.stop());

  it('email one-time code with PKCE: POST /otp carries a code_challenge, POST /verify stores the session under the storage key', async () => {
    const { auth, storage } = makeAuth(server);
    await auth.sendEmailCode('dev@example.test');
    const otp = server.requests.find((r) => r.path === '/auth/v1/otp')!;
    const body = JSON.parse(otp.body);
    assert.equal(body.email, 'dev@example.test');
    assert.equal(body.create_user, true);
    assert.match(body.code_challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(body.code_challenge_method, 's256');
    assert.equal(otp.headers.apikey, server.anonKey);
    assert.ok(otp.headers['x-supabase-api-version']);
    assert.ok(
      storage.map.get(`${DEFAULT_STORAGE_KEY}-code-verifier`),
      'the PKCE verifier is kept in the storage adapter',
    );

    await assert.rejects(auth.verifyEmailCode('dev@example.test', '000000'), /expired or is invalid/);
    const st = await auth.verifyEmailCode('dev@example.test', ' 123456 ');
    assert.equal(st.signedIn, true);
    assert.equal(st.email, 'dev@example.test');
    const verify = server.requests.filter((r) => r.path === '/auth/v1/verify').at(-1)!;
    assert.deepEqual(
      { ...JSON.parse(verify.body), gotrue_meta_security: undefined },
      { email: 'dev@example.test', token: '123456', type: 'email', gotrue_meta_security: undefined },
    );
    const saved = JSON.parse(storage.map.get(DEFAULT_STORAGE_KEY)!);
    assert.ok(saved.access_token && saved.refresh_token, 'session persisted');
  });

  it('GitHub: the authorize URL needs no request; the code from the URI handler is exchanged with the stored verifier, even after a restart', async () => {
    const storage = new MemoryStorage();
    const { auth } = makeAuth(server, storage);
    const redirect = 'vscode://claude-code-tracer.claude-code-tracer/auth-callback';
    const url = new URL(await auth.githubAuthorizeUrl(redirect));
    assert.equal(server.requests.length, 0, 'no request is made');
    assert.equal(url.pathname, '/auth/v1/authorize');
    assert.equal(url.searchParams.get('provider'), 'github');
    assert.equal(url.searchParams.get('redirect_to'), redirect);
    assert.equal(url.searchParams.get('code_challenge_method'), 's256');
    const challenge = url.searchParams.get('code_challenge')!;
    const verifier = storage.map.get(`${DEFAULT_STORAGE_KEY}-code-verifier`)!.split('/')[0]!.replace(/^"|"$/g, '');
    assert.equal(createHash('sha256').update(verifier).digest('base64url'), challenge, 'S256(verifier) = challenge');

    // the browser leg happens elsewhere; the extension host restarts; a new client with the same SecretStorage exchanges
    const user = server.addUser('gh@example.test');
    const code = server.issuePkceCode(user.id, challenge);
    const { auth: afterRestart } = makeAuth(server, storage);
    const st = await afterRestart.exchangeCode(code);
    assert.equal(st.userId, user.id);
    const tok = server.requests.find((r) => r.path === '/auth/v1/token')!;
    assert.equal(tok.query.get('grant_type'), 'pkce');
    assert.deepEqual(Object.keys(JSON.parse(tok.body)).sort(), ['auth_code', 'code_verifier']);
  });

  it("two windows sharing one SecretStorage: the second adopts the first one's refreshed session instead of failing on a used refresh token", async () => {
    const storage = new MemoryStorage();
    const a = makeAuth(server, storage);
    await a.auth.sendEmailCode('w@example.test');
    await a.auth.verifyEmailCode('w@example.test', '123456');
    const b = makeAuth(server, storage);
    assert.equal((await b.auth.state()).signedIn, true, 'window B reads the stored session');
    const stale = structuredClone(JSON.parse(storage.map.get(DEFAULT_STORAGE_KEY)!));

    const events: string[] = [];
    b.auth.onDidChange((_s, e) => events.push(e));
    const r = await a.client.auth.refreshSession();
    assert.equal(r.error, null, 'window A refreshes (rotation: the old refresh token is now used)');
    assert.equal(await b.auth.adoptStoredSession(), 'adopted');
    assert.deepEqual(events, ['ADOPTED']);
    assert.equal(await b.auth.adoptStoredSession(), 'unchanged');
    server.requests.length = 0;
    await b.client.from('claude_sessions').upsert([], { onConflict: 'user_id,session_id' });
    assert.equal(
      server.requests[0]!.headers.authorization,
      `Bearer ${r.data.session!.access_token}`,
      "B sends A's refreshed token",
    );
    assert.equal((await b.client.auth.refreshSession()).error, null, 'B can refresh the adopted (unused) token');
    assert.equal(await a.auth.adoptStoredSession(), 'adopted', "and A adopts B's");

    // the failure adoption prevents: refreshing the stale copy
    const c = makeAuth(server, new MemoryStorage());
    await c.client.auth
      .setSession({ access_token: stale.access_token, refresh_token: stale.refresh_token })
      .catch(() => undefined);
    const bad = await c.client.auth.refreshSession({ refresh_token: stale.refresh_token });
    assert.match(String(bad.error?.message), /Already Used/);
  });

  it('a window that is not signed in starts its sync timer when it adopts the sign-in of another window, and stops it on a sign-out there', async () => {
    const storage = new MemoryStorage();
    const b = makeAuth(server, storage); // this window: not signed in, its timer off
    const delays: number[] = [];
    const timers = {
      now: () => 0,
      setTimeout: (_fn: () => void, ms: number) => delays.push(ms),
      clearTimeout: () => delays.splice(0),
    };
    const loop = new DrainLoop({
      drain: async () => ({}),
      settings: () => ({ enabled: true, intervalMs: 120_000 }),
      timers,
    });
    b.auth.onDidChange((st) => loop.setSignedIn(st.signedIn)); // as the extension's controller wires it
    assert.equal((await b.auth.state()).signedIn, false);
    assert.deepEqual(delays, []);

    const a = makeAuth(server, storage); // another window signs in; SecretStorage tells this one
    await a.auth.sendEmailCode('other@example.test');
    await a.auth.verifyEmailCode('other@example.test', '123456');
    assert.equal(await b.auth.adoptStoredSession(), 'adopted');
    assert.deepEqual(delays, [5_000], 'a run is scheduled here');

    storage.map.clear(); // signed out in the other window
    assert.equal(await b.auth.adoptStoredSession(), 'signed-out');
    assert.deepEqual(delays, [], 'the timer is stopped');
    loop.dispose();
  });

  it('sign out clears every stored key and tells GoTrue (scope local)', async () => {
    const { auth, storage } = makeAuth(server);
    await auth.sendEmailCode('o@example.test');
    await auth.verifyEmailCode('o@example.test', '123456');
    await auth.signOut();
    assert.equal(storage.map.size, 0, [...storage.map.keys()].join(','));
    const out = server.requests.find((r) => r.path === '/auth/v1/logout')!;
    assert.equal(out.query.get('scope'), 'local');
    assert.equal((await auth.state()).signedIn, false);
    assert.equal(await auth.adoptStoredSession(), 'unchanged');
  });

  it('a window whose stored session disappeared (signed out elsewhere) signs out too', async () => {
    const storage = new MemoryStorage();
    const a = makeAuth(server, storage);
    await a.auth.sendEmailCode('x@example.test');
    await a.auth.verifyEmailCode('x@example.test', '123456');
    storage.map.clear();
    assert.equal(await a.auth.adoptStoredSession(), 'signed-out');
    assert.equal((await a.auth.state()).signedIn, false);
  });

  it('delete my remote data calls the RPC as the user', async () => {
    const { auth } = makeAuth(server);
    await auth.sendEmailCode('d@example.test');
    await auth.verifyEmailCode('d@example.test', '123456');
    assert.deepEqual(await auth.deleteMyRemoteData(), { interactions: 0, sessions: 0, teams: 0, memberships: 0 });
  });
});

describe('Supabase connection settings', () => {
  const fake = new FakeSupabase();
  it('refuses a service-role key, by JWT role claim or sb_secret_ prefix, with an explanation', () => {
    for (const key of [fake.serviceRoleKey, 'sb_secret_abcDEF123_xyz']) {
      const c = checkConnection('https://abc.supabase.co', key);
      assert.equal(c.ok, false);
      assert.match(c.error!, /bypasses Row Level Security/);
    }
  });
  it('accepts the publishable key and the legacy anon JWT', () => {
    assert.equal(classifyKey('sb_publishable_abc123'), 'publishable');
    assert.equal(classifyKey(fake.anonKey), 'legacy-anon');
    assert.deepEqual(checkConnection('https://abc.supabase.co/', 'sb_publishable_abc123'), {
      ok: true,
      keyKind: 'publishable',
      url: 'https://abc.supabase.co',
    });
  });
  it('refuses unknown keys, non-https URLs (except localhost) and URLs with credentials', () => {
    assert.equal(checkConnection('https://abc.supabase.co', 'hunter2').ok, false);
    assert.equal(checkConnection('http://abc.supabase.co', 'sb_publishable_x').ok, false);
    assert.equal(checkConnection('http://127.0.0.1:54321', 'sb_publishable_x').ok, true);
    assert.equal(checkConnection('https://u:p@abc.supabase.co', 'sb_publishable_x').ok, false);
    assert.equal(checkConnection('not a url', 'sb_publishable_x').ok, false);
  });
});
