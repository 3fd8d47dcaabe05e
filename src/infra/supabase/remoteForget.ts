import type { CctSupabaseClient } from './client';

/** Ids per request: each goes in the URL (`session_id=in.(…)`), so a long list is split. */
const IDS_PER_REQUEST = 50;

export interface RemoteForgetResult {
  ok: boolean;
  /** PostgREST's message (or the HTTP status) of the request that failed. */
  message?: string;
}

/**
 * Forget on the server: deletes the caller's interactions and sessions with these session ids, through the same
 * supabase-js client and PostgREST path as sync (DELETE filtered by session_id). RLS limits every delete to the
 * caller's own rows, so another user's session with the same id is untouched. Interactions first (the FK cascades
 * from sessions too; deleting them explicitly keeps this right if that changes). Idempotent: a retry after a failure
 * deletes what is left.
 */
export async function deleteRemoteSessions(
  client: CctSupabaseClient,
  sessionIds: readonly string[],
  timeoutMs = 60_000,
): Promise<RemoteForgetResult> {
  for (let i = 0; i < sessionIds.length; i += IDS_PER_REQUEST) {
    const ids = sessionIds.slice(i, i + IDS_PER_REQUEST);
    for (const table of ['claude_interactions', 'claude_sessions'] as const) {
      const { error, status, statusText } = await client
        .from(table)
        .delete()
        .in('session_id', ids)
        .abortSignal(AbortSignal.timeout(timeoutMs));
      if (error || status < 200 || status >= 300)
        return { ok: false, message: error?.message || statusText || `HTTP ${status}` };
    }
  }
  return { ok: true };
}
