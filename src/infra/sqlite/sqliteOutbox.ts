import { PriceTable } from '../../core/pricing/priceTable';
import type { InteractionEntry, OutboxPort, SessionEntry } from '../../core/sync/ports';
import type { SendMode } from '../../core/sync/rows';
import { longContextTiers } from './longContext';
import { noteSentMode, requeueForMode } from './modeResend';
import * as queue from './outboxQueue';
import { OutboxRowBuilder } from './outboxRows';
import type { Store } from './store';

export interface SqliteOutboxOptions {
  /** Prices for cost_usd / total_cost_usd (API-equivalent). Default: the built-in table. */
  prices?: PriceTable;
  /** sql.js: flush outbox state changes to the file at most this often (default 1000 ms; 0 = after every change). */
  flushEveryMs?: number;
}

/**
 * The OutboxPort over the local store's sync queue (outboxQueue.ts; the mapping is in core/sync/ports.ts). The ingest
 * pipeline enqueues entity ids in the same transaction as the rows (Store.writeBatch); next() builds complete rows
 * from the store at read time (outboxRows.ts), so a row always carries the entity's latest state, already masked.
 *
 * Versions: enqueued_at is bumped on every re-enqueue (queries.ENQUEUE); next() remembers the version it read and
 * ack / deadLetter / discard remove the row only if it is still that version. A change made while an older
 * snapshot was in flight therefore stays queued and is sent on the next pass.
 *
 * Modes: an ack's sentAs is recorded on the acknowledged interactions (interactions.sent_mode, modeResend.ts), also
 * when a newer version is pending, since the server holds the one that was sent; requeueForMode reads it.
 *
 * Durability: on node:sqlite every statement is committed to the WAL; on sql.js state changes are flushed (atomic
 * file replace of the whole database) at most once a second and on close — see flush().
 */
export class SqliteOutbox implements OutboxPort {
  private readonly rows: OutboxRowBuilder;
  /** seq → version (enqueued_at) and entity as last returned by next(). */
  private readonly sent = new Map<number, { version: number; kind: 'session' | 'interaction'; entityId: string }>();
  private readonly flushEveryMs: number;
  private lastFlush = 0;

  constructor(
    readonly store: Store,
    opts: SqliteOutboxOptions = {},
  ) {
    const prices = opts.prices ?? PriceTable.builtin();
    this.rows = new OutboxRowBuilder(store.db, prices, longContextTiers(prices.thresholds()));
    this.flushEveryMs = opts.flushEveryMs ?? 1000;
  }

  /**
   * sql.js only (node:sqlite commits to the WAL on every statement): writes the outbox state to the file now. State
   * changes are flushed at most every `flushEveryMs`; close() of the store flushes the rest. A crash in between
   * loses only acknowledgements and attempt counts: those rows are sent again and the server's unique keys absorb
   * them (at-least-once, exactly-once on the server).
   */
  flush(): void {
    this.lastFlush = Date.now();
    this.store.flush();
  }

  private changed(): void {
    if (Date.now() - this.lastFlush >= this.flushEveryMs) this.flush();
  }

  private get db() {
    return this.store.db;
  }

  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  async next(
    kind: 'session' | 'interaction',
    limit: number,
    now: number,
  ): Promise<SessionEntry[] | InteractionEntry[]> {
    if (limit <= 0) return [];
    if (kind === 'session') this.requeueGoneIdle(now);
    // Entities whose rows are gone (retention pruned the session) cannot be built: they leave the queue here.
    for (let round = 0; round < 100; round++) {
      const pending = queue.readyEntries(this.db, kind, now, limit);
      if (pending.length === 0) return [];
      const built = kind === 'session' ? this.rows.sessions(pending, now) : this.rows.interactions(pending);
      const vanished = pending.filter((p) => !built.has(p.seq));
      if (vanished.length) {
        this.removeIfVersion(vanished);
        this.changed();
      }
      if (built.size === 0) continue;
      const out = pending.filter((p) => built.has(p.seq)).map((p) => built.get(p.seq)!);
      for (const p of pending)
        if (built.has(p.seq)) this.sent.set(p.seq, { version: p.version, kind, entityId: p.entityId });
      return out as SessionEntry[] | InteractionEntry[];
    }
    return [];
  }

