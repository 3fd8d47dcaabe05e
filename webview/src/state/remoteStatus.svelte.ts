import { type RemoteStatus, remoteStatus } from '../../../src/shared/protocol';
import { onNotify, request } from '../rpc';

const UNAVAILABLE: RemoteStatus = { state: 'unavailable', teamAdmin: false, syncMode: 'off' };

/**
 * The Supabase link as the host reports it (remote/status): whether the remote search scopes can run and which
 * state to show instead. Reloaded when the host says the remote side changed (connected, signed in or out, settings).
 */
export class RemoteStatusState {
  value = $state.raw<RemoteStatus | null>(null);
  #seq = 0;

  constructor() {
    $effect.root(() => {
      $effect(() =>
        onNotify((n) => {
          if (n.scope.includes('remote')) void this.load();
        }),
      );
    });
  }

  /**
   * Why a scope cannot read Supabase now: 'loading', the link's state ('notConnected', 'signedOut'…), or
   * 'notAdmin' for the team scope; null when it can, or the scope is this machine. Search and Metrics show the same.
   */
  blockedFor(scope: 'local' | 'mine' | 'team') {
    if (scope === 'local') return null;
    const r = this.value;
    if (!r) return 'loading' as const;
    if (r.state !== 'signedIn') return r.state;
    if (scope === 'team' && !r.teamAdmin) return 'notAdmin' as const;
    return null;
  }

  async load(): Promise<void> {
    const mine = ++this.#seq;
    let v: RemoteStatus;
    try {
      v = await request(remoteStatus, {});
    } catch {
      v = UNAVAILABLE; // a host without the sync module (or an older one): the remote scopes say so
    }
    if (mine === this.#seq) this.value = v;
  }
}
