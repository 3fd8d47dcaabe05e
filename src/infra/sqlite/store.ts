import { existsSync } from 'node:fs';
import type { Diagnostic, FileCursor, IngestStore } from '../../core/collector/ports';
import type { ApiMessageRow, IngestBatch } from '../../core/collector/rows';
import type { Masked } from '../../core/privacy/masker';
import type { ExportItem } from '../../core/reports/exportConversation';
import type { SessionRecord } from '../../core/sessions/listSessions';
import { conversation, search } from './conversationReads';
import type { FtsEngine, SqlDriver, SqlRow, SqlValue } from './driver';
import { FileLease } from './fileLease';
import { migrate } from './migrations';
import type { BackendChoice } from './openDriver';
import { openDriver } from './openDriver';
import { type PruneTarget, pruneOlderThan, pruneToSize, sizeBytes } from './pruneSessions';
import * as Q from './queries';
import { counts, diagnostics } from './scanReads';
import { privacyStatus, promptCounts, session, sessions, toolCounts } from './sessionReads';
import { type UsageFilter, type UsageGroup, usageGroups } from './usageReads';
import { UsageRollups } from './usageRollups';

export class Store implements IngestStore {
  private constructor(
    readonly db: SqlDriver,
    /** FTS writes are skipped when the file's FTS module is missing in this backend (fts5 file on sql.js). */
    readonly ftsWritable: boolean,
  ) {
    this.rollups = new UsageRollups(db);
  }

  /** The precomputed usage groups, and which ledger keys changed since they were fresh. */
  private readonly rollups: UsageRollups;

  static async open(file: string, backend: BackendChoice = 'auto'): Promise<Store> {
    const db = await openDriver(file, backend);
    migrate(db);
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
    const r = this.db.prepare('SELECT * FROM file_cursors WHERE path = ?').get([path]);
    if (!r) return undefined;
    return {
      path,
      dev: String(r.dev),
      ino: String(r.ino),
      offset: Number(r.offset),
      size: Number(r.size),
      mtimeMs: Number(r.mtime_ms),
    };
  }

  allCursors(): Map<string, FileCursor> {
    const m = new Map<string, FileCursor>();
    for (const [p, dev, ino, offset, size, mtime] of this.db
      .prepare('SELECT path, dev, ino, offset, size, mtime_ms FROM file_cursors')
      .values()) {
      const path = String(p);
      m.set(path, {
        path,
        dev: String(dev),
        ino: String(ino),
        offset: Number(offset),
        size: Number(size),
        mtimeMs: Number(mtime),
      });
    }
    return m;
  }

