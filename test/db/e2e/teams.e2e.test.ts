/**
 * Team membership end to end on the db tier's real PostgreSQL (issue 14 §2): SupabaseTeamRemote → supabase-js →
 * HTTP (fake GoTrue) → PostgREST's SQL as `authenticator` on the migrated cluster. The attack (add a stranger's
 * user id, read their rows) fails; the invite → accept → read → leave flow works through the real RPCs and RLS.
 */
import assert from 'node:assert/strict';
import type { CctSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseTeamRemote, TeamRequestError } from '../../../src/infra/supabase/teamRemote';
import { signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

describe('teams end to end on real PostgreSQL (consent: invite, accept, leave)', function () {
  this.timeout(120_000);
  const pg = useRealPg();

  const sessionsOf = async (client: CctSupabaseClient, userId: string) => {
    const r = await client.from('claude_sessions').select('session_id').eq('user_id', userId);
    assert.equal(r.error, null, JSON.stringify(r.error));
    return (r.data ?? []).map((x) => x.session_id);
  };
  const refusal = (code: string) => (e: unknown) => {
    assert.ok(e instanceof TeamRequestError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };

  it('an owner cannot add a stranger; the invitee accepts, is read, leaves, is no longer read', async () => {
    const suffix = Date.now().toString(36);
    const owner = await signIn(pg.server, `owner-${suffix}@example.test`);
    const invitee = await signIn(pg.server, `invitee-${suffix}@example.test`);
    const stranger = await signIn(pg.server, `stranger-${suffix}@example.test`);
    const asOwner = new SupabaseTeamRemote(owner.client);
    const asInvitee = new SupabaseTeamRemote(invitee.client);
    const asStranger = new SupabaseTeamRemote(stranger.client);
    for (const r of [asOwner, asInvitee, asStranger]) assert.deepEqual((await r.list()).teams, []);
    await pg.bridge.adminQuery(
      `insert into public.claude_sessions (user_id, session_id, start_time) values ($1, 'invitee-s', now())`,
      [invitee.userId],
    );

    const created = await owner.client.from('teams').insert({ name: `e2e-${suffix}` });
    assert.equal(created.error, null, JSON.stringify(created.error));
    const team = (await asOwner.list()).teams[0]!;
    assert.equal(team.myRole, 'owner');

    // the attack: insert the stranger's (here: the invitee's) user id directly
    const attack = await owner.client.from('team_members').insert({ team_id: team.id, user_id: invitee.userId });
    assert.equal(attack.error?.code, '42501', JSON.stringify(attack.error));
    assert.deepEqual(await sessionsOf(owner.client, invitee.userId), [], 'the owner reads nothing of the invitee');

    // no enumeration: an address with an account and one without get the same kind of reply
    const a = await asOwner.invite(team.id, `Invitee-${suffix}@example.test`);
    const b = await asOwner.invite(team.id, `nobody-${suffix}@example.test`);
    const shape = (i: typeof a) => ({
      keys: Object.keys(i).sort(),
      status: i.status,
      role: i.role,
      validMs: Date.parse(i.expires_at) - Date.parse(i.created_at),
    });
    assert.deepEqual(shape(a), shape(b));
    assert.equal(a.email, `invitee-${suffix}@example.test`);

    assert.deepEqual(
      (await asInvitee.list()).myInvites.map((i) => [i.id, i.teamName]),
      [[a.id, `e2e-${suffix}`]],
    );
    assert.deepEqual((await asStranger.list()).myInvites, []);
    await assert.rejects(asStranger.accept(a.id), refusal('P0002'));
    assert.deepEqual(await sessionsOf(owner.client, invitee.userId), [], 'still nothing before the invitee accepts');

    const m = await asInvitee.accept(a.id);
    assert.equal(m.user_id, invitee.userId);
    assert.ok(m.accepted_at);
    assert.deepEqual(
      await sessionsOf(owner.client, invitee.userId),
      ['invitee-s'],
      'the owner reads the accepted member',
    );
    const roster = (await asOwner.list()).teams[0]!;
    assert.deepEqual(
      roster.members.map((x) => [x.role, x.accepted, x.me]),
      [
        ['owner', true, true],
        ['member', true, false],
      ],
    );
    assert.deepEqual(
      roster.pendingInvites.map((i) => i.email),
      [`nobody-${suffix}@example.test`],
    );

    await assert.rejects(asOwner.leave(team.id), refusal('55000'));
    await asInvitee.leave(team.id);
    assert.deepEqual(await sessionsOf(owner.client, invitee.userId), [], 'after leaving, the owner reads 0 rows');
  });
});
