import { existsSync } from 'node:fs';
import type { DriftSighting } from '../../core/collector/formatDrift';
import type { Diagnostic, FileCursor, IngestStore } from '../../core/collector/ports';
import type { IngestBatch } from '../../core/collector/rows';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { PrivacyReportRows } from '../../core/privacy/privacyReportRows';
import type { ExportItem } from '../../core/reports/exportConversation';
import type { SessionRecord } from '../../core/sessions/listSessions';
import { fsRealPath } from '../fs/realPath';
import { type RollupRefresh, refreshAnalyticsRollups } from './analyticsRollups';
import { CodeContextAccess } from './codeContextAccess';
import { conversation, type SearchHit, search } from './conversationReads';
import type { FtsEngine, SqlDriver } from './driver';
import { allCursors, forgetCursors, getCursor, markPresent } from './fileCursors';
import { type ForgetResult, forgetSessions, sessionsOfProject } from './forgetSessions';
import { FormatDriftAccess } from './formatDriftAccess';
import { type IngestLease, ingestLease } from './ingestLease';
import { rebuildFts, writeIngestBatch } from './ingestWriter';
import { migrate } from './migrations';
import type { BackendChoice } from './openDriver';
import { openDriver } from './openDriver';
import { ackOutbox, pendingOutbox, type QueuedEntity } from './outboxQueue';
import { privacyReportRows } from './privacyReads';
import { type PruneTarget, pruneOlderThan, pruneToSize, sizeBytes } from './pruneSessions';
import { type RemaskOptions, type RemaskReport, remaskArchive } from './remask';
import { counts, type DiagnosticCount, diagnostics, type StoreCounts } from './scanReads';
import { searchTexts, type TextMatch, type TextSearch } from './searchReads';
import { type ScrubReport, scrubFreedPages } from './secureDelete';
import { backfillSessionFiles } from './sessionFiles';
import { privacyStatus, promptCounts, session, sessions, toolCounts, toolCountsFor } from './sessionReads';
import { refreshSessionStats, staleSessionStats } from './sessionStats';
import { querySessions, type SessionListRow, type SessionsQuery, sessionRow } from './sessionsQuery';
import {
  type SkippedByReason,
  type SyncQueueStatus,
  schemaVersion,
  skippedByReason,
  syncQueueStatus,
  unpricedModels,
} from './statusReads';
import { type Forgotten, listTombstones, readForgotten, removeTombstone, type Tombstone } from './tombstones';
import {
  relatedSessions,
  type TimelineItem,
  type TimelineToolCall,
  timelineCount,
  timelineIndexOf,
  timelinePage,
  toolCallFull,
} from './turnsReads';
import { type UsageFilter, type UsageGroup, usageGroups } from './usageReads';
import { UsageRollups } from './usageRollups';

/**
 * The local store: one SQLite file (node:sqlite, or sql.js where it is missing), opened and migrated here. Every
 * method delegates to the module of its concern, each a plain function over the driver:
 * ingestWriter / fileCursors / ingestLease (the scan), usageReads / usageRollups / sessionReads / conversationReads /
 * scanReads (reads, one module per command family), pruneSessions (retention), forgetSessions / tombstones (Forget;
 * both delete through deleteSessions), formatDrift (format drift counts and samples), outboxQueue (the sync queue,
 * drained by SqliteOutbox over its own connection).
 */
export class Store implements IngestStore {
  private constructor(
    readonly db: SqlDriver,
    /** FTS writes are skipped when the file's FTS module is missing in this backend (fts5 file on sql.js). */
    readonly ftsWritable: boolean,
  ) {
    this.rollups = new UsageRollups(db);
    this.codeContext = new CodeContextAccess(db);
    this.drift = new FormatDriftAccess(db);
  }

  /** Files touched, git context and pull requests per session (issue 13). */
  readonly codeContext: CodeContextAccess;
  /** Records ingest could not read, by reason and Claude Code version (issue 12, format drift). */
  readonly drift: FormatDriftAccess;

  /** The precomputed usage groups, and which ledger keys changed since they were fresh. */
  private readonly rollups: UsageRollups;

