import type { DriftSighting } from '../../core/collector/formatDrift';
import type { Diagnostic, FileCursor } from '../../core/collector/ports';
import type { ApiMessageRow, IngestBatch, ToolResultRow } from '../../core/collector/rows';
import { fsRealPath } from '../fs/realPath';
import { writeClearStarts } from './clearLinks';
import { writeClaudeLines } from './codeContextStore';
import { writeCompactions } from './compactionRows';
import type { SqlDriver } from './driver';
import { writeDrift } from './formatDrift';
import * as Q from './queries';
import { writeSessionFiles } from './sessionFiles';
import { dropForgottenRows, noteTombstoneFile } from './tombstones';
import type { UsageRollups } from './usageRollups';

/** Queues an entity for sync once per batch (the upserts may touch it many times). */
type Enqueue = (entity: 'session' | 'interaction', id: string, at: number) => void;

/**
 * Writes one batch of the ingest (rows, their sync outbox entries, diagnostics and the file's new cursor) in one
 * transaction, so a crash and a rerun give the same rows. `ftsWritable`: this backend maintains the file's FTS index.
 */
export function writeIngestBatch(
  db: SqlDriver,
  target: { ftsWritable: boolean; rollups: UsageRollups; forgotten: ReadonlySet<string> },
  batch: IngestBatch,
  file: { path: string; cursor?: FileCursor; diagnostics?: Diagnostic[]; drift?: DriftSighting[] },
): void {
  const now = Date.now();
  // rows of forgotten sessions this file carries (a fork's or resume's copies) are not written (tombstones.ts)
  const carried = dropForgottenRows(batch, target.forgotten);
  const apiMessages = coalesceApiMessages(batch.apiMessages);
  const queued = new Set<string>();
  db.transaction(() => {
    const enqueueStmt = db.prepare(Q.ENQUEUE);
    const enqueue: Enqueue = (entity, id, at) => {
      const k = `${entity}\u0000${id}`;
      if (queued.has(k)) return;
      queued.add(k);
      enqueueStmt.run([entity, id, at]);
    };
    writeSessions(db, batch, enqueue, now);
    writeInteractions(db, batch, apiMessages, enqueue, now);
    if (batch.prompts.length > 0 || apiMessages.length > 0) {
      // sessions a fork move took rows from are not in this batch, but their totals changed
      db.prepare(Q.ENQUEUE_MOVED_FROM).run([now]);
      db.prepare(Q.CLEAR_MOVED_FROM).run();
    }
    writeTexts(db, batch, target.ftsWritable);
    writeToolCalls(db, batch);
    writeSessionFiles(db, batch.toolCalls, fsRealPath);
    writeClaudeLines(db, batch);
    writeCompactions(db, batch.compactions);
    writeClearStarts(db, batch.clearStarts);
    const upLink = db.prepare(Q.UPSERT_SUBAGENT_LINK);
    for (const l of batch.subagentLinks) upLink.run([l.toolUseId, l.agentId, l.agentType ?? null, l.file]);
    const upFinding = db.prepare(Q.UPSERT_FINDING);
    const upRule = db.prepare(Q.UPSERT_RULE_FINDING);
    for (const f of batch.findings) {
      for (const [cat, n] of Object.entries(f.counts)) upFinding.run([f.rowKey, f.sessionId, cat, n]);
      for (const [cat, byRule] of Object.entries(f.rules ?? {}))
        for (const [rule, n] of Object.entries(byRule)) upRule.run([f.rowKey, f.sessionId, cat, rule, n]);
    }
    const upDiag = db.prepare(Q.UPSERT_DIAGNOSTIC);
    for (const d of file.diagnostics ?? []) upDiag.run([file.path, d.reason, d.count, d.detail ?? null]);
    writeDrift(db, file.path, file.drift ?? [], now);
    // so that Unforget re-reads this file too
    for (const sid of carried) noteTombstoneFile(db, sid, file.path, false);
    if (file.cursor) {
      const c = file.cursor;
      db.prepare(Q.UPSERT_CURSOR).run([c.path, c.dev, c.ino, c.offset, c.size, c.mtimeMs, now]);
    }
    if (apiMessages.length > 0) target.rollups.noteWritten(apiMessages);
  });
}

/** Rebuilds the FTS index from texts (after a backend without this FTS module wrote rows). */
export function rebuildFts(db: SqlDriver): void {
  db.transaction(() => {
    db.exec("INSERT INTO texts_fts(texts_fts) VALUES ('rebuild')");
    db.prepare("DELETE FROM meta WHERE key = 'fts_stale'").run();
  });
}

function writeSessions(db: SqlDriver, batch: IngestBatch, enqueue: Enqueue, now: number): void {
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
    enqueue('session', s.sessionId, now);
  }
}

/** Prompts, then each API message with the response interaction it belongs to. */
function writeInteractions(
  db: SqlDriver,
  batch: IngestBatch,
  apiMessages: readonly ApiMessageRow[],
  enqueue: Enqueue,
  now: number,
): void {
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
    enqueue('interaction', p.id, now);
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
    enqueue('interaction', m.interactionId, now);
  }
}

/** Texts are written once (their key is content-derived); each new one goes into the FTS index when it can. */
function writeTexts(db: SqlDriver, batch: IngestBatch, ftsWritable: boolean): void {
  const insText = db.prepare(Q.INSERT_TEXT);
  const insFts = ftsWritable ? db.prepare(Q.INSERT_FTS) : undefined;
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
}

function writeToolCalls(db: SqlDriver, batch: IngestBatch): void {
  // A result whose call is in this batch (and in the same session) is written with it: one row write.
  const results = new Map<string, ToolResultRow>();
  for (const r of batch.toolResults) if (!results.has(r.toolUseId)) results.set(r.toolUseId, r);
  const upCall = db.prepare(Q.UPSERT_TOOL_CALL);
  const upCallResult = db.prepare(Q.UPSERT_TOOL_CALL_WITH_RESULT);
  const merged = new Set<ToolResultRow>();
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
