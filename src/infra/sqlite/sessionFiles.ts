import { normalizePath, type RealPath } from '../../core/codeContext/pathNormalizer';
import { TOUCHING_TOOLS, touchedPaths } from '../../core/codeContext/touchedPaths';
import type { ToolCallRow } from '../../core/collector/rows';
import { localPathStyle } from '../fs/realPath';
import type { SqlDriver } from './driver';

// session_files: the files each session's tool calls touched (issue 13). Written with the tool calls at ingest,
// back-filled once for rows stored before schema v9. Paths are the masked text the tool input was stored as,
// normalized (pathNormalizer.ts); rel_path is filled in by the git context step (codeContextStore.ts).

const INSERT = `INSERT INTO session_files (tool_call_id, path, path_key, session_id, interaction_id, tool, ts)
VALUES (?,?,?,?,?,?,?)
ON CONFLICT(tool_call_id, path) DO UPDATE SET session_id = excluded.session_id, interaction_id = excluded.interaction_id,
  ts = coalesce(excluded.ts, session_files.ts)`;

type CallLike = Pick<ToolCallRow, 'id' | 'sessionId' | 'interactionId' | 'name' | 'inputJson' | 'ts'>;

/** Records the files the given tool calls touched (inside the caller's transaction). */
export function writeSessionFiles(db: SqlDriver, calls: readonly CallLike[], realpath: RealPath): void {
  const touching = new Set(TOUCHING_TOOLS);
  const cwdOf = new Map<string, string | undefined>();
  let insert: ReturnType<SqlDriver['prepare']> | undefined;
  for (const c of calls) {
    if (!touching.has(c.name)) continue;
    let input: unknown;
    try {
      input = JSON.parse(c.inputJson);
    } catch {
      continue; // a stored input that is not JSON names no file we can trust
    }
    const found = touchedPaths(c.name, input);
    if (found.length === 0) continue;
    if (!cwdOf.has(c.sessionId)) {
      const row = db.prepare('SELECT project_path FROM sessions WHERE session_id = ?').get([c.sessionId]);
      cwdOf.set(c.sessionId, typeof row?.project_path === 'string' ? row.project_path : undefined);
    }
    const cwd = cwdOf.get(c.sessionId);
    for (const t of found) {
      const n = normalizePath(t.path, { cwd, style: localPathStyle(cwd ?? t.path), realpath });
      if (!n) continue;
      insert ??= db.prepare(INSERT);
      insert.run([c.id, n.path, n.key, c.sessionId, c.interactionId, t.tool, c.ts ?? null]);
    }
  }
}

const BACKFILL_PAGE = 5000;

/**
 * Fills session_files from tool calls stored before schema v9, a page at a time (one transaction each, the
 * cursor in meta session_files_backfill), then drops the marker. Idempotent: a second process doing the same
 * writes the same rows.
 */
export function backfillSessionFiles(db: SqlDriver, realpath: RealPath): number {
  let done = 0;
  for (;;) {
    const mark = db.prepare("SELECT value FROM meta WHERE key = 'session_files_backfill'").get();
    if (!mark) return done;
    const after = Number(mark.value) || 0;
    const names = TOUCHING_TOOLS.map(() => '?').join(',');
    const rows = db
      .prepare(
        `SELECT rowid AS r, id, session_id, interaction_id, name, input_json, ts FROM tool_calls
         WHERE rowid > ? AND name IN (${names}) ORDER BY rowid LIMIT ${BACKFILL_PAGE}`,
      )
      .all([after, ...TOUCHING_TOOLS]);
    db.transaction(() => {
      writeSessionFiles(
        db,
        rows.map((r) => ({
          id: String(r.id),
          sessionId: String(r.session_id),
          interactionId: String(r.interaction_id ?? ''),
          name: String(r.name),
          inputJson: String(r.input_json ?? '{}') as ToolCallRow['inputJson'],
          ts: typeof r.ts === 'number' ? r.ts : undefined,
        })),
        realpath,
      );
      if (rows.length < BACKFILL_PAGE) db.prepare("DELETE FROM meta WHERE key = 'session_files_backfill'").run();
      else
        db.prepare("UPDATE meta SET value = ? WHERE key = 'session_files_backfill'").run([
          String(rows[rows.length - 1]!.r),
        ]);
    });
    done += rows.length;
  }
}

