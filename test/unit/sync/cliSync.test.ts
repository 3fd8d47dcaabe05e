import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCct } from '../../helpers/cct';
import { FakeSupabase } from './fakeSupabase';

const cct = (argv: string[], env: Record<string, string>, stdinText?: string) => runCct(argv, env, stdinText);

describe('cct sync (CLI, against the fake Supabase)', () => {
  let server: FakeSupabase;
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    server = await new FakeSupabase().start();
    dir = mkdtempSync(join(tmpdir(), 'cct-sync-cli-'));
    env = {
      SUPABASE_URL: server.url,
      SUPABASE_ANON_KEY: server.anonKey,
      CCT_SUPABASE_AUTH_FILE: join(dir, 'auth.json'),
    };
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('login with a code typed on stdin, status, delete-remote, logout', async () => {
    const login = await cct(['sync', 'login', '--email', 'cli@example.test'], env, '123456\n');
    assert.equal(login.code, 0, login.err);
    assert.match(login.out, /signed in as cli@example.test/);
    assert.equal(statSync(env.CCT_SUPABASE_AUTH_FILE!).mode & 0o777, 0o600, 'the session file is private');
    assert.ok(JSON.parse(readFileSync(env.CCT_SUPABASE_AUTH_FILE!, 'utf8'))['claudeTracer.supabase.auth']);

    const st = await cct(['sync', 'status', '--json'], env);
    assert.equal(st.code, 0);
    assert.equal(JSON.parse(st.out).email, 'cli@example.test');

    assert.equal((await cct(['sync', 'delete-remote'], env)).code, 2, 'needs --yes');
    const del = await cct(['sync', 'delete-remote', '--yes'], env);
    assert.equal(del.code, 0, del.err);
    assert.ok(server.requests.some((r) => r.path === '/rest/v1/rpc/delete_my_data'));

    assert.equal((await cct(['sync', 'logout'], env)).code, 0);
    const after = await cct(['sync', 'status'], env);
    assert.equal(after.code, 3);
    assert.match(after.out, /not signed in/);
  });

  it('forget --remote deletes the sessions on the server with the stored session; signed out it says so and exits 1', async () => {
    const db = join(dir, 'store.db');
    const deletes: string[] = [];
    server.restBackend = async (rec, claims) => {
      if (rec.method !== 'DELETE') return { status: 405, payload: { message: rec.method } };
      deletes.push(`${rec.path}?${rec.query.toString()} as ${claims && claims !== 'expired' ? claims.role : 'anon'}`);
      return { status: 204 };
    };
    const out = await cct(['forget', 'not-signed-in-yet', '--db', db, '--remote'], env);
    assert.equal(out.code, 1);
    assert.match(out.err, /the local store is done, but deleting from Supabase failed: not signed in/);
    assert.deepEqual(deletes, []);

    assert.equal((await cct(['sync', 'login', '--email', 'cli@example.test', '--code', '123456'], env)).code, 0);
    const r = await cct(['forget', 'sess-1', 'sess-2', '--db', db, '--remote', '--json'], env);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).remote, { ok: true });
    assert.deepEqual(deletes, [
      '/rest/v1/claude_interactions?session_id=in.%28sess-1%2Csess-2%29 as authenticated',
      '/rest/v1/claude_sessions?session_id=in.%28sess-1%2Csess-2%29 as authenticated',
    ]);
  });

  it('refuses a service-role key before any request, with the explanation', async () => {
    const r = await cct(['sync', 'status'], { ...env, SUPABASE_ANON_KEY: server.serviceRoleKey });
    assert.equal(r.code, 2);
    assert.match(r.err, /bypasses Row Level Security/);
    assert.equal(server.requests.length, 0);
  });

  it('a wrong code fails with the server message and stores no session', async () => {
    const r = await cct(['sync', 'login', '--email', 'x@example.test', '--code', '999999'], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /expired or is invalid/);
    assert.equal((await cct(['sync', 'status'], env)).code, 3);
  });

  it('needs SUPABASE_URL and SUPABASE_ANON_KEY', async () => {
    const r = await cct(['sync', 'status'], { CCT_SUPABASE_AUTH_FILE: env.CCT_SUPABASE_AUTH_FILE! });
    assert.equal(r.code, 2);
    assert.match(r.err, /SUPABASE_URL and SUPABASE_ANON_KEY/);
  });
});
