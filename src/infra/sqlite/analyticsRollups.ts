import * as z from 'zod';
import { parseRow, promptTuple, toolCallTuple } from '../../core/analytics/rowSchemas';
import type {
  AnalyticsInput,
  CompactionRow,
  PromptRow,
  SessionFacts,
  SessionInput,
  SessionMeta,
  ToolCallRow,
  UsageRow,
} from '../../core/analytics/rows';
import { factsOfRows } from '../../core/analytics/sessionFacts';
import { type TopicDoc, termsOf } from '../../core/analytics/topics/topics';
import type { PriceTable } from '../../core/pricing/priceTable';
import {
  COMPACTIONS_SQL,
  compactionRowOf,
  digest,
  readSessionMetas,
  readTopicDocs,
  USAGE_COLUMNS,
  usageRowOf,
} from './analyticsReads';
import type { SqlDriver, SqlValue } from './driver';
import { longContextSql, longContextTiers } from './longContext';

// Analytics rollups (migration v15): analytics_cells holds the ledger per session x UTC quarter-hour x model x speed x
// long-context tier x sidechain flag (with the first and last message time of each cell); analytics_sessions holds
// per session what needs its rows in order (prompt count and quarter-hour spans, first-response delays, tool stats
// with retries, main-thread compactions (v16), turn durations (v16)) and its topic terms. Every zone offset is a multiple of 15 minutes, so a quarter-hour lies in one
// local hour of every zone: cells re-bucket exactly to local hours, days and weeks, DST included.

const SLOT_MS = 900_000;
/** Sessions refreshed per batch: bounds the rows one batch holds in memory. */
const CHUNK = 400;

// Stale: no rollups, or rollups computed at or before the session's last write. Read from the covering indexes of
// store v17 only (INDEXED BY: without statistics SQLite would take the primary key and read every row).
const STALE_SQL = `SELECT s.session_id FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM analytics_sessions a
  INDEXED BY analytics_sessions_fresh WHERE a.session_id = s.session_id AND a.computed_at > coalesce(s.updated_at, 0))`;
const IN_IDS = 'session_id IN (SELECT value FROM json_each(?))';

/** Sessions whose rollups are missing or older than their last write (0 when analytics can read the rollups). */
export function staleAnalyticsSessions(db: SqlDriver, thresholds: readonly number[]): number {
  if (storedTiers(db) !== tiersKey(thresholds)) return Number.POSITIVE_INFINITY;
  const orphan = db.prepare(
    'SELECT 1 FROM analytics_sessions WHERE session_id NOT IN (SELECT session_id FROM sessions) LIMIT 1',
  );
  return Number(db.prepare(`SELECT count(*) AS n FROM (${STALE_SQL})`).get()?.n ?? 0) + (orphan.get() ? 1 : 0);
}

export interface RollupRefresh {
  /** Sessions whose cells and facts were recomputed. */
  changed: string[];
  /** Sessions whose rollups were dropped (the session is gone). */
  removed: string[];
  /** Everything was rebuilt (first run, or the price table's long-context thresholds changed). */
  full: boolean;
}

/**
 * Brings the analytics rollups up to date: recomputes the sessions written since their last refresh (or all of them
 * when the long-context thresholds changed), drops those of deleted sessions. Call where the store is written (after a
 * scan, under the ingest lease). Returns which sessions changed, so an in-memory copy can reload only those.
 */
