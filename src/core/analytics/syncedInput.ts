import type { AnalyticsInput } from './rows';
import { inputOfRows } from './sessionFacts';
import { analyticsRowsOfSynced, SYNCED_NOT_COMPUTED, type SyncedInteraction, type SyncedSession } from './syncedRows';

export interface SyncedInputOptions {
  /**
   * The rows are one user's ("all my machines"): session ids stay plain. Otherwise (a team admin's view over several
   * users) sessions are keyed `${user_id}/${session_id}`, since session ids are unique per user only.
   */
  userScoped: boolean;
  /** Topic documents from the masked prompts (full sync mode only has them). */
  topics?: boolean;
}

/**
 * Validated synced rows as analytics input, with what they cannot tell in notComputed: what SupabaseAnalyticsSource
 * returns, and what the analytics worker builds from the pages the host streams to it.
 */
export function syncedInput(
  sessions: readonly SyncedSession[],
  interactions: readonly SyncedInteraction[],
  opts: SyncedInputOptions,
): AnalyticsInput {
  const keyOf = opts.userScoped ? undefined : (u: string, s: string) => `${u}/${s}`;
  const input = inputOfRows(analyticsRowsOfSynced(sessions, interactions, { keyOf, topics: opts.topics }));
  input.notComputed = [...SYNCED_NOT_COMPUTED];
  return input;
}
