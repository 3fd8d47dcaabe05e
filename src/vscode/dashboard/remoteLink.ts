import type { CctSupabaseClient } from '../../infra/supabase/client';

/**
 * The dashboard's view of the Supabase connection (the sync bundle's SupabaseController provides it once loaded):
 * whether a project is connected and someone is signed in, and then the signed-in client for remote reads.
 */
export type RemoteLinkState =
  | { state: 'notConfigured' }
  | { state: 'signedOut' }
  | { state: 'signedIn'; userId: string; client: CctSupabaseClient };

export interface RemoteLink {
  current(): Promise<RemoteLinkState>;
  /** claudeTracer.sync.mode as the settings say now. */
  syncMode(): 'off' | 'metadata' | 'full';
}
