import {
  compactionTuple,
  parseRow,
  promptTuple,
  sessionTuple,
  textTuple,
  toolCallTuple,
  usageTuple,
} from '../../core/analytics/rowSchemas';
import type {
  AnalyticsFilter,
  AnalyticsRows,
  CompactionRow,
  PromptRow,
  SessionMeta,
  ToolCallRow,
  UsageRow,
} from '../../core/analytics/rows';
import type { TopicDoc } from '../../core/analytics/topics/topics';
import type { SqlDriver, SqlValue } from './driver';

export type { AnalyticsFilter };

/**
 * The rows analytics computes over, read from the store and validated (core/analytics/rowSchemas.ts). Ledger rows
 * without a timestamp belong to no day or block and are left out. Read-only: takes the store's driver (Store.db).
 */
/** The api_messages columns a usage row is read from, in usageRowOf's order. */
export const USAGE_COLUMNS =
  'session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain';

/** One api_messages row (USAGE_COLUMNS first) as a validated usage row; `intern` shares repeated strings. */
export function usageRowOf(r: SqlValue[], i: number, intern: (v: string) => string = (v) => v): UsageRow {
  const [sessionId, ts, model, speed, input, output, cache5m, cache1h, cacheCreation, cacheRead, sc] = parseRow(
    usageTuple,
    r,
    'api_messages',
    i,
  );
  return {
    sessionId: intern(sessionId),
    ts,
    model: model === null ? null : intern(model),
    speed,
    input,
    output,
    cache5m,
    cache1h,
    cacheCreation,
    cacheRead,
    isSidechain: sc === 1,
  };
}

/** Main-thread compaction boundaries (v14, compactionRows.ts): a subagent's own compaction is not its session's. */
export const COMPACTIONS_SQL = 'SELECT session_id, ts FROM compactions WHERE is_sidechain = 0';

/** One COMPACTIONS_SQL row, validated. */
export function compactionRowOf(r: SqlValue[], i: number, intern: (v: string) => string = (v) => v): CompactionRow {
  const [sessionId, ts] = parseRow(compactionTuple, r, 'compactions', i);
  return { sessionId: intern(sessionId), ts };
}

export function readAnalyticsRows(
  db: SqlDriver,
  filter: AnalyticsFilter = {},
  opts: { pageSize?: number } = {},
): AnalyticsRows {
  const pageSize = opts.pageSize ?? 50_000;
  // SQLite hands out a new string per cell: one copy per session id, model and tool name instead of one per row.
  const strings = new Map<string, string>();
  const intern = (v: string) => {
    const had = strings.get(v);
    if (had !== undefined) return had;
    strings.set(v, v);
    return v;
  };
  const projectSql =
    "session_id IN (SELECT session_id FROM sessions WHERE instr(lower(coalesce(project_path, '')), lower(?)) > 0)";
  const where = (tsCol: string, requireTs: boolean) => {
    const w: string[] = [];
    const p: SqlValue[] = [];
    if (requireTs || filter.sinceMs !== undefined || filter.untilMs !== undefined) w.push(`${tsCol} IS NOT NULL`);
    if (filter.sinceMs !== undefined) {
      w.push(`${tsCol} >= ?`);
      p.push(filter.sinceMs);
    }
    if (filter.untilMs !== undefined) {
      w.push(`${tsCol} < ?`);
      p.push(filter.untilMs);
    }
    if (filter.project) {
      w.push(projectSql);
      p.push(filter.project);
    }
    return { sql: w.length ? ` AND ${w.join(' AND ')}` : '', params: p };
  };

  const u = where('ts', true);
  const usage: UsageRow[] = paged(
    db,
    `SELECT ${USAGE_COLUMNS}, rowid FROM api_messages WHERE 1 = 1${u.sql}`,
    u.params,
    pageSize,
    (r, i) => usageRowOf(r, i, intern),
  );

  const pw = where('ts', false);
  const prompts: PromptRow[] = db
    .prepare(`SELECT session_id, ts FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0${pw.sql}`)
    .values(pw.params)
    .map((r, i) => {
      const [sessionId, ts] = parseRow(promptTuple, r, 'interactions', i);
      return { sessionId: intern(sessionId), ts };
    });

  const tw = where('ts', false);
  const toolCalls: ToolCallRow[] = paged(
    db,
    `SELECT id, session_id, name, input_json, ts, is_error, is_sidechain, rowid FROM tool_calls
     WHERE name IS NOT NULL AND session_id IS NOT NULL${tw.sql}`,
    tw.params,
    pageSize,
    (r, i) => {
      const [id, sessionId, name, inputJson, ts, isError, sc] = parseRow(toolCallTuple, r, 'tool_calls', i);
      const inputKey = inputJson === null ? null : digest(inputJson);
      return {
        id,
        sessionId: intern(sessionId),
        name: intern(name),
        inputKey,
        ts,
        isError: isError === null ? null : isError === 1,
        isSidechain: sc === 1,
      };
    },
  );

  const cw = where('ts', false);
  const compactions: CompactionRow[] = db
    .prepare(`${COMPACTIONS_SQL}${cw.sql}`)
    .values(cw.params)
    .map((r, i) => compactionRowOf(r, i, intern));

  return { sessions: readSessionMetas(db, filter.project), usage, prompts, toolCalls, compactions };
}

