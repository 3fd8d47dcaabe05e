import assert from 'node:assert/strict';
import {
  buildTeamOverview,
  normalizeInviteEmail,
  resolveTeam,
  type TeamInvite,
  type TeamMembership,
} from '../../../src/core/teams/teamModel';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const ME = 'cccccccc-0000-4000-8000-000000000003';
const YOU = 'dddddddd-0000-4000-8000-000000000004';
const T = '2026-12-06T00:00:00+00:00';
const NOW = Date.parse('2026-12-10T00:00:00Z');
const inv = (o: Partial<TeamInvite>): TeamInvite => ({
  id: A,
  team_id: A,
  email: 'x@example.test',
  role: 'member',
  status: 'pending',
  created_at: T,
  expires_at: '2026-12-20T00:00:00+00:00',
  ...o,
});
const mem = (o: Partial<TeamMembership>): TeamMembership => ({
  team_id: A,
  user_id: ME,
  role: 'member',
  accepted_at: T,
  created_at: T,
  ...o,
});

describe('team overview (what cct team list and Show Teams display)', () => {
  it('my invitations are those to my email (any case); expired ones are left out; others belong to teams I run', () => {
    const o = buildTeamOverview(
      [
        { id: A, name: 'alpha', created_at: T },
        { id: B, name: 'beta', created_at: T },
      ],
      [mem({ role: 'owner' }), mem({ user_id: YOU, accepted_at: null })],
      [
        inv({ id: '10000000-0000-4000-8000-000000000001', email: 'friend@example.test' }),
        inv({ id: '20000000-0000-4000-8000-000000000002', team_id: B, email: 'me@example.test' }),
        inv({ id: '30000000-0000-4000-8000-000000000003', team_id: B, email: 'me@example.test', expires_at: T }),
        inv({ id: '40000000-0000-4000-8000-000000000004', status: 'declined', email: 'old@example.test' }),
      ],
      { userId: ME, email: 'Me@Example.test' },
      NOW,
    );
    assert.deepEqual(
      o.teams.map((t) => [
        t.name,
        t.myRole,
        t.accepted,
        t.members.map((m) => [m.accepted, m.me]),
        t.pendingInvites.map((i) => i.email),
      ]),
      [
        [
          'alpha',
          'owner',
          true,
          [
            [true, true],
            [false, false],
          ],
          ['friend@example.test'],
        ],
      ],
    );
    assert.deepEqual(
      o.myInvites.map((i) => [i.id, i.teamName]),
      [['20000000-0000-4000-8000-000000000002', 'beta']],
    );
  });

  it('a membership I never accepted is listed as not accepted', () => {
    const o = buildTeamOverview([], [mem({ accepted_at: null, role: 'admin' })], [], { userId: ME }, NOW);
    assert.deepEqual(
      o.teams.map((t) => [t.name, t.myRole, t.accepted]),
      [[A, 'admin', false]],
    );
  });
});

describe('resolveTeam / normalizeInviteEmail', () => {
  const teams = buildTeamOverview(
    [
      { id: A, name: 'same', created_at: T },
      { id: B, name: 'same', created_at: T },
    ],
    [mem({}), mem({ team_id: B })],
    [],
    { userId: ME },
  ).teams;
  it('an id passes; a unique name resolves; an ambiguous or unknown name is a clear error', () => {
    assert.deepEqual(resolveTeam(A.toUpperCase(), teams), { id: A, name: 'same' });
    assert.throws(() => resolveTeam('same', teams), /2 of your teams are named "same"; give the team id/);
    assert.throws(() => resolveTeam('nope', teams), /no team named "nope"/);
    assert.deepEqual(resolveTeam('same', teams.slice(1)), { id: B, name: 'same' });
  });
  it('emails are trimmed and lower-cased; non-addresses refused', () => {
    assert.equal(normalizeInviteEmail('  Ann@Example.TEST '), 'ann@example.test');
    for (const bad of ['', 'ann', 'ann@', '@x', 'a b@x', `${'a'.repeat(320)}@x`])
      assert.equal(normalizeInviteEmail(bad), undefined, bad);
  });
});
