/**
 * What `cct --help` shows for `team`, apart from its implementation (bundled separately as dist/commands/team.js,
 * like `sync`, because it needs supabase-js).
 */
const USAGE = `cct team <list|invite|accept|decline|leave|role> [options]

  list [--json]                       your teams (members and whether each accepted), the invitations of teams
                                      you administer, and the invitations addressed to you
  invite EMAIL --team TEAM [--role member|admin] [--json]
                                      invite an address to a team you own or administer. The answer is the same
                                      whether or not the address has an account. No email is sent: tell the
                                      person to sign in with that address and run \`cct team accept ID\`
  accept INVITE_ID [--json]           join the team (only the signed-in user whose confirmed email address was
                                      invited can). The team's owners and admins can then READ the sessions and
                                      interactions you sync; they never write them
  decline INVITE_ID [--json]          refuse an invitation
  leave TEAM [--json]                 leave a team; its admins stop reading your rows. The last owner cannot
                                      leave: make another member owner first (team role), or delete the team
  role TEAM USER_ID owner|admin|member [--json]
                                      change an accepted member's role (owners change owners; admins the others)

TEAM is a team id or its exact name. Sign in first with \`cct sync login --email ADDR\`.
Environment: SUPABASE_URL, SUPABASE_ANON_KEY, CCT_SUPABASE_AUTH_FILE (as for \`cct sync\`).
Exit: 0 done, 1 refused by the server, 2 usage, 3 not signed in.`;

export const TEAM_META = {
  name: 'team',
  summary: 'Supabase teams: list, invite by email, accept or decline an invitation, leave, change a role',
  usage: USAGE,
} as const;
