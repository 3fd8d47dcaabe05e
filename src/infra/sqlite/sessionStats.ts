import type { PriceTable } from '../../core/pricing/priceTable';
import { priceGroups, type UsageGroupLike } from '../../core/sessions/sessionSummary';
import type { SqlDriver } from './driver';
import { longContextTiers } from './longContext';
import { ledgerGroupsSql, usageGroupOf } from './usageReads';

// session_stats (migration v9): the per-session figures the dashboard's Sessions view and `cct sessions --sort` sort
// and filter on in SQL. Cost needs the price table, so they are computed here and stored, for the sessions that
// changed since (sessions.updated_at > computed_at), or all of them when the price table changed.

/** The one-line preview of a session: its title, else its first real prompt, cut here (the list shows one line). */
const FIRST_PROMPT_CHARS = 200;

const STALE_SQL = `SELECT s.session_id FROM sessions s LEFT JOIN session_stats st ON st.session_id = s.session_id
  WHERE st.session_id IS NULL OR st.computed_at <= coalesce(s.updated_at, 0)`;

/** How many sessions have no stats or stale ones (0 when the table is current). */
export function staleSessionStats(db: SqlDriver): number {
  return Number(db.prepare(`SELECT count(*) AS n FROM (${STALE_SQL})`).get()?.n ?? 0);
}

/**
 * Brings session_stats up to date with the sessions and this price table; returns how many sessions it recomputed.
 * Runs where the store is written (after a scan, under the ingest lease), never on the dashboard's read connection.
 */
export function refreshSessionStats(db: SqlDriver, prices: PriceTable, now = Date.now()): number {
  const key = prices.fingerprint();
  const storedKey = db.prepare("SELECT value FROM meta WHERE key = 'session_stats_prices'").get()?.value;
  // A scan that wrote nothing (the usual poll) must not write either: no transaction, no flush of a sql.js file.
  const orphans = db.prepare(
    'SELECT 1 FROM session_stats WHERE session_id NOT IN (SELECT session_id FROM sessions) LIMIT 1',
  );
  if (storedKey === key && staleSessionStats(db) === 0 && !orphans.get()) return 0;
  return db.transaction(() => {
    if (storedKey !== key) db.exec('DELETE FROM session_stats');
    db.exec('DELETE FROM session_stats WHERE session_id NOT IN (SELECT session_id FROM sessions)');
    db.exec('CREATE TEMP TABLE IF NOT EXISTS cct_stale (session_id TEXT PRIMARY KEY)');
    db.exec('DELETE FROM temp.cct_stale');
    db.exec(`INSERT INTO temp.cct_stale ${STALE_SQL}`);
    const n = Number(db.prepare('SELECT count(*) AS n FROM temp.cct_stale').get()?.n ?? 0);
    if (n > 0) writeStats(db, prices, now);
    db.exec('DELETE FROM temp.cct_stale');
    db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('session_stats_prices', ?)").run([key]);
    return n;
  });
}

const IN_STALE = 'session_id IN (SELECT session_id FROM temp.cct_stale)';

function writeStats(db: SqlDriver, prices: PriceTable, now: number): void {
  const groups = new Map<string, UsageGroupLike[]>();
  // Daily slots as listSessions: prices change by date at most.
  const sql = ledgerGroupsSql('session_id', longContextTiers(prices.thresholds()), 86_400_000, `WHERE ${IN_STALE}`);
  for (const r of db.prepare(sql).all()) {
    const g = usageGroupOf(r);
    const list = groups.get(g.sessionId);
    if (list) list.push(g);
    else groups.set(g.sessionId, [g]);
  }
  const countsBy = (q: string): Map<string, number[]> => {
    const m = new Map<string, number[]>();
    for (const r of db.prepare(q).values()) m.set(String(r[0]), r.slice(1).map(Number));
    return m;
  };
  const prompts = countsBy(
    `SELECT session_id, count(*) FROM interactions WHERE kind = 'prompt' AND is_sidechain = 0 AND ${IN_STALE} GROUP BY session_id`,
  );
  const tools = countsBy(
    `SELECT session_id, count(*), sum(is_error = 1) FROM tool_calls WHERE name IS NOT NULL AND ${IN_STALE} GROUP BY session_id`,
  );
  const findings = countsBy(
    `SELECT session_id, sum(count) FROM privacy_findings WHERE ${IN_STALE} GROUP BY session_id`,
  );
  const firstPrompt = db.prepare(
    `SELECT t.text FROM interactions i JOIN texts t ON t.interaction_id = i.id
     WHERE i.session_id = ? AND i.kind = 'prompt' AND i.is_sidechain = 0 ORDER BY i.ts, i.byte_offset, t.ord LIMIT 1`,
  );
  const upsert =
    db.prepare(`INSERT OR REPLACE INTO session_stats (session_id, computed_at, prompts, api_messages, input,
    output, cache_write, cache_read, cache_5m, cache_1h, tokens, cost_usd, legacy_cost_usd, unpriced, models, tool_calls,
    tool_errors, findings, first_prompt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  for (const [sid, title] of db
    .prepare('SELECT s.session_id, s.title FROM temp.cct_stale x JOIN sessions s ON s.session_id = x.session_id')
    .values()) {
    const id = String(sid);
    const p = priceGroups(groups.get(id) ?? [], prices);
    const t = p.tokens;
    const preview = title !== null ? String(title) : (firstPrompt.get([id])?.text ?? null);
    const [calls = 0, errors = 0] = tools.get(id) ?? [];
    upsert.run([
      id,
      now,
      prompts.get(id)?.[0] ?? 0,
      p.apiMessages,
      t.input,
      t.output,
      t.cacheCreation,
      t.cacheRead,
      p.cache5m,
      p.cache1h,
      t.input + t.output + t.cacheCreation + t.cacheRead,
      p.costUsd,
      p.legacyCostUsd,
      JSON.stringify(p.unpricedModels),
      JSON.stringify(p.models),
      calls,
      errors,
      findings.get(id)?.[0] ?? 0,
      preview === null ? null : oneLine(String(preview)),
    ]);
  }
}

/** Whitespace runs (newlines included) become one space; cut at FIRST_PROMPT_CHARS code points. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cps = Array.from(flat);
  return cps.length > FIRST_PROMPT_CHARS ? `${cps.slice(0, FIRST_PROMPT_CHARS - 1).join('')}…` : flat;
}