  writeBatch(batch: IngestBatch, file: { path: string; cursor?: FileCursor; diagnostics?: Diagnostic[] }): void {
    const db = this.db;
    const now = Date.now();
    const apiMessages = coalesceApiMessages(batch.apiMessages);
    const queued = new Set<string>();
    db.transaction(() => {
      const enqueue = db.prepare(Q.ENQUEUE);
      const outbox = {
        run: ([entity, id, at]: [string, string, number]) => {
          const k = `${entity}\u0000${id}`;
          if (queued.has(k)) return;
          queued.add(k);
          enqueue.run([entity, id, at]);
        },
      };
      for (const s of batch.sessions.values()) {
        db.prepare(Q.UPSERT_SESSION).run([
          s.sessionId,
          s.projectPath ?? null,
          s.gitBranch ?? null,
          s.cliVersion ?? null,
          s.entrypoint ?? null,
          s.firstTs ?? null,
          s.lastTs ?? null,
          s.title ?? null,
          s.titleRank ?? 0,
          s.claudeCostUsd ?? null,
          s.claudeCostUnknown === undefined ? null : s.claudeCostUnknown ? 1 : 0,
          s.claudeModelUsage ?? null,
          now,
        ]);
        outbox.run(['session', s.sessionId, now]);
      }
      const upInteraction = db.prepare(Q.UPSERT_INTERACTION);
      for (const p of batch.prompts) {
        upInteraction.run([
          p.id,
          p.sessionId,
          p.originSession,
          'prompt',
          p.ts ?? null,
          p.isSidechain ? 1 : 0,
          p.agentId ?? null,
          null,
          p.sourceFile,
          p.byteOffset,
          p.ccVersion ?? null,
        ]);
        outbox.run(['interaction', p.id, now]);
      }
      const upApi = db.prepare(Q.UPSERT_API_MESSAGE);
      for (const m of apiMessages) {
        upApi.run([
          m.key,
          m.messageId,
          m.requestId ?? null,
          m.sessionId,
          m.originSession,
          m.ts ?? null,
          m.model ?? null,
          m.speed ?? null,
          m.input,
          m.output,
          m.cache5m,
          m.cache1h,
          m.cacheCreation,
          m.cacheRead,
          m.isSidechain ? 1 : 0,
          m.agentId ?? null,
          m.lineUuid ?? null,
          m.sourceFile,
          m.byteOffset,
          m.ccVersion ?? null,
          m.entrypoint ?? null,
          m.legacyCostUsd ?? null,
        ]);
        upInteraction.run([
          m.interactionId,
          m.sessionId,
          m.originSession,
          'response',
          m.ts ?? null,
          m.isSidechain ? 1 : 0,
          m.agentId ?? null,
          m.model ?? null,
          m.sourceFile,
          m.byteOffset,
          m.ccVersion ?? null,
        ]);
        outbox.run(['interaction', m.interactionId, now]);
      }
      if (batch.prompts.length > 0 || apiMessages.length > 0) {
        // sessions a fork move took rows from are not in this batch, but their totals changed
        db.prepare(Q.ENQUEUE_MOVED_FROM).run([now]);
        db.prepare(Q.CLEAR_MOVED_FROM).run();
      }
      const insText = db.prepare(Q.INSERT_TEXT);
      const insFts = this.ftsWritable ? db.prepare(Q.INSERT_FTS) : undefined;
      let ftsSkipped = false;
      for (const t of batch.texts) {
        // RETURNING cost ~100 µs a row on node:sqlite; changes + lastInsertRowid is cheap.
        const r = insText.run([t.key, t.interactionId, t.ord, t.kind, t.text]);
        if (r.changes === 1) {
          if (insFts) insFts.run([r.lastInsertRowid, t.text]);
          else ftsSkipped = true;
        }
      }
      if (ftsSkipped) db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_stale', '1')").run();
      // A result whose call is in this batch (and in the same session) is written with it: one row write.
      const results = new Map<string, (typeof batch.toolResults)[number]>();
      for (const r of batch.toolResults) if (!results.has(r.toolUseId)) results.set(r.toolUseId, r);
      const upCall = db.prepare(Q.UPSERT_TOOL_CALL);
      const upCallResult = db.prepare(Q.UPSERT_TOOL_CALL_WITH_RESULT);
      const merged = new Set<(typeof batch.toolResults)[number]>();
      for (const c of batch.toolCalls) {
        const r = results.get(c.id);
        const base = [
          c.id,
          c.sessionId,
          c.originSession,
          c.interactionId,
          c.name,
          c.inputJson,
          c.ts ?? null,
          c.isSidechain ? 1 : 0,
          c.agentId ?? null,
        ];
        if (r && r.sessionId === c.sessionId && !merged.has(r)) {
          upCallResult.run([...base, r.result, r.isError ? 1 : 0, r.ts ?? null]);
          merged.add(r);
        } else upCall.run(base);
      }
      const upResult = db.prepare(Q.UPSERT_TOOL_RESULT);
      for (const r of batch.toolResults) {
        if (!merged.has(r))
          upResult.run([r.toolUseId, r.sessionId, r.originSession, r.result, r.isError ? 1 : 0, r.ts ?? null]);
      }
      const upLink = db.prepare(Q.UPSERT_SUBAGENT_LINK);
      for (const l of batch.subagentLinks) upLink.run([l.toolUseId, l.agentId, l.agentType ?? null, l.file]);
      const upFinding = db.prepare(Q.UPSERT_FINDING);
      for (const f of batch.findings)
        for (const [cat, n] of Object.entries(f.counts)) upFinding.run([f.rowKey, f.sessionId, cat, n]);
      const upDiag = db.prepare(Q.UPSERT_DIAGNOSTIC);
      for (const d of file.diagnostics ?? []) upDiag.run([file.path, d.reason, d.count, d.detail ?? null]);
      if (file.cursor) {
        const c = file.cursor;
        db.prepare(Q.UPSERT_CURSOR).run([c.path, c.dev, c.ino, c.offset, c.size, c.mtimeMs, now]);
      }
      if (apiMessages.length > 0) {
        this.rollups.noteWritten(apiMessages);
      }
    });
  }

