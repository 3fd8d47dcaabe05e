/**
 * Teams as the server returns them (public.teams, team_members, team_invites and the team RPCs of migration
 * 20261206030000_team_membership_consent), validated at the boundary, and the overview `cct team list` and the
 * extension show. A membership counts (its admins read the member's synced rows) only once accepted.
 */
import * as z from 'zod';

const uuid = z.string().uuid();
const timestamp = z.string().min(1);

export const TeamRowSchema = z.object({ id: uuid, name: z.string(), created_at: timestamp });
export type TeamRow = z.infer<typeof TeamRowSchema>;

export const TeamMembershipSchema = z.object({
  team_id: uuid,
  user_id: uuid,
  role: z.enum(['owner', 'admin', 'member']),
  accepted_at: timestamp.nullable(),
  created_at: timestamp,
});
export type TeamMembership = z.infer<typeof TeamMembershipSchema>;

export const TeamInviteSchema = z.object({
  id: uuid,
  team_id: uuid,
  email: z.string(),
  role: z.enum(['admin', 'member']),
  status: z.enum(['pending', 'accepted', 'declined']),
  created_at: timestamp,
  expires_at: timestamp,
});
export type TeamInvite = z.infer<typeof TeamInviteSchema>;

export const INVITE_ROLES = ['member', 'admin'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

export interface TeamOverview {
  teams: {
    id: string;
    name: string;
    /** The caller's role, and whether the caller accepted (false: a membership from before consent was needed). */
    myRole: TeamMembership['role'];
    accepted: boolean;
    members: { userId: string; role: TeamMembership['role']; accepted: boolean; me: boolean }[];
    /** Pending invitations of the team (visible to its owners and admins only). */
    pendingInvites: { id: string; email: string; role: InviteRole; expiresAt: string }[];
  }[];
  /** Pending invitations addressed to the caller. */
  myInvites: { id: string; teamId: string; teamName: string; role: InviteRole; expiresAt: string }[];
}

/**
 * Groups what RLS let the caller read. An invitation is the caller's when it is addressed to their email; the
 * others are visible because the caller administers the team. Expired invitations are left out (they can no
 * longer be accepted; an admin invites again).
 */
export function buildTeamOverview(
  teams: readonly TeamRow[],
  members: readonly TeamMembership[],
  invites: readonly TeamInvite[],
  me: { userId: string; email?: string },
  now = Date.now(),
): TeamOverview {
  const myEmail = me.email?.trim().toLowerCase();
  const name = new Map(teams.map((t) => [t.id, t.name]));
  const pending = invites.filter((i) => i.status === 'pending' && !(Date.parse(i.expires_at) <= now));
  const mine = members.filter((m) => m.user_id === me.userId);
  return {
    teams: mine
      .map((m) => ({
        id: m.team_id,
        name: name.get(m.team_id) ?? m.team_id,
        myRole: m.role,
        accepted: m.accepted_at !== null,
        members: members
          .filter((x) => x.team_id === m.team_id)
          .map((x) => ({
            userId: x.user_id,
            role: x.role,
            accepted: x.accepted_at !== null,
            me: x.user_id === me.userId,
          }))
          .sort((a, b) => Number(b.me) - Number(a.me) || a.userId.localeCompare(b.userId)),
        pendingInvites: pending
          .filter((i) => i.team_id === m.team_id && i.email !== myEmail)
          .map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expires_at })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    myInvites: pending
      .filter((i) => myEmail !== undefined && i.email === myEmail)
      .map((i) => ({
        id: i.id,
        teamId: i.team_id,
        teamName: name.get(i.team_id) ?? i.team_id,
        role: i.role,
        expiresAt: i.expires_at,
      })),
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A team given by id or by exact name among the caller's teams; throws with a clear message otherwise. */
export function resolveTeam(ref: string, teams: TeamOverview['teams']): { id: string; name: string } {
  const r = ref.trim();
  if (UUID_RE.test(r)) {
    const t = teams.find((x) => x.id.toLowerCase() === r.toLowerCase());
    return t ? { id: t.id, name: t.name } : { id: r.toLowerCase(), name: r };
  }
  const hits = teams.filter((t) => t.name === r);
  if (hits.length === 1) return { id: hits[0]!.id, name: hits[0]!.name };
  if (hits.length > 1)
    throw new Error(
      `${hits.length} of your teams are named "${r}"; give the team id (${hits.map((t) => t.id).join(', ')})`,
    );
  throw new Error(`you are in no team named "${r}" (cct team list shows your teams)`);
}

/** Loose email check before asking the server (which checks again): something@something, no spaces. */
export function normalizeInviteEmail(email: string): string | undefined {
  const e = email.trim().toLowerCase();
  return e.length <= 320 && /^[^@\s]+@[^@\s]+$/.test(e) ? e : undefined;
}

export function isUuid(s: string): boolean {
  return UUID_RE.test(s.trim());
}