  static async open(file: string, backend: BackendChoice = 'auto'): Promise<Store> {
    const db = await openDriver(file, backend);
    try {
      migrate(db);
      backfillSessionFiles(db, fsRealPath); // once, for tool calls stored before schema v9
    } catch (e) {
      try {
        db.close();
      } catch {
        /* the migration's error is the one to report */
      }
      throw e;
    }
    const fileFts = (db.prepare("SELECT value FROM meta WHERE key = 'fts'").get()?.value ?? db.fts) as FtsEngine;
    const writable = fileFts === 'fts4' || db.fts === 'fts5';
    const store = new Store(db, writable);
    if (writable && db.prepare("SELECT value FROM meta WHERE key = 'fts_stale'").get()) store.rebuildFts();
    return store;
  }

  get backend() {
    return this.db.backend;
  }

  /** Which FTS module the file's index uses, and whether this backend can maintain it. */
  ftsStatus(): { engine: FtsEngine; writable: boolean } {
    const engine = (this.db.prepare("SELECT value FROM meta WHERE key = 'fts'").get()?.value ??
      this.db.fts) as FtsEngine;
    return { engine, writable: this.ftsWritable };
  }

  close(): void {
    this.db.close();
  }

  flush(): void {
    if (!this.db.inTransaction) this.db.flush();
  }

  /** Bulk ingest: many writeBatch calls (rows + their cursors) committed together — far fewer commits. */
  readonly bulk = {
    begin: () => this.db.begin(),
    commit: () => this.db.commit(),
    rollback: () => this.db.rollback(),
  };

  // ---- ingest ----------------------------------------------------------------------------------------

  getCursor(path: string): FileCursor | undefined {
    return getCursor(this.db, path);
  }

  allCursors(): Map<string, FileCursor> {
    return allCursors(this.db);
  }

  writeBatch(
    batch: IngestBatch,
    file: { path: string; cursor?: FileCursor; diagnostics?: Diagnostic[]; drift?: DriftSighting[] },
  ): void {
    const target = { ftsWritable: this.ftsWritable, rollups: this.rollups, forgotten: this.forgotten().sessions };
    writeIngestBatch(this.db, target, batch, file);
  }

  // ---- forget ----------------------------------------------------------------------------------------

  /** Read once per connection (a scan's store is opened per scan); Forget and Unforget on it refresh it. */
  private forgottenMemo: Forgotten | undefined;
  forgotten(): Forgotten {
    this.forgottenMemo ??= readForgotten(this.db);
    return this.forgottenMemo;
  }

  /**
   * Deletes every row of these sessions and tombstones them (a later scan does not ingest them again while their
   * transcripts exist), then makes sure the deleted text's bytes are gone from the file, WAL and shm. Hold the
   * ingest lease around it (a running scan would write the rows back).
   */
  forget(sessionIds: readonly string[], now = Date.now()): ForgetResult {
    try {
      return forgetSessions(this.pruneTarget(), sessionIds, now);
    } finally {
      this.forgottenMemo = undefined;
    }
  }

  /** Sessions whose project path matches the glob (sync's excludeProjects syntax). */
  sessionsOfProject(glob: string): string[] {
    return sessionsOfProject(this.db, glob);
  }

  /** Removes the tombstone and resets the cursors of its files: the next scan re-ingests. Undefined: none was there. */
  unforget(sessionId: string): string[] | undefined {
    try {
      return removeTombstone(this.db, sessionId);
    } finally {
      this.forgottenMemo = undefined;
    }
  }

  tombstones(): Tombstone[] {
    return listTombstones(this.db);
  }

  /** Only the differences are written (a warm rescan of thousands of files writes nothing). */
  markPresent(paths: readonly string[]): void {
    markPresent(this.db, paths);
  }

  /** Rebuilds the FTS index from texts (after a backend without this FTS module wrote rows). */
  rebuildFts(): void {
    rebuildFts(this.db);
  }

  /**
   * "Rebuild index": forgets every cursor so the next scan re-reads what still exists; archived rows are kept
   * (upserts on natural keys). Returns how many cursors went.
   */
  forgetCursors(): number {
    return forgetCursors(this.db);
  }

