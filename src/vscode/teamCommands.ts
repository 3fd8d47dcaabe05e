import * as vscode from 'vscode';
import { type InviteRole, normalizeInviteEmail, type TeamOverview } from '../core/teams/teamModel';
import type { CctSupabaseClient } from '../infra/supabase/client';
import { SupabaseTeamRemote, TeamRequestError } from '../infra/supabase/teamRemote';
import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import type { Logger } from './logger';

/** Command ids (package.json contributes them; the sync module registers them after activation). */
export const TEAM_COMMANDS = {
  invite: 'claudeTracer.team.invite',
  accept: 'claudeTracer.team.accept',
  leave: 'claudeTracer.team.leave',
  show: 'claudeTracer.team.show',
} as const;

export interface TeamCommandDeps {
  /** The Supabase client when this window is signed in, else undefined (from the Supabase registration). */
  signedInClient(): Promise<CctSupabaseClient | undefined>;
  log: Logger;
}

type Role = TeamOverview['teams'][number]['myRole'];

function roleLabel(role: Role): string {
  if (role === 'owner') return vscode.l10n.t('owner');
  if (role === 'admin') return vscode.l10n.t('admin');
  return vscode.l10n.t('member');
}

/**
 * Invite to a team, accept or decline an invitation, leave a team, show teams: the extension's side of the
 * consent-based membership of migration 20261206030000 (the CLI's is `cct team`). Fires onDidChangeTeams after
 * a membership changed.
 */
export class TeamCommands extends Disposable {
  private readonly _onDidChangeTeams = this._register(new Emitter<void>());
  readonly onDidChangeTeams = this._onDidChangeTeams.event;

  constructor(private readonly deps: TeamCommandDeps) {
    super();
    const reg = (id: string, fn: () => Promise<void>) =>
      this._register(vscode.commands.registerCommand(id, () => this.guard(fn)));
    reg(TEAM_COMMANDS.invite, () => this.invite());
    reg(TEAM_COMMANDS.accept, () => this.answerInvitation());
    reg(TEAM_COMMANDS.leave, () => this.leave());
    reg(TEAM_COMMANDS.show, () => this.show());
  }