  async ack(ids: readonly number[], sentAs?: SendMode): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      if (sentAs) noteSentMode(this.db, this.interactionIdsOf(ids), sentAs);
      queue.clearDeadLettersOf(this.db, ids);
      this.removeIfVersion(ids.map((seq) => ({ seq })));
    });
    this.changed();
  }

  async retryLater(ids: readonly number[], notBefore: number, reason: string): Promise<void> {
    if (ids.length === 0) return;
    queue.postpone(this.db, ids, notBefore, reason);
    this.changed();
  }

  async deadLetter(ids: readonly number[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    const removed = queue.moveToDeadLetters(this.db, ids, reason, Date.now(), (seq) => this.sent.get(seq)?.version);
    for (const seq of removed) this.sent.delete(seq);
    this.changed();
  }

  async discard(ids: readonly number[], _reason: string): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => this.removeIfVersion(ids.map((seq) => ({ seq }))));
    this.changed();
  }

  async ensureSessionQueued(sessionKey: string): Promise<boolean> {
    if (!queue.enqueueKnownSession(this.db, sessionKey)) return false;
    this.changed();
    return true;
  }

  async requeueForMode(
    mode: SendMode,
    limit: number,
    excluded: (projectPath: string | null) => boolean,
  ): Promise<{ queued: number; more: boolean }> {
    const { queued, more, examined } = requeueForMode(this.db, mode, limit, excluded);
    if (examined > 0) this.changed();
    return { queued, more };
  }

  async stats(): Promise<{ pending: number; deadLetters: number }> {
    return queue.outboxStats(this.db);
  }

  /** What the user sees: refused rows with the server's reason, newest first. */
  deadLetters(limit = 100): queue.DeadLetter[] {
    return queue.deadLetters(this.db, limit);
  }

  /** Puts dead-lettered entities back in the queue (after the user fixed the cause); returns how many. */
  requeueDeadLetters(): number {
    const n = queue.requeueDeadLetters(this.db);
    this.changed();
    return n;
  }

  /**
   * A session row carries a status computed when it is sent ('active' while it wrote something in the last five
   * minutes). A session whose last line came just before a sync would stay 'active' on the server for good, so
   * every session that crossed into idleness since the last check is queued once more (it then reads
   * 'completed'). The check time persists in meta, so sessions that went idle while nothing ran are caught too.
   */
  requeueGoneIdle(now: number): number {
    const n = queue.requeueGoneIdle(this.db, now);
    if (n === undefined) return 0;
    this.changed();
    return n;
  }

  /**
   * The interactions among outbox entries being acknowledged: as next() handed them out (the entry may be gone
   * already: another connection, e.g. `cct sync push`, sent and acknowledged the same version), else from the outbox.
   */
  private interactionIdsOf(seqs: readonly number[]): string[] {
    const out: string[] = [];
    const unknown: number[] = [];
    for (const seq of seqs) {
      const s = this.sent.get(seq);
      if (!s) unknown.push(seq);
      else if (s.kind === 'interaction') out.push(s.entityId);
    }
    if (unknown.length > 0) out.push(...queue.interactionIdsQueued(this.db, unknown));
    return out;
  }

  /** Deletes each outbox row if it still holds the version next() handed out (unconditionally if never handed out). */
  private removeIfVersion(rows: readonly { seq: number; version?: number }[]): void {
    const versioned = rows.map((r) => {
      const version = r.version ?? this.sent.get(r.seq)?.version;
      this.sent.delete(r.seq); // a seq given twice is then removed whatever its version, as it always was
      return { seq: r.seq, version };
    });
    queue.removeIfVersion(this.db, versioned);
  }
}
