import type { MetricsRows, SessionLengthCounts, ToolUsageRow } from '../../core/metrics/metricsRows';
import type { SqlDriver, SqlValue } from './driver';
import { type UsageGroup, usageGroups } from './usageReads';
import type { UsageRollups } from './usageRollups';

/**
 * The store aggregates behind the dashboard's Metrics view (`metrics/get`). Each is one grouped SQL query over an
 * index (chosen with EXPLAIN QUERY PLAN, see test/unit/store/metricsReads.test.ts); the time-zone shaping and pricing
 * happen in src/core/metrics/buildMetrics.ts. Usage is read as 15-minute slots (every zone offset is a multiple of
 * 15 minutes, so local days and hours are exact) through usageGroups, which answers from the rollups when fresh.
 * Later: the analytics engine (src/core/analytics) reads raw rows for the same measures; once it can take grouped
 * rows, the cache-savings and heatmap sums below should move there.
 */
export function metricsRows(
  db: SqlDriver,
  rollups: UsageRollups,
  opts: { sinceMs?: number; thresholds: readonly number[] },
): MetricsRows {
  const since = opts.sinceMs;
  const slots: UsageGroup[] = usageGroups(db, rollups, {
    sinceMs: since,
    thresholds: opts.thresholds,
    bySession: false,
  });
  // Per session and UTC day (what pricing depends on): the project split. The rollup answers this shape for "all".
  const sessionDays: UsageGroup[] = usageGroups(db, rollups, {
    sinceMs: since,
    thresholds: opts.thresholds,
    slotMs: 86_400_000,
  });
  const tsWhere = since === undefined ? '' : 'AND ts >= ?';
  const params: SqlValue[] = since === undefined ? [] : [since];

  // The project of each session with usage in the range: primary-key lookups.
  const projects = new Map<string, string>();
  const ids = JSON.stringify([...new Set(sessionDays.map((g) => g.sessionId))]);
  for (const [sid, project] of db
    .prepare('SELECT session_id, project_path FROM sessions WHERE session_id IN (SELECT value FROM json_each(?))')
    .values([ids]))
    projects.set(String(sid), project === null ? '' : String(project));

  const tools: ToolUsageRow[] = db
    .prepare(
      `SELECT name, count(*) AS calls, sum(is_error IS NOT NULL) AS with_result, sum(is_error = 1) AS errors
       FROM tool_calls WHERE name IS NOT NULL ${tsWhere} GROUP BY name`,
    )
    .values(params)
    .map((r) => ({
      tool: String(r[0]),
      calls: Number(r[1]),
      withResult: Number(r[2] ?? 0),
      errors: Number(r[3] ?? 0),
    }));

  // Sessions active in the range (their last message in it), by duration from first to last message.
  const lengthRow = db
    .prepare(
      `SELECT sum(d < 300000), sum(d >= 300000 AND d < 900000), sum(d >= 900000 AND d < 1800000),
              sum(d >= 1800000 AND d < 3600000), sum(d >= 3600000 AND d < 7200000),
              sum(d >= 7200000 AND d < 14400000), sum(d >= 14400000)
       FROM (SELECT last_ts - first_ts AS d FROM sessions
             WHERE first_ts IS NOT NULL AND last_ts IS NOT NULL ${since === undefined ? '' : 'AND last_ts >= ?'})`,
    )
    .values(params)[0];
  const n = (i: number) => Number(lengthRow?.[i] ?? 0);
  const sessionLengths: SessionLengthCounts = {
    lt5m: n(0),
    '5to15m': n(1),
    '15to30m': n(2),
    '30to60m': n(3),
    '1to2h': n(4),
    '2to4h': n(5),
    ge4h: n(6),
  };

  const first = db.prepare('SELECT min(ts) AS t FROM api_messages WHERE ts IS NOT NULL').get()?.t;
  return {
    slots,
    sessionDays,
    projectOf: projects,
    tools,
    sessionLengths,
    firstUsageMs: first === null || first === undefined ? null : Number(first),
  };
}