export function refreshAnalyticsRollups(db: SqlDriver, prices: PriceTable, now = Date.now()): RollupRefresh {
  const tiers = longContextTiers(prices.thresholds());
  const full = storedTiers(db) !== tiersKey(tiers);
  const removed = db
    .prepare('SELECT session_id FROM analytics_sessions WHERE session_id NOT IN (SELECT session_id FROM sessions)')
    .values()
    .map((r) => String(r[0]));
  const stale = full
    ? db
        .prepare('SELECT session_id FROM sessions ORDER BY session_id')
        .values()
        .map((r) => String(r[0]))
    : db
        .prepare(`${STALE_SQL} ORDER BY s.session_id`)
        .values()
        .map((r) => String(r[0]));
  if (!full && stale.length === 0 && removed.length === 0) return { changed: [], removed: [], full };
  const above = longContextSql(tiers);
  // Strictly after every earlier refresh, so a reader that loaded up to some computed_at misses none of these.
  const last = Number(db.prepare('SELECT max(computed_at) AS m FROM analytics_sessions').get()?.m ?? 0);
  // And strictly after every session's last write: a session written in this same millisecond (or stamped by a clock
  // ahead of this one) would otherwise still read as stale, and the reader would fall back to the rows.
  const written = Number(db.prepare('SELECT max(coalesce(updated_at, 0)) AS u FROM sessions').get()?.u ?? 0);
  const at = Math.max(now, last + 1, written + 1);
  db.transaction(() => {
    if (full) db.exec('DELETE FROM analytics_cells; DELETE FROM analytics_sessions;');
    if (removed.length) {
      db.prepare(`DELETE FROM analytics_cells WHERE ${IN_IDS}`).run([JSON.stringify(removed)]);
      db.prepare(`DELETE FROM analytics_sessions WHERE ${IN_IDS}`).run([JSON.stringify(removed)]);
    }
    const delCells = db.prepare(`DELETE FROM analytics_cells WHERE ${IN_IDS}`);
    const insCells = db.prepare(`INSERT INTO analytics_cells SELECT session_id, (ts / ${SLOT_MS}) * ${SLOT_MS} AS slot,
        model, speed, ${above} AS pa, is_sidechain, count(*), min(ts), max(ts), sum(input), sum(output), sum(cache_5m),
        sum(cache_1h), sum(cache_creation), sum(cache_read)
      FROM api_messages WHERE ts IS NOT NULL AND ${IN_IDS} GROUP BY session_id, slot, model, speed, pa, is_sidechain`);
    const upsert = db.prepare(`INSERT OR REPLACE INTO analytics_sessions
      (session_id, computed_at, prompts, prompt_spans, first_response_ms, tools, terms, compactions, turn_ms)
      VALUES (?,?,?,?,?,?,?,?,?)`);
    for (let i = 0; i < stale.length; i += CHUNK) {
      const ids = stale.slice(i, i + CHUNK);
      const idsJson = JSON.stringify(ids);
      delCells.run([idsJson]);
      insCells.run([idsJson]);
      const facts = new Map(factsOf(db, idsJson).map((f) => [f.sessionId, f]));
      const terms = new Map(readTopicDocs(db, {}, ids).map((d) => [d.sessionId, termsOf(d)]));
      for (const sid of ids) {
        const f = facts.get(sid);
        const t = terms.get(sid);
        upsert.run([
          sid,
          at,
          f?.prompts ?? 0,
          JSON.stringify(f ? quarterSpans(f.promptSpans) : []),
          JSON.stringify(f?.firstResponseMs ?? []),
          JSON.stringify(f?.tools ?? []),
          t === undefined ? null : JSON.stringify(t),
          f?.compactions ?? 0,
          JSON.stringify(f?.turnMs ?? []),
        ]);
      }
    }
    db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('analytics_tiers', ?)").run([tiersKey(tiers)]);
  });
  return { changed: stale, removed, full };
}

/**
 * Drops every cached topic term (words of masked text) and marks every session's rollups stale: after a re-mask the
 * terms may hold words the stricter masking now hides. Call inside the transaction that finishes the re-mask.
 */
export function dropRollupTerms(db: SqlDriver): void {
  db.exec('UPDATE analytics_sessions SET terms = NULL, computed_at = 0');
}

