import type { IngestStatus } from '../../shared/protocol';

/** What the status bar needs of the sync loop (SupabaseController's report, reduced). */
export interface SyncHealthInput {
  mode: 'off' | 'metadata' | 'full';
  signedIn: boolean;
  breaker: 'closed' | 'open' | 'half-open';
  /** The last drain's outcome and error, if one ran. */
  outcome?: 'drained' | 'disabled' | 'circuit-open' | 'auth-required' | 'gave-up' | 'aborted';
  lastError?: string;
  pending?: number;
  deadLetters?: number;
}

/** The sync state in one word for the tooltip. */
export type SyncState = 'off' | 'signed-out' | 'synced' | 'pending' | 'failing';

export type HealthErrorCode = 'scan-failed' | 'auth-required' | 'server-down' | 'gave-up';

export interface TrackerHealth {
  /**
   * Set when ingest or sync fails: the status bar shows its error state with the reason (the code, translated by the
   * UI, and the detail: an error message, never transcript text).
   */
  error?: { source: 'ingest' | 'sync'; code: HealthErrorCode; detail?: string };
  sync: { state: SyncState; pending?: number; deadLetters?: number };
}

/** Reasons are shown in a tooltip: bounded, one line. */
const clip = (s: string) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/**
 * Whether the tracker is healthy, for the status bar: a failed scan (not a busy lease: another window ingesting is
 * normal) or a sync that cannot deliver (the server is down, the sign-in expired, a batch gave up) is an error with
 * its reason; sync being off or signed out is a state, not an error.
 */
export function trackerHealth(ingest: IngestStatus, sync: SyncHealthInput | undefined): TrackerHealth {
  const syncState = syncStateOf(sync);
  const health: TrackerHealth = {
    sync: {
      state: syncState,
      ...(sync?.pending !== undefined ? { pending: sync.pending } : {}),
      ...(sync?.deadLetters !== undefined ? { deadLetters: sync.deadLetters } : {}),
    },
  };
  if (ingest.state === 'error') {
    health.error = {
      source: 'ingest',
      code: 'scan-failed',
      ...(ingest.message ? { detail: clip(ingest.message) } : {}),
    };
  } else if (syncState === 'failing' && sync) {
    const code: HealthErrorCode =
      sync.outcome === 'auth-required' ? 'auth-required' : sync.outcome === 'gave-up' ? 'gave-up' : 'server-down';
    health.error = { source: 'sync', code, ...(sync.lastError ? { detail: clip(sync.lastError) } : {}) };
  }
  return health;
}

function syncStateOf(sync: SyncHealthInput | undefined): SyncState {
  if (!sync || sync.mode === 'off') return 'off';
  if (!sync.signedIn) return 'signed-out';
  if (
    sync.outcome === 'auth-required' ||
    sync.outcome === 'gave-up' ||
    sync.outcome === 'circuit-open' ||
    sync.breaker === 'open'
  )
    return 'failing';
  return (sync.pending ?? 0) > 0 ? 'pending' : 'synced';
}