  /** Only the differences are written (a warm rescan of thousands of files writes nothing). */
  markPresent(paths: readonly string[]): void {
    const now = new Set(paths);
    const was = new Set(
      this.db
        .prepare('SELECT path FROM file_cursors WHERE present = 1')
        .values()
        .map((r) => String(r[0])),
    );
    this.db.transaction(() => {
      const set = this.db.prepare('UPDATE file_cursors SET present = ? WHERE path = ?');
      for (const p of was) if (!now.has(p)) set.run([0, p]);
      for (const p of now) if (!was.has(p)) set.run([1, p]);
    });
  }

  /** Rebuilds the FTS index from texts (after a backend without this FTS module wrote rows). */
  rebuildFts(): void {
    this.db.transaction(() => {
      this.db.exec("INSERT INTO texts_fts(texts_fts) VALUES ('rebuild')");
      this.db.prepare("DELETE FROM meta WHERE key = 'fts_stale'").run();
    });
  }

  /** Forgets every cursor so the next scan re-reads what still exists; archived rows are kept (upserts). */
  resetCursors(): void {
    this.db.prepare('DELETE FROM file_cursors').run();
  }

  // ---- lease: one ingester per store -----------------------------------------------------------------

  /** sql.js: the lease is a lock file (see FileLease); node:sqlite: a row, visible to every connection. */
  private fileLeaseMemo: FileLease | null | undefined;
  private get fileLease(): FileLease | undefined {
    if (this.fileLeaseMemo === undefined) {
      this.fileLeaseMemo =
        this.db.backend === 'sql.js' && this.db.path !== ':memory:' ? new FileLease(`${this.db.path}.lease`) : null;
    }
    return this.fileLeaseMemo ?? undefined;
  }