  private async remote(): Promise<SupabaseTeamRemote | undefined> {
    const client = await this.deps.signedInClient();
    if (!client) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Claude Code Tracer: sign in to Supabase first.'));
      return undefined;
    }
    return new SupabaseTeamRemote(client);
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const hint = e instanceof TeamRequestError && e.hint ? ` ${e.hint}` : '';
      this.deps.log.warn(`team command failed: ${msg}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Claude Code Tracer: the team request failed: {0}', msg + hint),
      );
    }
  }

  private async invite(): Promise<void> {
    const remote = await this.remote();
    if (!remote) return;
    const teams = (await remote.list()).teams.filter((t) => t.accepted && t.myRole !== 'member');
    if (!teams.length) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: you are not an owner or admin of any team.'),
      );
      return;
    }
    const team =
      teams.length === 1
        ? teams[0]!
        : (
            await vscode.window.showQuickPick(
              teams.map((t) => ({ label: t.name, description: roleLabel(t.myRole), team: t })),
              { title: vscode.l10n.t('Invite to Team'), placeHolder: vscode.l10n.t('Choose the team') },
            )
          )?.team;
    if (!team) return;
    const raw = await vscode.window.showInputBox({
      title: vscode.l10n.t('Invite to {0}', team.name),
      prompt: vscode.l10n.t(
        'Email address to invite. Once they accept, the team owners and admins can read the sessions they sync.',
      ),
      validateInput: (v) => (normalizeInviteEmail(v) ? undefined : vscode.l10n.t('Enter an email address')),
    });
    const email = raw === undefined ? undefined : normalizeInviteEmail(raw);
    if (!email) return;
    const roles: { label: string; role: InviteRole }[] = [
      { label: vscode.l10n.t('member'), role: 'member' },
      { label: vscode.l10n.t('admin'), role: 'admin' },
    ];
    const role = await vscode.window.showQuickPick(roles, {
      title: vscode.l10n.t('Invite to {0}', team.name),
      placeHolder: vscode.l10n.t('Role in the team (admins read the synced sessions of every member)'),
    });
    if (!role) return;
    const inv = await remote.invite(team.id, email, role.role);
    const copy = vscode.l10n.t('Copy Invitation ID');
    const a = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Invited {0} to {1} until {2}. No email is sent: ask them to sign in with this address and run "Accept Team Invitation…" (or cct team accept {3}).',
        inv.email,
        team.name,
        new Date(inv.expires_at).toLocaleString(),
        inv.id,
      ),
      copy,
    );
    if (a === copy) await vscode.env.clipboard.writeText(inv.id);
  }

  private async answerInvitation(): Promise<void> {
    const remote = await this.remote();
    if (!remote) return;
    const invites = (await remote.list()).myInvites;
    if (!invites.length) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: no pending team invitations for your confirmed email address.'),
      );
      return;
    }
    const pick = await vscode.window.showQuickPick(
      invites.map((i) => ({
        label: i.teamName,
        description: roleLabel(i.role),
        detail: vscode.l10n.t('valid until {0}', new Date(i.expiresAt).toLocaleString()),
        invite: i,
      })),
      { title: vscode.l10n.t('Accept Team Invitation'), placeHolder: vscode.l10n.t('Choose an invitation') },
    );
    if (!pick) return;
    const accept = vscode.l10n.t('Accept');
    const decline = vscode.l10n.t('Decline');
    const a = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Join {0} as {1}? Its owners and admins will be able to read the sessions and interactions you sync (never change them), until you leave the team.',
        pick.invite.teamName,
        roleLabel(pick.invite.role),
      ),
      { modal: true },
      accept,
      decline,
    );
    if (a === accept) {
      await remote.accept(pick.invite.id);
      this._onDidChangeTeams.fire();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: you joined {0}.', pick.invite.teamName),
      );
    } else if (a === decline) {
      await remote.decline(pick.invite.id);
      this._onDidChangeTeams.fire();
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Claude Code Tracer: you declined the invitation to {0}.', pick.invite.teamName),
      );
    }
  }

  private async leave(): Promise<void> {
    const remote = await this.remote();
    if (!remote) return;
    const teams = (await remote.list()).teams;
    if (!teams.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Code Tracer: you are in no team.'));
      return;
    }
    const pick = await vscode.window.showQuickPick(
      teams.map((t) => ({ label: t.name, description: roleLabel(t.myRole), team: t })),
      { title: vscode.l10n.t('Leave Team'), placeHolder: vscode.l10n.t('Choose the team to leave') },
    );
    if (!pick) return;
    const yes = vscode.l10n.t('Leave');
    const a = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Leave {0}? Its admins stop reading your synced sessions. Rejoining needs a new invitation.',
        pick.team.name,
      ),
      { modal: true },
      yes,
    );
    if (a !== yes) return;
    await remote.leave(pick.team.id);
    this._onDidChangeTeams.fire();
    void vscode.window.showInformationMessage(vscode.l10n.t('Claude Code Tracer: you left {0}.', pick.team.name));
  }

  private async show(): Promise<void> {
    const remote = await this.remote();
    if (!remote) return;
    const o = await remote.list();
    const lines: string[] = [];
    if (!o.teams.length) lines.push(vscode.l10n.t('You are in no team.'));
    for (const t of o.teams) {
      const accepted = t.members.filter((m) => m.accepted).length;
      lines.push(
        vscode.l10n.t(
          '{0}: you are {1}; {2} members accepted, {3} not accepted, {4} invitations pending',
          t.name,
          roleLabel(t.myRole),
          accepted,
          t.members.length - accepted,
          t.pendingInvites.length,
        ),
      );
      for (const i of t.pendingInvites) lines.push(`  ${i.email} (${roleLabel(i.role)})`);
    }
    if (o.myInvites.length)
      lines.push(vscode.l10n.t('Invitations for you: {0}', o.myInvites.map((i) => i.teamName).join(', ')));
    await vscode.window.showInformationMessage(lines.join('\n'), { modal: true });
  }
}
