import type { InteractionRow, RemoteSessionRow, SendMode } from './rows';

export type OutboxKind = 'session' | 'interaction';

interface EntryBase {
  /** Local, strictly increasing sequence number: the drain order. */
  id: number;
  /** The Claude session id this row belongs to (the session's own id for session rows). */
  sessionKey: string;
  /** Masked project path, for per-project exclusion globs (null when unknown). */
  projectPath: string | null;
  /** Failed deliveries so far (network, 5xx, missing parent…), kept across restarts. */
  attempts: number;
}
export interface SessionEntry extends EntryBase {
  kind: 'session';
  row: RemoteSessionRow;
}
export interface InteractionEntry extends EntryBase {
  kind: 'interaction';
  row: InteractionRow;
}
export type OutboxEntry = SessionEntry | InteractionEntry;

/**
 * The local outbox, written by the ingest pipeline in the same SQLite transaction as the rows it mirrors, and
 * drained by the SyncEngine. A row leaves the outbox only through ack / deadLetter / discard, so whatever was
 * not acknowledged is still there after a crash or restart (at-least-once delivery; the server's unique keys
 * make it exactly-once). The contract is executable: test/unit/sync/outboxConformance.ts.
 *
 * Mapping onto the SQLite store (src/infra/sqlite: `sync_outbox(seq, entity, entity_id, enqueued_at)`, one
 * pending row per entity, re-enqueue coalesces):
 *  - `id` = seq; `kind` = entity ('session' | 'interaction'); `sessionKey` = the session id (interactions: their
 *    sessions.session_id); `projectPath` = sessions.project_path (masked).
 *  - `row` is built at next() time from the store: RemoteSessionRow from `sessions` + its api_messages totals (tokens,
 *    cost, main model), InteractionRow from `interactions` + `texts` (prompt / response, masked) + `api_messages`
 *    (usage) + `tool_calls` (names, masked inputs); `message_uuid` = the line uuid for `p:<uuid>` prompts and
 *    interactionUuid(id) (rows.ts) for `r:<key>` responses; `occurred_at` = interactions.ts as ISO.
 *  - needs three columns more: `attempts INTEGER NOT NULL DEFAULT 0`, `not_before INTEGER NOT NULL DEFAULT 0`,
 *    `last_error TEXT`, and a `sync_dead_letters(seq, entity, entity_id, reason, failed_at)` table; next() is
 *    `SELECT … WHERE entity = ? AND not_before <= ? ORDER BY seq LIMIT ?`.
 *  - in-flight changes: coalescing with `ON CONFLICT DO NOTHING` loses a change made while the older snapshot is
 *    being sent (ack deletes the row). Re-enqueue must bump a version (`ON CONFLICT DO UPDATE SET enqueued_at =
 *    excluded.enqueued_at`) and ack must delete `WHERE seq = ? AND enqueued_at = <value read by next()>`; or
 *    re-enqueue gives a new seq. (Conformance test "a change enqueued while … in flight is not lost".)
 *  - ensureSessionQueued(key) = ENQUEUE('session', key) if the sessions row exists.
 *  - ack's sentAs and requeueForMode: `interactions.sent_mode` (modeRank of the mode the server's copy went out in,
 *    NULL = nothing to re-send), set by ack for the acknowledged interactions; a partial index holds the rows sent in
 *    metadata, which a step queues and unmarks — src/infra/sqlite/modeResend.ts.
 */
export interface OutboxPort {
  /** Up to `limit` entries of `kind` that are ready at `now` (not_before ≤ now), oldest id first. */
  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  /**
   * Delivered (or superseded by a newer snapshot that was delivered): remove. `sentAs` = the mode the rows were
   * projected in, remembered per interaction (the last ack of a row wins) so that a later switch to a mode that sends
   * more re-sends them (requeueForMode). Sessions are projected the same in every mode: their mode is not kept.
   */
  ack(ids: readonly number[], sentAs?: SendMode): Promise<void>;
  /** Keep, attempts + 1, not before `notBefore` (epoch ms). */
  retryLater(ids: readonly number[], notBefore: number, reason: string): Promise<void>;
  /** Permanently refused by the server: move to the dead-letter list the user can see, with the reason. */
  deadLetter(ids: readonly number[], reason: string): Promise<void>;
  /** Not to be sent at all (project excluded by the user): remove without sending. */
  discard(ids: readonly number[], reason: string): Promise<void>;
  /**
   * An interaction's session is missing on the server (409 / 23503): make sure a session row for `sessionKey`
   * is pending (re-enqueue it from the local store if it was acknowledged before, e.g. remote data deleted).
   * Returns false when the local store does not know the session (the children can then never be delivered).
   */
  ensureSessionQueued(sessionKey: string): Promise<boolean>;
  stats(): Promise<{ pending: number; deadLetters: number }>;
  /**
   * A switch to a mode that sends more (metadata → full): interactions whose last acknowledgement carried a `sentAs`
   * below `mode` are queued again, so the server gets what `mode` adds; nothing else (not the rows sent in `mode`, not
   * sessions). Bounded: each call examines at most `limit` such rows (one short store transaction); a row examined is
   * done with for this switch: queued, or left out for good when its project `excluded` matches; a row still pending
   * is not queued twice (the ack of what is pending records the mode it went out in). Progress survives restarts;
   * `more` = call again. When no row was delivered in a lesser mode (the usual case) nothing is written.
   */
  requeueForMode(
    mode: SendMode,
    limit: number,
    excluded: (projectPath: string | null) => boolean,
  ): Promise<{ queued: number; more: boolean }>;
}

/** Why a remote write failed, as the transport saw it. `status` 0 = no HTTP response (refused, reset, timeout). */
export interface RemoteFailure {
  status: number;
  /** PostgREST / Postgres error code (PGRST301, 23503, 57014…) when the body had one. */
  code?: string;
  message: string;
  /** From a Retry-After header (seconds or HTTP date), in ms. */
  retryAfterMs?: number;
}
export type RemoteResult = { ok: true } | ({ ok: false } & RemoteFailure);

/** The server side of the sync (implemented with supabase-js in src/infra/supabase). */
export interface SyncRemote {
  /** upsert(rows, { onConflict: 'user_id,session_id' }) — merge-duplicates. */
  upsertSessions(rows: readonly RemoteSessionRow[]): Promise<RemoteResult>;
  /** upsert(rows, { onConflict: 'user_id,message_uuid', ignoreDuplicates: true }). */
  upsertInteractions(rows: readonly InteractionRow[]): Promise<RemoteResult>;
  /** Refresh the auth session (refresh token → new access token); false when that is impossible. */
  refreshAuth(): Promise<boolean>;
}

/** Time and randomness, injected so the policy is testable without waiting. */
export interface SyncClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: SyncClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(t);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
