/**
 * The dashboard's remote search scopes end to end on the db tier's real PostgreSQL (issue 9): SupabaseRemoteSearch →
 * supabase-js → HTTP (fake GoTrue) → PostgREST's SQL as `authenticator` → public.search_synced under RLS. Rows are
 * written by each user's own client as the sync sends them (two machines of A, one of B; a team's members).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { groupRemoteHits } from '../../../src/core/search/remoteHits';
import type { CctSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseRemoteSearch } from '../../../src/infra/supabase/remoteSearch';
import { SupabaseTeamRemote } from '../../../src/infra/supabase/teamRemote';
import { interactionRow, m, sessionRow, signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

describe('remote search scopes end to end on real PostgreSQL (all my machines, my team)', function () {
  this.timeout(120_000);
  const pg = useRealPg();

  /** What one machine's sync sends: the session (with its machine name) and a prompt, as that user. */
  async function sync(client: CctSupabaseClient, machine: string, sessionId: string, prompt: string, cost = 1) {
    const s = await client
      .from('claude_sessions')
      .upsert([sessionRow(sessionId, { metadata: { machine }, total_cost_usd: cost }) as never], {
        onConflict: 'user_id,session_id',
      });
    assert.equal(s.error, null, JSON.stringify(s.error));
    const i = await client
      .from('claude_interactions')
      .upsert([interactionRow(sessionId, 0, { message_uuid: randomUUID(), user_prompt: m(prompt) }) as never], {
        onConflict: 'user_id,message_uuid',
        ignoreDuplicates: true,
      });
    assert.equal(i.error, null, JSON.stringify(i.error));
  }

  it("A's 'all my machines' search sees both of A's machines and never B's rows", async () => {
    const suffix = Date.now().toString(36);
    const a = await signIn(pg.server, `a-${suffix}@example.test`);
    const b = await signIn(pg.server, `b-${suffix}@example.test`);
    await sync(a.client, 'laptop', `a-laptop-${suffix}`, `deploy the zebra${suffix} cluster from the laptop`);
    await sync(a.client, 'desk', `a-desk-${suffix}`, `zebra${suffix} rollout, checked on the desk`);
    await sync(b.client, 'bobs-box', `b-${suffix}`, `zebra${suffix} secrets of B`);

    const asA = await new SupabaseRemoteSearch(a.client).search({ query: `ZEBRA${suffix}`, scope: 'mine', limit: 50 });
    const hits = asA.filter((x) => x.role === 'prompt');
    assert.deepEqual(hits.map((x) => x.machine).sort(), ['desk', 'laptop'], 'both machines of A');
    assert.ok(
      asA.every((x) => x.mine && x.ownerId === a.userId),
      'only A’s rows',
    );
    assert.ok(!asA.some((x) => x.sessionId.startsWith('b-') || x.excerpt.includes('secrets')), 'never B’s');

    const groups = groupRemoteHits(asA, `zebra${suffix}`, 'laptop');
    assert.deepEqual(groups.map((g) => [g.sessionId, g.origin?.machine, g.origin?.thisMachine]).sort(), [
      [`a-desk-${suffix}`, 'desk', false],
      [`a-laptop-${suffix}`, 'laptop', true],
    ]);
    for (const g of groups)
      for (const h of g.hits)
        assert.deepEqual(
          h.snippet.highlights.map(([s, e]) => h.snippet.text.slice(s, e).toLowerCase()),
          [`zebra${suffix}`],
          'highlights are ranges of the masked text',
        );

    const asB = await new SupabaseRemoteSearch(b.client).search({ query: `zebra${suffix}`, scope: 'mine', limit: 50 });
    assert.deepEqual([...new Set(asB.map((x) => x.sessionId))], [`b-${suffix}`]);
    assert.equal(await new SupabaseRemoteSearch(a.client).isTeamAdmin(a.userId), false);
  });

  it("a team admin's 'my team' search sees accepted members only, with their sessions' cost", async () => {
    const suffix = `t${Date.now().toString(36)}`;
    const owner = await signIn(pg.server, `owner-${suffix}@example.test`);
    const member = await signIn(pg.server, `member-${suffix}@example.test`);
    const invited = await signIn(pg.server, `invited-${suffix}@example.test`);
    const stranger = await signIn(pg.server, `stranger-${suffix}@example.test`);
    for (const [u, name] of [
      [owner, 'owner'],
      [member, 'member'],
      [invited, 'invited'],
      [stranger, 'stranger'],
    ] as const)
      await sync(u.client, `${name}-pc`, `${name}-${suffix}`, `quokka${suffix} work of ${name}`, 2.5);

    const created = await owner.client.from('teams').insert({ name: `remote-${suffix}` });
    assert.equal(created.error, null, JSON.stringify(created.error));
    const teams = new SupabaseTeamRemote(owner.client);
    const team = (await teams.list()).teams[0]!;
    const inv = await teams.invite(team.id, `member-${suffix}@example.test`);
    await teams.invite(team.id, `invited-${suffix}@example.test`); // never accepted
    await new SupabaseTeamRemote(member.client).accept(inv.id);

    const search = new SupabaseRemoteSearch(owner.client);
    assert.equal(await search.isTeamAdmin(owner.userId), true);
    const rows = await search.search({ query: `quokka${suffix}`, scope: 'team', limit: 50 });
    const owners = [...new Set(rows.map((x) => x.ownerId))].sort();
    assert.deepEqual(owners, [owner.userId, member.userId].sort(), 'the owner and the accepted member only');
    const theirs = rows.find((x) => x.ownerId === member.userId)!;
    assert.equal(theirs.mine, false);
    assert.equal(theirs.costUsd, 2.5);
    assert.equal(theirs.machine, 'member-pc');

    // a plain member administers nobody; "mine" stays one's own rows
    assert.equal(await new SupabaseRemoteSearch(member.client).isTeamAdmin(member.userId), false);
    assert.deepEqual(
      await new SupabaseRemoteSearch(member.client).search({ query: `quokka${suffix}`, scope: 'team', limit: 50 }),
      [],
    );
    const mine = await search.search({ query: `quokka${suffix}`, scope: 'mine', limit: 50 });
    assert.deepEqual([...new Set(mine.map((x) => x.ownerId))], [owner.userId]);
  });
});
