/**
 * `cct team` in-process against the local fake Supabase (GoTrue sign-in is the fake's; its REST side is scripted
 * here with PostgREST-shaped replies): argument checks before any request, name → id resolution, the RPC sent,
 * exit codes and the server's refusal with its hint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCct } from '../../helpers/cct';
import { FakeSupabase, type RecordedRequest, type RestResult } from '../sync/fakeSupabase';

const TEAM = '7ea40000-0000-4000-8000-000000000001';
const INVITE = '1e000000-0000-4000-8000-000000000002';
const T = '2026-12-06T02:27:10+00:00';

describe('cct team (CLI, against the fake Supabase)', function () {
  this.timeout(30_000);
  let dir: string;
  let server: FakeSupabase;
  let env: Record<string, string>;
  let me = '';
  let reply: (rec: RecordedRequest) => RestResult;
  const rest = () => server.requests.filter((r) => r.path.startsWith('/rest/'));
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cct-team-'));
    server = await new FakeSupabase().start();
    env = {
      HOME: dir,
      SUPABASE_URL: server.url,
      SUPABASE_ANON_KEY: server.anonKey,
      CCT_SUPABASE_AUTH_FILE: join(dir, 'auth.json'),
    };
    reply = (rec) => {
      if (rec.path === '/rest/v1/teams') return { status: 200, payload: [{ id: TEAM, name: 'core', created_at: T }] };
      if (rec.path === '/rest/v1/team_members')
        return { status: 200, payload: [{ team_id: TEAM, user_id: me, role: 'owner', accepted_at: T, created_at: T }] };
      if (rec.path === '/rest/v1/team_invites') return { status: 200, payload: [] };
      if (rec.path === '/rest/v1/rpc/invite_to_team')
        return {
          status: 200,
          payload: {
            id: INVITE,
            team_id: TEAM,
            email: 'new@example.test',
            role: 'admin',
            invited_by: me,
            status: 'pending',
            created_at: T,
            expires_at: T,
            responded_at: null,
          },
        };
      if (rec.path === '/rest/v1/rpc/leave_team')
        return {
          status: 500,
          payload: {
            code: '55000',
            details: null,
            hint: 'Make another member (who accepted) an owner first, or delete the team.',
            message: `the last owner cannot leave or stop being owner of team ${TEAM}`,
          },
        };
      return { status: 404, payload: { code: 'PGRST202', details: null, hint: null, message: 'no such function' } };
    };
    server.restBackend = async (rec) => reply(rec);
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async () => {
    const r = await runCct(['sync', 'login', '--email', 'owner@example.test', '--code', '123456'], env);
    assert.equal(r.code, 0, r.err);
    me = /\(([0-9a-f-]{36})\)/.exec(r.out)![1]!;
  };

  it('refuses bad input before any request (exit 2) and needs a signed-in session (exit 3)', async () => {
    for (const argv of [
      ['team', 'invite', 'not-an-address', '--team', 'core'],
      ['team', 'invite', 'a@example.test'],
      ['team', 'invite', 'a@example.test', '--team', 'core', '--role', 'owner'],
      ['team', 'accept', 'abc'],
      ['team', 'decline'],
      ['team', 'leave', 'core', '--role', 'admin'],
      ['team', 'role', 'core', 'someone', 'owner'],
      ['team', 'frobnicate'],
    ]) {
      const r = await runCct(argv, env);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    }
    assert.equal(server.requests.length, 0, 'nothing was sent');
    const r = await runCct(['team', 'list'], env);
    assert.equal(r.code, 3);
    assert.match(r.err, /not signed in/);
  });

  it('invite --team NAME: resolves the name among my teams, then one POST rpc/invite_to_team with its id', async () => {
    await login();
    server.requests.length = 0;
    const r = await runCct(['team', 'invite', ' New@Example.test', '--team', 'core', '--role', 'admin'], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`invited new@example\\.test to core as admin \\(invitation ${INVITE}`));
    assert.match(r.out, /No email is sent/);
    const rpc = rest().filter((x) => x.path.startsWith('/rest/v1/rpc/'));
    assert.deepEqual(
      rpc.map((x) => [x.path, JSON.parse(x.body)]),
      [['/rest/v1/rpc/invite_to_team', { p_team_id: TEAM, p_email: 'new@example.test', p_role: 'admin' }]],
    );
    const missing = await runCct(['team', 'invite', 'x@example.test', '--team', 'nope'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no team named "nope"/);
  });

  it("the last owner leaving: exit 1 with the server's reason and hint", async () => {
    await login();
    const r = await runCct(['team', 'leave', 'core'], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /the last owner cannot leave .*\(Make another member \(who accepted\) an owner first/);
  });

  it('list --json: teams with members and accepted state, my invitations', async () => {
    await login();
    const r = await runCct(['team', 'list', '--json'], env);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), {
      teams: [
        {
          id: TEAM,
          name: 'core',
          myRole: 'owner',
          accepted: true,
          members: [{ userId: me, role: 'owner', accepted: true, me: true }],
          pendingInvites: [],
        },
      ],
      myInvites: [],
    });
    const text = await runCct(['team', 'list'], env);
    assert.match(text.out, new RegExp(`^core \\(${TEAM}\\): you are owner\\n  ${me}  owner  \\(you\\)\\n$`));
  });
});
