import type { InteractionRow, SessionRow } from './rows';

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
  row: SessionRow;
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
 * make it exactly-once).
 *
 * Expected SQLite shape (src/infra/sqlite): `sync_outbox(id integer primary key autoincrement, kind text,
 * session_key text, project_path text, row_json text, attempts int default 0, not_before int default 0,
 * last_error text)` + `sync_dead_letters(id, kind, session_key, row_json, reason, failed_at)`; `next` is
 * `select … where kind = ? and not_before <= ? order by id limit ?`.
 */
export interface OutboxPort {
  /** Up to `limit` entries of `kind` that are ready at `now` (not_before ≤ now), oldest id first. */
  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  /** Delivered (or superseded by a newer snapshot that was delivered): remove. */
  ack(ids: readonly number[]): Promise<void>;
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
  upsertSessions(rows: readonly SessionRow[]): Promise<RemoteResult>;
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
