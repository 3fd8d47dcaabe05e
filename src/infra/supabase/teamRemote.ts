import type { PostgrestError } from '@supabase/supabase-js';
import type * as z from 'zod';
import {
  buildTeamOverview,
  type InviteRole,
  type TeamInvite,
  TeamInviteSchema,
  type TeamMembership,
  TeamMembershipSchema,
  type TeamOverview,
  TeamRowSchema,
} from '../../core/teams/teamModel';
import type { CctSupabaseClient } from './client';

/** A refused team request: the PostgREST/SQLSTATE code (P0002 not found, 55000 wrong state, 42501 not allowed…). */
export class TeamRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TeamRequestError';
  }
}

const MEMBER_COLUMNS = 'team_id,user_id,role,accepted_at,created_at';
const INVITE_COLUMNS = 'id,team_id,email,role,status,created_at,expires_at';

/**
 * Team membership over supabase-js: the RPCs (invite_to_team, accept_team_invite, decline_team_invite, leave_team)
 * and the reads `list` needs, each reply validated with zod. Needs a signed-in client.
 */
export class SupabaseTeamRemote {
  constructor(private readonly client: CctSupabaseClient) {}

  /** Same reply whether or not the address has an account (the server never looks it up). */
  async invite(teamId: string, email: string, role: InviteRole = 'member'): Promise<TeamInvite> {
    const r = await this.client.rpc('invite_to_team', { p_team_id: teamId, p_email: email, p_role: role });
    return parse(TeamInviteSchema, r, 'invite_to_team');
  }

  async accept(inviteId: string): Promise<TeamMembership> {
    return parse(
      TeamMembershipSchema,
      await this.client.rpc('accept_team_invite', { p_invite_id: inviteId }),
      'accept_team_invite',
    );
  }

  async decline(inviteId: string): Promise<TeamInvite> {
    return parse(
      TeamInviteSchema,
      await this.client.rpc('decline_team_invite', { p_invite_id: inviteId }),
      'decline_team_invite',
    );
  }

  async leave(teamId: string): Promise<TeamMembership> {
    return parse(TeamMembershipSchema, await this.client.rpc('leave_team', { p_team_id: teamId }), 'leave_team');
  }

  /** An owner/admin changes an accepted member's role (hand-over: make someone owner before leaving). */
  async setRole(teamId: string, userId: string, role: TeamMembership['role']): Promise<TeamMembership> {
    const r = await this.client
      .from('team_members')
      .update({ role })
      .eq('team_id', teamId)
      .eq('user_id', userId)
      .select(MEMBER_COLUMNS);
    const rows = parse(TeamMembershipSchema.array(), r, 'team_members');
    if (!rows[0])
      throw new TeamRequestError(
        'no accepted membership of that user in that team that you may change (owners change owners; admins the others)',
        'P0002',
      );
    return rows[0];
  }

  /** The caller's teams (members with their accepted state, the team's pending invitations) and their invitations. */
  async list(): Promise<TeamOverview> {
    const { data: s, error: se } = await this.client.auth.getSession();
    const user = s.session?.user;
    if (se || !user) throw new TeamRequestError(`not signed in${se ? `: ${se.message}` : ''}`, se?.code);
    const [teams, members, invites] = await Promise.all([
      this.client.from('teams').select('id,name,created_at').order('name'),
      this.client.from('team_members').select(MEMBER_COLUMNS),
      this.client.from('team_invites').select(INVITE_COLUMNS).eq('status', 'pending'),
    ]);
    return buildTeamOverview(
      parse(TeamRowSchema.array(), teams, 'teams'),
      parse(TeamMembershipSchema.array(), members, 'team_members'),
      parse(TeamInviteSchema.array(), invites, 'team_invites'),
      { userId: user.id, ...(user.email ? { email: user.email } : {}) },
    );
  }
}

function parse<S extends z.ZodType>(
  schema: S,
  r: { data: unknown; error: PostgrestError | null },
  what: string,
): z.infer<S> {
  if (r.error) throw new TeamRequestError(r.error.message, r.error.code, r.error.hint || undefined);
  const p = schema.safeParse(r.data);
  if (!p.success) throw new TeamRequestError(`unexpected reply from ${what}: ${p.error.message}`, 'CCT_BAD_REPLY');
  return p.data;
}