/** The facts of these sessions from their rows (the same function as for rows from any other source). */
function factsOf(db: SqlDriver, idsJson: string): SessionFacts[] {
  const usage: UsageRow[] = db
    .prepare(`SELECT session_id, ts FROM api_messages WHERE ts IS NOT NULL AND ${IN_IDS}`)
    .values([idsJson])
    .map((r) => ({
      sessionId: String(r[0]),
      ts: Number(r[1]),
      model: null,
      speed: null,
      input: 0,
      output: 0,
      cache5m: 0,
      cache1h: 0,
      cacheCreation: 0,
      cacheRead: 0,
      isSidechain: false,
    }));
  const prompts: PromptRow[] = db
    .prepare(`SELECT session_id, ts FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0 AND ${IN_IDS}`)
    .values([idsJson])
    .map((r, i) => {
      const [sessionId, ts] = parseRow(promptTuple, r, 'interactions', i);
      return { sessionId, ts };
    });
  const calls: ToolCallRow[] = db
    .prepare(
      `SELECT id, session_id, name, input_json, ts, is_error, is_sidechain FROM tool_calls
       WHERE name IS NOT NULL AND session_id IS NOT NULL AND ${IN_IDS}`,
    )
    .values([idsJson])
    .map((r, i) => {
      const [id, sessionId, name, inputJson, ts, isError, sc] = parseRow(toolCallTuple, r, 'tool_calls', i);
      return {
        id,
        sessionId,
        name,
        inputKey: inputJson === null ? null : digest(inputJson),
        ts,
        isError: isError === null ? null : isError === 1,
        isSidechain: sc === 1,
      };
    });
  const compactions: CompactionRow[] = db
    .prepare(`${COMPACTIONS_SQL} AND ${IN_IDS}`)
    .values([idsJson])
    .map((r, i) => compactionRowOf(r, i));
  return factsOfRows(usage, prompts, calls, compactions);
}

/** Prompt times (flat pairs) merged per quarter-hour (first and last): the same local days and session spans, far fewer. */
function quarterSpans(spans: readonly number[]): [number, number][] {
  const by = new Map<number, [number, number]>();
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const first = spans[i]!;
    const last = spans[i + 1]!;
    const k = Math.floor(first / SLOT_MS);
    const q = by.get(k);
    if (!q) by.set(k, [first, last]);
    else {
      q[0] = Math.min(q[0], first);
      q[1] = Math.max(q[1], last);
    }
  }
  return [...by.values()];
}

const int = z.number().int();
const cellTuple = z.tuple([
  z.string(),
  z.string().nullable(),
  z.string().nullable(),
  z.number().int().nonnegative(),
  z.union([z.literal(0), z.literal(1)]),
  int.positive(),
  int,
  int,
  int.nonnegative(),
  int.nonnegative(),
  int.nonnegative(),
  int.nonnegative(),
  int.nonnegative(),
  int.nonnegative(),
]);
const toolStatsSchema = z.array(
  z.object({
    tool: z.string(),
    calls: int.nonnegative(),
    withResult: int.nonnegative(),
    errors: int.nonnegative(),
    errorRate: z.number().nullable(),
    retries: int.nonnegative(),
  }),
);
const factsTuple = z.tuple([
  z.string(),
  int.nonnegative(),
  z.string(),
  z.string(),
  z.string(),
  z.string().nullable(),
  int.nonnegative(),
  z.string(),
]);
const spansSchema = z.array(z.tuple([int, int]));
const delaysSchema = z.array(z.number());

/**
 * One session's rollups as analytics input (its cells as `usage`, its facts and metadata): a long-lived reader keeps
 * the object until the session is refreshed, which lets an AnalyticsIndex reuse its work on it.
 */
export interface SessionRollup extends SessionInput {
  usage: UsageRow[];
  facts: SessionFacts;
  /** Its topic terms; undefined when it has no prompt text (not a topic document). */
  topic: TopicDoc | undefined;
  /** Its last message instant (the latest cell's last; -Infinity without cells). */
  lastTs: number;
}