  /** Takes (or renews) the ingest lease if it is free, expired or already ours. */
  acquireLease(owner: string, ttlMs: number, now = Date.now()): boolean {
    if (this.fileLease) return this.fileLease.acquire(owner, ttlMs, now);
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT owner, expires_at FROM lease WHERE name = 'ingest'").get();
      if (row && row.owner !== owner && Number(row.expires_at) > now) return false;
      this.db
        .prepare("INSERT OR REPLACE INTO lease(name, owner, heartbeat_at, expires_at) VALUES ('ingest', ?, ?, ?)")
        .run([owner, now, now + ttlMs]);
      return true;
    });
  }

  heartbeat(owner: string, ttlMs: number, now = Date.now()): boolean {
    if (this.fileLease) return this.fileLease.heartbeat(owner, ttlMs, now);
    const r = this.db
      .prepare("UPDATE lease SET heartbeat_at = ?, expires_at = ? WHERE name = 'ingest' AND owner = ?")
      .run([now, now + ttlMs, owner]);
    return r.changes === 1;
  }

  releaseLease(owner: string): void {
    if (this.fileLease) return this.fileLease.release(owner);
    this.db.prepare("DELETE FROM lease WHERE name = 'ingest' AND owner = ?").run([owner]);
  }

  leaseHolder(now = Date.now()): string | undefined {
    if (this.fileLease) return this.fileLease.holder(now);
    const row = this.db.prepare("SELECT owner, expires_at FROM lease WHERE name = 'ingest'").get();
    return row && Number(row.expires_at) > now ? String(row.owner) : undefined;
  }

  // ---- outbox ----------------------------------------------------------------------------------------

  pendingOutbox(limit: number): { seq: number; entity: string; entityId: string }[] {
    return this.db
      .prepare('SELECT seq, entity, entity_id FROM sync_outbox ORDER BY seq LIMIT ?')
      .all([limit])
      .map((r) => ({ seq: Number(r.seq), entity: String(r.entity), entityId: String(r.entity_id) }));
  }

  ackOutbox(seqs: readonly number[]): void {
    this.db.transaction(() => {
      const st = this.db.prepare('DELETE FROM sync_outbox WHERE seq = ?');
      for (const s of seqs) st.run([s]);
    });
  }

  // ---- retention -------------------------------------------------------------------------------------

  /**
   * "Rebuild index": forget where every file was read up to, so the next scan re-reads whatever still exists.
   * Rows are upserted on their natural keys, so nothing is duplicated, and sessions whose source files are gone
   * stay archived.
   */
  forgetCursors(): number {
    return this.db.prepare('DELETE FROM file_cursors').run().changes;
  }

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

  private pruneTarget(): PruneTarget {
    return { db: this.db, rollups: this.rollups, fts: this.ftsStatus() };
  }

  // ---- reads -----------------------------------------------------------------------------------------

  counts(): ReturnType<typeof counts> {
    return counts(this.db);
  }

  sessions(filter: { sinceMs?: number; project?: string } = {}): SessionRecord[] {
    return sessions(this.db, filter);
  }

  session(id: string): SessionRecord | undefined {
    return session(this.db, id);
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

  /** Finding counts per category for a session (never values). */
  privacyStatus(sessionId: string): Record<string, number> {
    return privacyStatus(this.db, sessionId);
  }

  conversation(sessionId: string): ExportItem[] {
    return conversation(this.db, sessionId);
  }

  /** Full-text search over masked prompt/response text (no caller but the tests yet: the dashboard will). */
  search(query: string, limit = 50): ReturnType<typeof search> {
    return search(this.db, this.ftsWritable, query, limit);
  }

  diagnostics(): { path: string; reason: string; count: number }[] {
    return diagnostics(this.db);
  }
}

/**
 * The block lines of one API message usually arrive in the same batch: merge them here with the ledger's own
 * rule (usage of the line with the largest output, ties → later line; earliest time; first line's offset),
 * so the upsert runs once per message instead of once per line. Same result as upserting each line.
 */
function coalesceApiMessages(rows: readonly ApiMessageRow[]): ApiMessageRow[] {
  if (rows.length < 2) return rows as ApiMessageRow[];
  const out: ApiMessageRow[] = [];
  const at = new Map<string, number>();
  for (const r of rows) {
    const i = at.get(r.key);
    const prev = i === undefined ? undefined : out[i]!;
    if (!prev || prev.sessionId !== r.sessionId || prev.isSidechain !== r.isSidechain) {
      // new key, or a different placement (a copy in the same batch): keep order, let the SQL rule decide
      at.set(r.key, out.length);
      out.push(r);
      continue;
    }
    const winner = r.output >= prev.output ? r : prev;
    out[i!] = {
      ...winner,
      ts: prev.ts === undefined ? r.ts : r.ts === undefined ? prev.ts : Math.min(prev.ts, r.ts),
      byteOffset: prev.byteOffset,
      sourceFile: prev.sourceFile,
    };
  }
  return out;
}

/** Opens a store that must already exist (read commands must not create an empty one silently). */
export async function openExistingStore(file: string, backend: BackendChoice = 'auto'): Promise<Store> {
  // A static import: `await import('node:fs')` went through the ESM loader, whose facade reads every fs export
  // (fs.ReadStream's getter loads the streams modules): ~15 ms of a 100 ms `cct report`.
  if (file !== ':memory:' && !existsSync(file))
    throw new Error(`no store at ${file} (run 'cct scan' first, or pass --db)`);
  return Store.open(file, backend);
}