/** One touch of a file: which session, when, with which tool, in which turn. */
export interface FileTouch {
  sessionId: string;
  path: string;
  relPath: string | null;
  tool: string;
  toolCallId: string;
  ts: number | null;
  /** The API response (`r:<key>`) that made the call. */
  interactionId: string | null;
  /** The user prompt (`p:<uuid>`) whose turn it was: the last main-thread prompt at or before the call. */
  turnId: string | null;
  /**
   * The dashboard timeline entry (`Turn.id`) to jump to: the main-thread response that made the call, or, for a
   * call a subagent made, the main-thread response whose tool call started that subagent; else the prompt.
   */
  timelineTurnId: string | null;
  /** That prompt's text (masked), for a picker. */
  prompt: string | null;
  title: string | null;
  projectPath: string | null;
}

/** Every touch of the file with this key (normalized path key), newest first. */
export function fileTouches(db: SqlDriver, pathKey: string): FileTouch[] {
  const rows = db
    .prepare(
      `SELECT f.session_id, f.path, f.rel_path, f.tool, f.tool_call_id, f.ts, f.interaction_id,
         (SELECT i.id FROM interactions i WHERE i.session_id = f.session_id AND i.kind = 'prompt' AND i.is_sidechain = 0
            AND i.ts <= coalesce(f.ts, i.ts) ORDER BY i.ts DESC LIMIT 1) AS turn_id,
         CASE WHEN ia.is_sidechain = 0 THEN ia.id
           ELSE (SELECT t.interaction_id FROM tool_calls t JOIN interactions m ON m.id = t.interaction_id
                 WHERE t.session_id = f.session_id AND t.subagent_id = ia.agent_id AND m.is_sidechain = 0 LIMIT 1)
         END AS timeline_id,
         s.title, s.project_path
       FROM session_files f LEFT JOIN sessions s ON s.session_id = f.session_id
         LEFT JOIN interactions ia ON ia.id = f.interaction_id
       WHERE f.path_key = ? ORDER BY f.ts DESC, f.tool_call_id`,
    )
    .all([pathKey]);
  const promptOf = db.prepare(
    "SELECT text FROM texts WHERE interaction_id = ? AND kind = 'prompt' ORDER BY ord LIMIT 1",
  );
  return rows.map((r) => {
    const turnId = r.turn_id == null ? null : String(r.turn_id);
    const prompt = turnId ? promptOf.get([turnId]) : undefined;
    return {
      sessionId: String(r.session_id),
      path: String(r.path),
      relPath: r.rel_path == null ? null : String(r.rel_path),
      tool: String(r.tool),
      toolCallId: String(r.tool_call_id),
      ts: typeof r.ts === 'number' ? r.ts : null,
      interactionId: r.interaction_id == null || r.interaction_id === '' ? null : String(r.interaction_id),
      turnId,
      timelineTurnId: r.timeline_id == null ? turnId : String(r.timeline_id),
      prompt: prompt ? String(prompt.text) : null,
      title: r.title == null ? null : String(r.title),
      projectPath: r.project_path == null ? null : String(r.project_path),
    };
  });
}

/** The files a session touched, relative to its repository where known, sorted and unique. */
export function filesOfSession(db: SqlDriver, sessionId: string): string[] {
  return db
    .prepare('SELECT DISTINCT coalesce(rel_path, path) AS p FROM session_files WHERE session_id = ? ORDER BY p')
    .all([sessionId])
    .map((r) => String(r.p));
}

/** The files a session's tools touched: the stored (absolute, masked) path and, once git knows the root, relative. */
export function touchedFilesOf(db: SqlDriver, sessionId: string): { path: string; relPath: string | null }[] {
  return db
    .prepare('SELECT DISTINCT path, rel_path FROM session_files WHERE session_id = ? ORDER BY coalesce(rel_path, path)')
    .all([sessionId])
    .map((r) => ({ path: String(r.path), relPath: r.rel_path == null ? null : String(r.rel_path) }));
}
