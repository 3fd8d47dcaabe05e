import {
  INVITE_ROLES,
  type InviteRole,
  isUuid,
  normalizeInviteEmail,
  resolveTeam,
  type TeamOverview,
} from '../../core/teams/teamModel';
import { SupabaseTeamRemote, TeamRequestError } from '../../infra/supabase/teamRemote';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { connectSupabase } from '../supabaseSession';
import { TEAM_META } from './teamMeta';

const ROLES = ['owner', 'admin', 'member'] as const;

export const teamCommand: CliCommand = {
  ...TEAM_META,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub) throw new UsageError('missing subcommand');
    if (!['list', 'invite', 'accept', 'decline', 'leave', 'role'].includes(sub))
      throw new UsageError(`unknown subcommand '${sub}'`);
    const p = parseArgs(rest, { values: ['team', 'role'], booleans: ['json'] });
    const json = p.booleans.has('json');
    const arity = { list: 0, invite: 1, accept: 1, decline: 1, leave: 1, role: 3 }[sub]!;
    if (p.positionals.length !== arity)
      throw new UsageError(`${sub} takes ${arity || 'no'} argument${arity === 1 ? '' : 's'}`);
    if (sub !== 'invite' && (p.flags.has('team') || p.flags.has('role')))
      throw new UsageError(`--team and --role belong to invite`);
    const [a, b, c] = p.positionals as [string, string, string];
    // validate before connecting: bad input never reaches the server
    let inviteRole: InviteRole = 'member';
    let email: string | undefined;
    if (sub === 'invite') {
      email = normalizeInviteEmail(a);
      if (!email) throw new UsageError(`'${a}' is not an email address`);
      if (!lastFlag(p, 'team')) throw new UsageError('invite needs --team ID|NAME');
      const r = lastFlag(p, 'role') ?? 'member';
      if (!(INVITE_ROLES as readonly string[]).includes(r)) throw new UsageError('--role must be member or admin');
      inviteRole = r as InviteRole;
    }
    if ((sub === 'accept' || sub === 'decline') && !isUuid(a))
      throw new UsageError(`'${a}' is not an invitation id (cct team list shows them)`);
    if (sub === 'role' && !isUuid(b)) throw new UsageError(`'${b}' is not a user id (cct team list shows them)`);
    if (sub === 'role' && !(ROLES as readonly string[]).includes(c))
      throw new UsageError('the role must be owner, admin or member');

    const auth = connectSupabase(io);
    try {
      if (!(await auth.state()).signedIn) {
        io.stderr.write('cct team: not signed in (cct sync login --email ADDR)\n');
        return 3;
      }
      const remote = new SupabaseTeamRemote(auth.client);
      const out = (value: unknown, text: string) => io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
      const team = async (ref: string) => resolveTeam(ref, (await remote.list()).teams);
      if (sub === 'list') {
        const o = await remote.list();
        out(o, describeOverview(o));
      } else if (sub === 'invite') {
        const t = await team(lastFlag(p, 'team')!);
        const inv = await remote.invite(t.id, email!, inviteRole);
        out(
          inv,
          `invited ${inv.email} to ${t.name} as ${inv.role} (invitation ${inv.id}, valid until ${inv.expires_at}).\n` +
            `No email is sent: tell them to sign in with that address and run: cct team accept ${inv.id}`,
        );
      } else if (sub === 'accept') {
        const m = await remote.accept(a);
        out(
          m,
          `joined team ${m.team_id} as ${m.role}. Its owners and admins can now read the sessions and interactions you sync (cct team leave ${m.team_id} to stop).`,
        );
      } else if (sub === 'decline') {
        const inv = await remote.decline(a);
        out(inv, `declined invitation ${inv.id}`);
      } else if (sub === 'leave') {
        const t = await team(a);
        const m = await remote.leave(t.id);
        out(m, `left ${t.name}; its admins no longer read your rows`);
      } else {
        const t = await team(a);
        const m = await remote.setRole(t.id, b, c as (typeof ROLES)[number]);
        out(m, `${m.user_id} is now ${m.role} of ${t.name}`);
      }
      return 0;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      const hint = e instanceof TeamRequestError && e.hint ? ` (${e.hint})` : '';
      io.stderr.write(`cct team ${sub}: ${msg}${hint}\n`);
      return 1;
    } finally {
      auth.dispose();
    }
  },
};

function describeOverview(o: TeamOverview): string {
  const lines: string[] = [];
  if (!o.teams.length) lines.push('no teams');
  for (const t of o.teams) {
    lines.push(`${t.name} (${t.id}): you are ${t.myRole}${t.accepted ? '' : ', NOT accepted'}`);
    for (const m of t.members)
      lines.push(
        `  ${m.userId}  ${m.role}${m.accepted ? '' : '  (not accepted: its admins read nothing)'}${m.me ? '  (you)' : ''}`,
      );
    for (const i of t.pendingInvites) lines.push(`  invited ${i.email} as ${i.role}, until ${i.expiresAt} (${i.id})`);
  }
  if (o.myInvites.length) {
    lines.push('invitations for you (cct team accept|decline ID):');
    for (const i of o.myInvites) lines.push(`  ${i.id}  ${i.teamName} as ${i.role}, until ${i.expiresAt}`);
  }
  return lines.join('\n');
}
