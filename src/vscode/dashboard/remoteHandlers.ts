import { groupRemoteHits } from '../../core/search/remoteHits';
import type { CctSupabaseClient } from '../../infra/supabase/client';
import { RemoteReadError, SupabaseRemoteSearch } from '../../infra/supabase/remoteSearch';
import type { IDisposable } from '../../shared/disposable';
import { type RemoteStatus, remoteStatus, type SearchParams, type SearchResult } from '../../shared/protocol';
import type { RemoteLink, RemoteLinkState } from './remoteLink';
import { type RequestRouter, RpcFailure } from './requestRouter';

export interface RemoteHandlerDeps {
  /** Undefined until the sync bundle has loaded (or when it failed to). */
  link(): RemoteLink | undefined;
  /** This machine's id as the sync records it (metadata.machine; infra/sqlite/machineId.ts). */
  machine(): Promise<string | undefined>;
}

/** The signed-in link, or the 'unavailable' failure a remote scope answers with (not connected, signed out). */
export async function signedIn(
  link: RemoteLink | undefined,
  toDo: string,
): Promise<Extract<RemoteLinkState, { state: 'signedIn' }>> {
  const cur = await link?.current();
  if (cur?.state !== 'signedIn')
    throw new RpcFailure(
      cur?.state === 'signedOut' ? `sign in to Supabase to ${toDo}` : 'sync is not connected',
      'unavailable',
    );
  return cur;
}

/**
 * A remote read's failure as the view shows it: a refused session says to sign in again, an outage that Supabase
 * could not be reached (the local scope is untouched either way); anything else passes as it is.
 */
export function remoteFailure(e: unknown): unknown {
  if (e instanceof RemoteReadError && e.kind === 'auth')
    return new RpcFailure(`Supabase refused the session (${e.message}): sign in again`, 'unavailable');
  if (e instanceof RemoteReadError && e.kind === 'outage')
    return new RpcFailure(`Supabase could not be reached: ${e.message}`, 'internal');
  return e;
}

/** How long "is a team admin" is trusted before asking the server again (it changes rarely; a sign-in resets it). */
const ADMIN_TTL_MS = 60_000;

/**
 * The remote search scopes ("All my machines", "My team") and remote/status: reads from Supabase through
 * src/infra/supabase under the signed-in user's RLS. Not connected or signed out is a state the view shows with its
 * action, not an error; a Supabase outage is an error of the remote scope only (the local scope never calls here).
 */
export class RemoteSearchHandlers implements IDisposable {
  private admin: { userId: string; at: number; value: boolean } | undefined;
  private readonly reg: IDisposable;

  constructor(
    router: RequestRouter,
    private readonly deps: RemoteHandlerDeps,
    private readonly now: () => number = Date.now,
  ) {
    this.reg = router.handle(remoteStatus, () => this.status());
  }

  async status(): Promise<RemoteStatus> {
    const link = this.deps.link();
    if (!link) return { state: 'unavailable', teamAdmin: false, syncMode: 'off' };
    const syncMode = link.syncMode();
    const cur = await link.current();
    if (cur.state !== 'signedIn') return { state: cur.state, teamAdmin: false, syncMode };
    let teamAdmin = false;
    try {
      teamAdmin = await this.isTeamAdmin(cur.userId, cur.client);
    } catch {
      // an outage shows when a remote scope is searched; the status stays usable
    }
    return { state: 'signedIn', teamAdmin, syncMode };
  }

  /** Answers `search` for the scopes 'mine' and 'team'. */
  async search(p: SearchParams & { scope: 'mine' | 'team' }): Promise<SearchResult> {
    const cur = await signedIn(this.deps.link(), 'search your other machines');
    try {
      const matches = await new SupabaseRemoteSearch(cur.client).search({
        query: p.query,
        scope: p.scope,
        ...(p.filters.project ? { project: p.filters.project } : {}),
        limit: p.limit,
      });
      return { engine: 'remote', groups: groupRemoteHits(matches, p.query, (await this.deps.machine()) ?? '') };
    } catch (e) {
      if (e instanceof RemoteReadError && e.kind === 'auth') this.admin = undefined;
      throw remoteFailure(e);
    }
  }

  /** Rows would wait for a project that is not connected: the Sessions rows say "sync not connected". */
  async notConnected(): Promise<boolean> {
    return (await this.deps.link()?.current())?.state === 'notConfigured';
  }

  private async isTeamAdmin(userId: string, client: CctSupabaseClient): Promise<boolean> {
    const a = this.admin;
    if (a && a.userId === userId && this.now() - a.at < ADMIN_TTL_MS) return a.value;
    const value = await new SupabaseRemoteSearch(client).isTeamAdmin(userId);
    this.admin = { userId, at: this.now(), value };
    return value;
  }

  dispose(): void {
    this.reg.dispose();
  }
}
