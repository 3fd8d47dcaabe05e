import type { PostgrestError } from '@supabase/supabase-js';
import { parseRetryAfter } from '../../core/sync/policy';
import type { RemoteResult, SyncRemote } from '../../core/sync/ports';
import type { InteractionRow, RemoteSessionRow } from '../../core/sync/rows';
import { type CctSupabaseClient, type ResponseSlot, responseSlot } from './client';
import type { Database } from './database.types';

type SessionInsert = Database['public']['Tables']['claude_sessions']['Insert'];
type InteractionInsert = Database['public']['Tables']['claude_interactions']['Insert'];
// Compile-time proof that every column the engine sends exists in the generated schema types.
type MustBeTrue<T extends true> = T;
export type _SessionColumnsExist = MustBeTrue<keyof RemoteSessionRow extends keyof SessionInsert ? true : false>;
export type _InteractionColumnsExist = MustBeTrue<keyof InteractionRow extends keyof InteractionInsert ? true : false>;

export interface SupabaseSyncRemoteOptions {
  /** 'user_id,message_uuid' (default) or, after the partitioning plan, 'user_id,message_uuid,occurred_at'. */
  interactionConflictKey?: string;
  /**
   * 'merge': a re-sent interaction overwrites the stored one. Both callers (the extension and `cct sync push`) pass
   * it, because the store's outbox re-enqueues an interaction that grew after it was first synced (streamed response
   * blocks, usage of a later line); with 'ignore' the server would keep the first, partial version.
   * 'ignore' (what an unset option means): a stored interaction is never touched again. test/db/e2e proves both.
   */
  interactionResolution?: 'ignore' | 'merge';
  /** Abort a request after this long (counted as a network failure). Default 60 s. */
  requestTimeoutMs?: number;
}

/** The SyncRemote port over supabase-js (PostgREST upserts + GoTrue refresh). */
export class SupabaseSyncRemote implements SyncRemote {
  private readonly conflictKey: string;
  private readonly ignoreDuplicates: boolean;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: CctSupabaseClient,
    opts: SupabaseSyncRemoteOptions = {},
  ) {
    this.conflictKey = opts.interactionConflictKey ?? 'user_id,message_uuid';
    this.ignoreDuplicates = (opts.interactionResolution ?? 'ignore') === 'ignore';
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
  }

  upsertSessions(rows: readonly RemoteSessionRow[]): Promise<RemoteResult> {
    return this.call(() =>
      this.client
        .from('claude_sessions')
        .upsert(rows as unknown as SessionInsert[], { onConflict: 'user_id,session_id' })
        .abortSignal(AbortSignal.timeout(this.timeoutMs)),
    );
  }

  upsertInteractions(rows: readonly InteractionRow[]): Promise<RemoteResult> {
    return this.call(() =>
      this.client
        .from('claude_interactions')
        .upsert(rows as unknown as InteractionInsert[], {
          onConflict: this.conflictKey,
          ignoreDuplicates: this.ignoreDuplicates,
        })
        .abortSignal(AbortSignal.timeout(this.timeoutMs)),
    );
  }

  async refreshAuth(): Promise<boolean> {
    try {
      const { data, error } = await this.client.auth.refreshSession();
      return !error && !!data.session;
    } catch {
      return false;
    }
  }

  private async call(
    q: () => PromiseLike<{ error: PostgrestError | null; status: number; statusText: string }>,
  ): Promise<RemoteResult> {
    const slot: ResponseSlot = {};
    const { error, status, statusText } = await responseSlot.run(slot, async () => await q());
    if (!error && status >= 200 && status < 300) return { ok: true };
    const retryAfterMs = parseRetryAfter(slot.retryAfter, Date.now());
    return {
      ok: false,
      status,
      ...(error?.code ? { code: error.code } : {}),
      message: error?.message || statusText || `HTTP ${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
}
