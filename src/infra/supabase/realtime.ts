import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import type { CctSupabaseClient } from './client';
import type { Database } from './database.types';

type SessionRecord = Database['public']['Tables']['claude_sessions']['Row'];
export interface RemoteSessionChange {
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** The new row (INSERT/UPDATE); for DELETE only the primary key survives RLS filtering. */
  row: Partial<SessionRecord>;
}

/**
 * postgres_changes on public.claude_sessions (in the supabase_realtime publication, replica identity full).
 * Realtime checks each change against the subscriber's RLS, so the signed-in user receives their own sessions
 * from every machine, plus their team members' when they are a team admin. Returns an unsubscribe function.
 */
export function subscribeSessionChanges(
  client: CctSupabaseClient,
  onChange: (c: RemoteSessionChange) => void,
  onStatus: (status: string, err?: Error) => void = () => {},
): () => Promise<void> {
  const channel = client
    .channel('cct:claude_sessions')
    .on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'claude_sessions' },
      (p: RealtimePostgresChangesPayload<SessionRecord>) => {
        onChange({ event: p.eventType, row: (p.eventType === 'DELETE' ? p.old : p.new) as Partial<SessionRecord> });
      },
    )
    .subscribe((status, err) => onStatus(status, err));
  return async () => {
    await client.removeChannel(channel);
  };
}