/**
 * The rollups of these sessions (all when `ids` is absent), validated: a damaged row is an error naming it. The
 * caller checks staleAnalyticsSessions first (or refreshes).
 */
export function readSessionRollups(db: SqlDriver, ids?: readonly string[]): Map<string, SessionRollup> {
  const all =
    ids ??
    db
      .prepare('SELECT session_id FROM analytics_sessions ORDER BY session_id')
      .values()
      .map((r) => String(r[0]));
  const out = new Map<string, SessionRollup>();
  const strings = new Map<string, string>();
  // In batches of sessions: a batch's raw rows are garbage before the next is read, so the peak memory is what is
  // kept plus one batch, not plus every cell row at once (200,000 cells read whole would add ~100 MB).
  for (let i = 0; i < all.length; i += READ_BATCH) readRollupBatch(db, all.slice(i, i + READ_BATCH), out, strings);
  return out;
}

/**
 * Sessions per read batch of readSessionRollups: small enough that a batch's raw rows (~2,000 cells) die in the young
 * generation instead of being promoted while it is parsed (1,000 sessions per batch left ~50 MB more garbage).
 */
const READ_BATCH = 200;

function readRollupBatch(
  db: SqlDriver,
  ids: readonly string[],
  out: Map<string, SessionRollup>,
  strings: Map<string, string>,
): void {
  const where = ` WHERE ${IN_IDS}`;
  const params: SqlValue[] = [JSON.stringify(ids)];
  const intern = (v: string) => {
    const had = strings.get(v);
    if (had !== undefined) return had;
    strings.set(v, v);
    return v;
  };
  db.prepare(
    `SELECT session_id, prompts, prompt_spans, first_response_ms, tools, terms, compactions, turn_ms
     FROM analytics_sessions${where}`,
  )
    .values(params)
    .forEach((r, i) => {
      const [sid, prompts, spans, delays, tools, terms, compactions, turns] = parseRow(
        factsTuple,
        r,
        'analytics_sessions',
        i,
      );
      const json = <T>(schema: z.ZodType<T>, text: string, col: string) =>
        parseRow(schema, safeJson(text), `analytics_sessions.${col} of ${sid}`, i);
      const sessionId = intern(sid);
      out.set(sessionId, {
        usage: [],
        meta: undefined,
        lastTs: Number.NEGATIVE_INFINITY,
        facts: {
          sessionId,
          prompts,
          promptSpans: json(spansSchema, spans, 'prompt_spans').flat(),
          firstResponseMs: json(delaysSchema, delays, 'first_response_ms'),
          // Rebuilt as literals (zod's output objects carry out-of-object properties), the names interned:
          // 20,000 sessions name a handful of tools.
          tools: json(toolStatsSchema, tools, 'tools').map((t) => ({
            tool: intern(t.tool),
            calls: t.calls,
            withResult: t.withResult,
            errors: t.errors,
            errorRate: t.errorRate,
            retries: t.retries,
          })),
          compactions,
          turnMs: json(delaysSchema, turns, 'turn_ms'),
        },
        topic:
          terms === null
            ? undefined
            : {
                sessionId,
                texts: [],
                toolTargets: [],
                tokens: termsOfJson(terms, `analytics_sessions.terms of ${sid}`, intern),
              },
      });
    });
  db.prepare(
    `SELECT session_id, model, speed, prompt_above, is_sidechain, n, first_ts, last_ts, input, output, cache_5m,
       cache_1h, cache_creation, cache_read FROM analytics_cells${where}`,
  )
    .values(params)
    .forEach((r, i) => {
      const [sid, model, speed, pa, sc, n, first, last, input, output, c5, c1, cc, cr] = parseRow(
        cellTuple,
        r,
        'analytics_cells',
        i,
      );
      const s = out.get(sid);
      if (!s) return; // a cell written without its session's facts: the next refresh rewrites both
      if (last > s.lastTs) s.lastTs = last;
      s.usage.push({
        sessionId: s.facts.sessionId,
        ts: first,
        lastTs: last,
        n,
        promptAbove: pa,
        model: model === null ? null : intern(model),
        speed: speed === null ? null : intern(speed),
        input,
        output,
        cache5m: c5,
        cache1h: c1,
        cacheCreation: cc,
        cacheRead: cr,
        isSidechain: sc === 1,
      });
    });
  for (const m of readSessionMetas(db, undefined, ids)) {
    const s = out.get(m.sessionId);
    // The session's own id string, and one string per project path and entrypoint (a reader keeps 20,000 of these).
    if (s)
      s.meta = {
        sessionId: s.facts.sessionId,
        projectPath: m.projectPath === null ? null : intern(m.projectPath),
        entrypoint: m.entrypoint === null ? null : intern(m.entrypoint),
        firstTs: m.firstTs,
        lastTs: m.lastTs,
        title: m.title,
      };
  }
}