  // ---- lease: one ingester per store -----------------------------------------------------------------

  private leaseMemo: IngestLease | undefined;
  private get lease(): IngestLease {
    this.leaseMemo ??= ingestLease(this.db);
    return this.leaseMemo;
  }

  /** Takes (or renews) the ingest lease if it is free, expired or already ours. */
  acquireLease(owner: string, ttlMs: number, now = Date.now()): boolean {
    return this.lease.acquire(owner, ttlMs, now);
  }

  heartbeat(owner: string, ttlMs: number, now = Date.now()): boolean {
    return this.lease.heartbeat(owner, ttlMs, now);
  }

  releaseLease(owner: string): void {
    this.lease.release(owner);
  }

  leaseHolder(now = Date.now()): string | undefined {
    return this.lease.holder(now);
  }

  // ---- outbox ----------------------------------------------------------------------------------------

  /** Every queued sync entry, oldest first (SqliteOutbox drains the queue; this is the raw view). */
  pendingOutbox(limit: number): QueuedEntity[] {
    return pendingOutbox(this.db, limit);
  }

  /** Removes queued sync entries whatever their version. */
  ackOutbox(seqs: readonly number[]): void {
    ackOutbox(this.db, seqs);
  }

  // ---- retention -------------------------------------------------------------------------------------

  /** Deletes sessions whose last activity is older than `olderThanMs` (and all their rows). */
  pruneOlderThan(olderThanMs: number): number {
    return pruneOlderThan(this.pruneTarget(), olderThanMs);
  }

  /** Bytes of live pages (what the file would shrink to). */
  sizeBytes(): number {
    return sizeBytes(this.db);
  }

  /** Size cap: deletes the least recently active sessions until the live data fits; returns how many went. */
  pruneToSize(maxBytes: number): number {
    return pruneToSize(this.pruneTarget(), maxBytes);
  }

  // ---- privacy after the fact ------------------------------------------------------------------------

  /** Re-masks every stored text under the given guard's rules (remask.ts), resuming an interrupted run. */
  remask(opts: Omit<RemaskOptions, 'lease'>): Promise<RemaskReport> {
    return remaskArchive(this.db, this.ftsStatus(), { ...opts, lease: this.lease });
  }

  /** Leaves no byte of deleted or replaced text in the file, its WAL or SHM (secureDelete.ts). */
  scrubFreedPages(): ScrubReport {
    return scrubFreedPages(this.db, this.ftsStatus());
  }

  private pruneTarget(): PruneTarget {
    return { db: this.db, rollups: this.rollups, fts: this.ftsStatus() };
  }

  // ---- reads -----------------------------------------------------------------------------------------

  counts(): StoreCounts {
    return counts(this.db);
  }

  sessions(filter: { sinceMs?: number; project?: string } = {}): SessionRecord[] {
    return sessions(this.db, filter);
  }

  session(id: string): SessionRecord | undefined {
    return session(this.db, id);
  }

  sessionProjectPath(id: string): string | null | undefined {
    return session(this.db, id)?.projectPath;
  }

  /** Ledger rows grouped by what changes the price (model, speed, long context) and by 15-minute slot. */
  usageGroups(filter: UsageFilter = {}): UsageGroup[] {
    return usageGroups(this.db, this.rollups, filter);
  }

  /**
   * Rebuilds the usage rollups (per session × day, and per 15-minute slot) from the ledger. Called after a
   * scan that wrote; until then (or if the price thresholds differ) queries group the ledger directly.
   */
  refreshRollups(thresholds: readonly number[]): void {
    this.rollups.refresh(thresholds);
  }

  /** Real user prompts per session (sidechain prompts are subagent instructions, not the user's). */
  promptCounts(): Map<string, number> {
    return promptCounts(this.db);
  }

  toolCounts(): Map<string, Record<string, number>> {
    return toolCounts(this.db);
  }

  /** Tool calls per name for these sessions only (a page of the list). */
  toolCountsFor(ids: readonly string[]): Map<string, Record<string, number>> {
    return toolCountsFor(this.db, ids);
  }

