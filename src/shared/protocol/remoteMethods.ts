import * as z from 'zod';
import { defineMethod } from './rpc';

/**
 * The link to Supabase as the dashboard needs it for the remote search scopes and the "sync not connected" states.
 * unavailable: the sync module is not loaded (yet, or it failed); notConfigured: no project connected;
 * signedOut: a project, nobody signed in on this device; signedIn: remote reads can run.
 */
export const RemoteStatusSchema = z.object({
  state: z.enum(['unavailable', 'notConfigured', 'signedOut', 'signedIn']),
  /** The signed-in user is an accepted owner or admin of at least one team ("My team" scope). */
  teamAdmin: z.boolean(),
  /** claudeTracer.sync.mode: in 'metadata' the server has no prompt/response text, only sessions. */
  syncMode: z.enum(['off', 'metadata', 'full']),
});
export type RemoteStatus = z.infer<typeof RemoteStatusSchema>;

export const remoteStatus = defineMethod('remote/status', z.object({}), RemoteStatusSchema);
