/**
 * The exact supabase-js requests SupabaseTeamRemote sends (recorded by the local fake Supabase), and how it
 * validates the replies. The fake's REST side is scripted per test (restBackend) with PostgREST-shaped replies;
 * test/db/e2e/teams.e2e.test.ts runs the same calls against the real schema.
 */
import assert from 'node:assert/strict';
import type { CctSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseTeamRemote, TeamRequestError } from '../../../src/infra/supabase/teamRemote';
import { FakeSupabase, type RecordedRequest, type RestResult } from '../sync/fakeSupabase';
import { signIn } from '../sync/helpers';

const TEAM = '7ea40000-0000-4000-8000-000000000001';
const INVITE = '1e000000-0000-4000-8000-000000000002';
const OTHER = '0a000000-0000-4000-8000-000000000003';
const T = '2026-12-06T02:27:10.111846+00:00';
const invite = (o: Record<string, unknown> = {}) => ({
  id: INVITE,
  team_id: TEAM,
  email: 'new@example.test',
  role: 'member',
  invited_by: OTHER,
  status: 'pending',
  created_at: T,
  expires_at: '2099-12-20T02:27:10.111846+00:00',
  responded_at: null,
  ...o,
});

describe('SupabaseTeamRemote → PostgREST requests (exact wire format)', () => {
  let server: FakeSupabase;
  let client: CctSupabaseClient;
  let userId: string;
  let reply: (rec: RecordedRequest) => RestResult;
  beforeEach(async () => {
    server = await new FakeSupabase().start();
    ({ client, userId } = await signIn(server, 'Me@Example.test'));
    server.requests.length = 0;
    server.restBackend = async (rec) => reply(rec);
  });
  afterEach(async () => {
    await client.auth.stopAutoRefresh();
    await server.stop();
  });

  const bearerSub = (rec: RecordedRequest) =>
    JSON.parse(Buffer.from(rec.headers.authorization!.replace('Bearer ', '').split('.')[1]!, 'base64url').toString())
      .sub;

  it('invite: POST /rest/v1/rpc/invite_to_team {p_team_id, p_email, p_role} with the user JWT; the reply is validated', async () => {
    reply = () => ({ status: 200, payload: invite() });
    const r = await new SupabaseTeamRemote(client).invite(TEAM, 'new@example.test', 'admin');
    assert.equal(r.id, INVITE);
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/rest/v1/rpc/invite_to_team');
    assert.equal(req.rawUrl.includes('?'), false, 'no query string');
    assert.deepEqual(JSON.parse(req.body), { p_team_id: TEAM, p_email: 'new@example.test', p_role: 'admin' });
    assert.equal(req.headers['content-profile'], 'public');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(bearerSub(req), userId, "the signed-in user's token, not the anon key");
  });

  it('accept, decline, leave: one POST each to their RPC with the one named argument', async () => {
    const member = { team_id: TEAM, user_id: userId, role: 'member', accepted_at: T, created_at: T, updated_at: T };
    reply = (rec) =>
      rec.path.endsWith('decline_team_invite')
        ? { status: 200, payload: invite({ status: 'declined', responded_at: T }) }
        : { status: 200, payload: member };
    const remote = new SupabaseTeamRemote(client);
    assert.equal((await remote.accept(INVITE)).accepted_at, T);
    assert.equal((await remote.decline(INVITE)).status, 'declined');
    assert.equal((await remote.leave(TEAM)).team_id, TEAM);
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path, JSON.parse(r.body)]),
      [
        ['POST', '/rest/v1/rpc/accept_team_invite', { p_invite_id: INVITE }],
        ['POST', '/rest/v1/rpc/decline_team_invite', { p_invite_id: INVITE }],
        ['POST', '/rest/v1/rpc/leave_team', { p_team_id: TEAM }],
      ],
    );
  });

  it('a refusal keeps its SQLSTATE and hint (P0002 not yours, 55000 last owner)', async () => {
    reply = () => ({
      status: 400,
      payload: {
        code: 'P0002',
        details: null,
        hint: null,
        message: `no invitation ${INVITE} for your confirmed email address`,
      },
    });
    await assert.rejects(new SupabaseTeamRemote(client).accept(INVITE), (e: unknown) => {
      assert.ok(e instanceof TeamRequestError);
      assert.equal(e.code, 'P0002');
      assert.match(e.message, /no invitation/);
      return true;
    });
    reply = () => ({
      status: 500,
      payload: {
        code: '55000',
        details: null,
        hint: 'Make another member (who accepted) an owner first, or delete the team.',
        message: 'the last owner cannot leave',
      },
    });
    await assert.rejects(new SupabaseTeamRemote(client).leave(TEAM), (e: unknown) => {
      assert.ok(e instanceof TeamRequestError);
      assert.equal(e.code, '55000');
      assert.match(e.hint ?? '', /another member/);
      return true;
    });
  });

  it('a reply of the wrong shape is refused, not trusted', async () => {
    reply = () => ({ status: 200, payload: invite({ role: 'owner' }) });
    await assert.rejects(new SupabaseTeamRemote(client).invite(TEAM, 'x@example.test'), (e: unknown) => {
      assert.ok(e instanceof TeamRequestError);
      assert.equal(e.code, 'CCT_BAD_REPLY');
      return true;
    });
  });

  it('setRole: PATCH /rest/v1/team_members?team_id=eq.&user_id=eq.&select=… with only {role}; no row back is a refusal', async () => {
    const member = { team_id: TEAM, user_id: OTHER, role: 'owner', accepted_at: T, created_at: T };
    reply = () => ({ status: 200, payload: [member] });
    const remote = new SupabaseTeamRemote(client);
    assert.equal((await remote.setRole(TEAM, OTHER, 'owner')).role, 'owner');
    const req = server.requests[0]!;
    assert.equal(req.method, 'PATCH');
    assert.equal(req.path, '/rest/v1/team_members');
    assert.deepEqual(Object.fromEntries(req.query), {
      team_id: `eq.${TEAM}`,
      user_id: `eq.${OTHER}`,
      select: 'team_id,user_id,role,accepted_at,created_at',
    });
    assert.deepEqual(JSON.parse(req.body), { role: 'owner' }, 'never user_id, team_id or accepted_at');
    assert.equal(req.headers.prefer, 'return=representation');
    reply = () => ({ status: 200, payload: [] });
    await assert.rejects(
      remote.setRole(TEAM, OTHER, 'admin'),
      (e: unknown) => e instanceof TeamRequestError && e.code === 'P0002',
    );
  });

  it('list: three GETs (teams ordered by name, team_members, pending team_invites) grouped per team; my invitations by my email', async () => {
    reply = (rec) => {
      if (rec.path === '/rest/v1/teams')
        return {
          status: 200,
          payload: [
            { id: TEAM, name: 'core', created_at: T },
            { id: OTHER, name: 'other', created_at: T },
          ],
        };
      if (rec.path === '/rest/v1/team_members')
        return {
          status: 200,
          payload: [
            { team_id: TEAM, user_id: userId, role: 'owner', accepted_at: T, created_at: T },
            { team_id: TEAM, user_id: OTHER, role: 'member', accepted_at: null, created_at: T },
          ],
        };
      return {
        status: 200,
        payload: [invite(), invite({ id: OTHER, team_id: OTHER, email: 'me@example.test' })],
      };
    };
    const o = await new SupabaseTeamRemote(client).list();
    const gets = server.requests
      .filter((r) => r.path.startsWith('/rest/'))
      .sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(
      gets.map((r) => [r.method, r.path, Object.fromEntries(r.query)]),
      [
        [
          'GET',
          '/rest/v1/team_invites',
          { select: 'id,team_id,email,role,status,created_at,expires_at', status: 'eq.pending' },
        ],
        ['GET', '/rest/v1/team_members', { select: 'team_id,user_id,role,accepted_at,created_at' }],
        ['GET', '/rest/v1/teams', { select: 'id,name,created_at', order: 'name.asc' }],
      ],
    );
    for (const r of gets) assert.equal(r.headers['accept-profile'], 'public');
    assert.deepEqual(o, {
      teams: [
        {
          id: TEAM,
          name: 'core',
          myRole: 'owner',
          accepted: true,
          members: [
            { userId, role: 'owner', accepted: true, me: true },
            { userId: OTHER, role: 'member', accepted: false, me: false },
          ],
          pendingInvites: [
            { id: INVITE, email: 'new@example.test', role: 'member', expiresAt: '2099-12-20T02:27:10.111846+00:00' },
          ],
        },
      ],
      myInvites: [
        { id: OTHER, teamId: OTHER, teamName: 'other', role: 'member', expiresAt: '2099-12-20T02:27:10.111846+00:00' },
      ],
    });
  });
});