  /** Finding counts per category for a session (never values). */
  privacyStatus(sessionId: string): Record<string, number> {
    return privacyStatus(this.db, sessionId);
  }

  conversation(sessionId: string): ExportItem[] {
    return conversation(this.db, sessionId);
  }

  /** Full-text search over masked prompt/response text (no caller but the tests yet: the dashboard will). */
  search(query: string, limit = 50): SearchHit[] {
    return search(this.db, this.ftsWritable, query, limit);
  }

  diagnostics(): DiagnosticCount[] {
    return diagnostics(this.db);
  }

  // ---- dashboard reads (issue 9): paged, sorted and filtered in SQL ---------------------------------------

  /**
   * Recomputes session_stats (what the Sessions view sorts on) for the sessions written since, priced with `prices`.
   * Call where the store is written (after a scan); returns how many sessions were recomputed.
   */
  refreshSessionStats(prices: PriceTable, now = Date.now()): number {
    return refreshSessionStats(this.db, prices, now);
  }

  /** Recomputes the analytics rollups of the sessions written since (issue 11); where the store is written. */
  refreshAnalyticsRollups(prices: PriceTable, now = Date.now()): RollupRefresh {
    return refreshAnalyticsRollups(this.db, prices, now);
  }

  /** Sessions whose stats are missing or older than their last write (0 after refreshSessionStats). */
  staleSessionStats(): number {
    return staleSessionStats(this.db);
  }

  /** One page of sessions, filtered and sorted in SQL, and how many match. */
  querySessions(q: SessionsQuery): { rows: SessionListRow[]; total: number } {
    return querySessions(this.db, q);
  }

  sessionRow(id: string, live: { now: number; liveWindowMs: number; liveIds?: readonly string[] }) {
    return sessionRow(this.db, id, live);
  }

  /** Entries in a session's timeline (agentId: one subagent's run instead of the main conversation). */
  timelineCount(sessionId: string, agentId?: string): number {
    return timelineCount(this.db, sessionId, agentId);
  }

  timelinePage(q: { sessionId: string; agentId?: string; offset: number; limit: number }): TimelineItem[] {
    return timelinePage(this.db, q);
  }

  /** Where an entry (a Turn id; a subagent's entry: its starting turn) sits in the main timeline (deep links). */
  timelineIndexOf(sessionId: string, entryId: string): number | undefined {
    return timelineIndexOf(this.db, sessionId, entryId);
  }

  toolCall(sessionId: string, toolCallId: string): TimelineToolCall | undefined {
    return toolCallFull(this.db, sessionId, toolCallId);
  }

  relatedSessions(sessionId: string) {
    return relatedSessions(this.db, sessionId);
  }

  schemaVersion(): number {
    return schemaVersion(this.db);
  }

  skippedByReason(): SkippedByReason[] {
    return skippedByReason(this.db);
  }

  unpricedModels(): string[] {
    return unpricedModels(this.db);
  }

  syncQueueStatus(): SyncQueueStatus {
    return syncQueueStatus(this.db);
  }

  /** Full-text search over masked prompts and responses, best first, with the Sessions filters. */
  searchTexts(q: TextSearch): { engine: 'fts5' | 'fts4' | 'scan'; matches: TextMatch[] } {
    return searchTexts(this.db, this.ftsStatus(), q);
  }

  /** The privacy report's counts since an instant (all when undefined): per category, slot, rule and session. */
  privacyReportRows(sinceMs?: number): PrivacyReportRows {
    return privacyReportRows(this.db, { sinceMs });
  }
}

/** Opens a store that must already exist (read commands must not create an empty one silently). */
export async function openExistingStore(file: string, backend: BackendChoice = 'auto'): Promise<Store> {
  // A static import: `await import('node:fs')` went through the ESM loader, whose facade reads every fs export
  // (fs.ReadStream's getter loads the streams modules): ~15 ms of a 100 ms `cct report`.
  if (file !== ':memory:' && !existsSync(file))
    throw new Error(`no store at ${file} (run 'cct scan' first, or pass --db)`);
  return Store.open(file, backend);
}