/** Plain ledger rows in [fromMs, toMs) of the sessions `keep` accepts (the cache-ratio split inside a cell). */
export function readRowsBetween(db: SqlDriver, fromMs: number, toMs: number, keep: (sid: string) => boolean) {
  return db
    .prepare(`SELECT ${USAGE_COLUMNS} FROM api_messages WHERE ts >= ? AND ts < ?`)
    .values([fromMs, toMs])
    .map((r, i) => usageRowOf(r, i))
    .filter((r) => keep(r.sessionId));
}

/**
 * Assembles analytics input from per-session rollups (kept in memory by a long-lived reader, or just read): every
 * session's metadata from the rollups, or `sessions` when a filtered read passes its own (those it keeps).
 */
export function inputOfRollups(
  rollups: ReadonlyMap<string, SessionRollup>,
  filtered: SessionMeta[] | undefined,
  opts: { topics?: boolean },
): AnalyticsInput {
  const keep = filtered ? new Set(filtered.map((s) => s.sessionId)) : undefined;
  const sessions: SessionMeta[] = filtered ?? [];
  const perSession = new Map<string, SessionRollup>();
  const facts: SessionFacts[] = [];
  const topicDocs: TopicDoc[] = [];
  for (const [sid, r] of rollups) {
    if (keep && !keep.has(sid)) continue;
    if (!filtered && r.meta) sessions.push(r.meta);
    perSession.set(sid, r);
    facts.push(r.facts);
    if (r.topic) topicDocs.push(r.topic);
  }
  let usage: UsageRow[] | undefined;
  return {
    sessions,
    // Flattened on first use only: analyticsOf reads perSession, and 200,000 cells flattened per refresh are garbage.
    get usage() {
      usage ??= [...perSession.values()].flatMap((r) => r.usage);
      return usage;
    },
    perSession,
    complete: keep === undefined,
    facts,
    topicDocs: opts.topics === false ? undefined : topicDocs,
  };
}

const tiersKey = (tiers: readonly number[]) => JSON.stringify(longContextTiers(tiers));
const storedTiers = (db: SqlDriver) =>
  db.prepare("SELECT value FROM meta WHERE key = 'analytics_tiers'").get()?.value as string | undefined;

/**
 * A session's cached topic terms (a JSON array of strings), each interned in place: checked by hand rather than by
 * zod, whose output copy of 20,000 sessions' ~60 terms each was most of a cold read's garbage.
 */
function termsOfJson(text: string, where: string, intern: (s: string) => string): string[] {
  const v = safeJson(text);
  if (!Array.isArray(v)) throw new Error(`unreadable ${where}: expected an array of strings`);
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (typeof t !== 'string') throw new Error(`unreadable ${where}: item ${i} is not a string`);
    v[i] = intern(t);
  }
  return v as string[];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // the schema then names the column and row
  }
}