/** Every session's metadata, or those whose project path contains `project` (case-insensitive), by session id. */
export function readSessionMetas(db: SqlDriver, project?: string, ids?: readonly string[]): SessionMeta[] {
  const sp: SqlValue[] = [];
  const w: string[] = [];
  if (project) {
    w.push("instr(lower(coalesce(project_path, '')), lower(?)) > 0");
    sp.push(project);
  }
  if (ids) {
    w.push('session_id IN (SELECT value FROM json_each(?))');
    sp.push(JSON.stringify(ids));
  }
  const sw = w.length ? ` WHERE ${w.join(' AND ')}` : '';
  return db
    .prepare(
      `SELECT session_id, project_path, entrypoint, first_ts, last_ts, title FROM sessions${sw} ORDER BY session_id`,
    )
    .values(sp)
    .map((r, i) => {
      const [sessionId, projectPath, entrypoint, firstTs, lastTs, title] = parseRow(sessionTuple, r, 'sessions', i);
      return { sessionId, projectPath, entrypoint, firstTs, lastTs, title };
    });
}

/**
 * What topic clustering reads per session (masked text only): the first three main-thread prompts (1,000 characters
 * each), the title, and up to 20 tool targets (file path, path, search pattern, or the first 100 characters of a
 * command). Same filter as readAnalyticsRows; a session is included when it has a prompt in the range.
 */
export function readTopicDocs(db: SqlDriver, filter: AnalyticsFilter = {}, sessionIds?: readonly string[]): TopicDoc[] {
  const w: string[] = [];
  const p: SqlValue[] = [];
  // Only these sessions (the rollups' refresh of the sessions that changed).
  const only = sessionIds ? ' AND session_id IN (SELECT value FROM json_each(?))' : '';
  if (sessionIds) {
    w.push('i.session_id IN (SELECT value FROM json_each(?))');
    p.push(JSON.stringify(sessionIds));
  }
  if (filter.sinceMs !== undefined) {
    w.push('i.ts >= ?');
    p.push(filter.sinceMs);
  }
  if (filter.untilMs !== undefined) {
    w.push('i.ts < ?');
    p.push(filter.untilMs);
  }
  if (filter.project) {
    w.push(
      "i.session_id IN (SELECT session_id FROM sessions WHERE instr(lower(coalesce(project_path, '')), lower(?)) > 0)",
    );
    p.push(filter.project);
  }
  const docs = new Map<string, TopicDoc>();
  const doc = (sid: string) => {
    let d = docs.get(sid);
    if (!d) {
      d = { sessionId: sid, texts: [], toolTargets: [] };
      docs.set(sid, d);
    }
    return d;
  };
  const prompts = db
    .prepare(
      `SELECT session_id, text FROM (
         SELECT i.session_id, substr(t.text, 1, 1000) AS text,
           row_number() OVER (PARTITION BY i.session_id ORDER BY i.ts, i.id, t.ord) AS rn
         FROM interactions i JOIN texts t ON t.interaction_id = i.id
         WHERE i.kind = 'prompt' AND i.is_sidechain = 0 AND t.kind = 'prompt'${w.length ? ` AND ${w.join(' AND ')}` : ''})
       WHERE rn <= 3 ORDER BY session_id, rn`,
    )
    .values(p);
  prompts.forEach((r, i) => {
    const [sid, text] = parseRow(textTuple, r, 'texts', i);
    doc(sid).texts.push(text);
  });
  if (docs.size === 0) return [];
  const ids = [...docs.keys()];
  const titles = db.prepare('SELECT session_id, title FROM sessions WHERE session_id = ? AND title IS NOT NULL');
  for (const sid of ids) {
    const r = titles.values([sid])[0];
    if (r) doc(sid).texts.push(parseRow(textTuple, r, 'sessions', 0)[1]);
  }
  const targetExpr = `CASE WHEN json_valid(input_json) THEN coalesce(json_extract(input_json, '$.file_path'),
      json_extract(input_json, '$.path'), json_extract(input_json, '$.pattern'),
      substr(json_extract(input_json, '$.command'), 1, 100)) END`;
  const targets = db
    .prepare(
      `SELECT session_id, target FROM (
         SELECT session_id, ${targetExpr} AS target, row_number() OVER (PARTITION BY session_id ORDER BY ts, id) AS rn
         FROM tool_calls WHERE name IS NOT NULL AND session_id IS NOT NULL${only})
       WHERE target IS NOT NULL AND typeof(target) = 'text' AND rn <= 20`,
    )
    .values(sessionIds ? [JSON.stringify(sessionIds)] : []);
  targets.forEach((r, i) => {
    const [sid, target] = parseRow(textTuple, r, 'tool_calls', i);
    docs.get(sid)?.toolTargets.push(target);
  });
  return [...docs.values()];
}

/**
 * Runs `sql` (whose last column is rowid) page by page in rowid order and maps each row (without its rowid): the
 * raw arrays of one page die young instead of two million of them living until the last is mapped.
 */
function paged<T>(
  db: SqlDriver,
  sql: string,
  params: SqlValue[],
  page: number,
  map: (row: SqlValue[], index: number) => T,
): T[] {
  const stmt = db.prepare(`${sql} AND rowid > ? ORDER BY rowid LIMIT ${page}`);
  const out: T[] = [];
  let after = -1;
  for (;;) {
    const rows = stmt.values([...params, after]);
    for (const r of rows) {
      after = Number(r.pop()); // the rowid, off the row before it is validated
      out.push(map(r, out.length));
    }
    if (rows.length < page) return out;
  }
}

/** A 53-bit FNV-1a style digest of a string, as a short key (a collision only merges two inputs' retry counts). */
export function digest(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (((h2 >>> 0) & 0x1fffff) * 4_294_967_296 + (h1 >>> 0)).toString(36);
}
