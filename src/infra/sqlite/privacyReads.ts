import type { PrivacyReportRows } from '../../core/privacy/privacyReportRows';
import type { SqlDriver, SqlValue } from './driver';

/**
 * The time of the row a finding was counted in, from its row key (normalizer.ts): a prompt (`p:<uuid>`, an
 * interaction id), a tool call's input (`tc:<id>`) or result (`tr:<id>`), a session title (`title:<id>`), else a
 * text block (texts.key). Each a primary-key or unique-index lookup; a row without a time of its own (titles, or a
 * piece whose row is gone) takes its session's last activity.
 */
const FINDING_TS = `coalesce(CASE
    WHEN row_key LIKE 'p:%' THEN (SELECT i.ts FROM interactions i WHERE i.id = row_key)
    WHEN row_key LIKE 'tc:%' THEN (SELECT c.ts FROM tool_calls c WHERE c.id = substr(row_key, 4))
    WHEN row_key LIKE 'tr:%' THEN (SELECT coalesce(c.result_ts, c.ts) FROM tool_calls c WHERE c.id = substr(row_key, 4))
    WHEN row_key LIKE 'title:%' THEN NULL
    ELSE (SELECT i.ts FROM texts x JOIN interactions i ON i.id = x.interaction_id WHERE x.key = row_key)
  END, (SELECT s.last_ts FROM sessions s WHERE s.session_id = f.session_id))`;

/**
 * The privacy report's aggregates (issue 12; the dashboard's Privacy view and `cct privacy-report`): findings per
 * category and time slot, per rule, and the sessions with most findings, in [sinceMs, now) or all time. Counts
 * only: the store never keeps the values that were masked.
 */
export function privacyReportRows(db: SqlDriver, opts: { sinceMs?: number; topSessions?: number }): PrivacyReportRows {
  const inRange = opts.sinceMs === undefined ? '' : 'WHERE ts >= ?';
  const params: SqlValue[] = opts.sinceMs === undefined ? [] : [opts.sinceMs];
  const dated = (table: string, cols: string) =>
    `WITH d AS (SELECT ${cols}, count, ${FINDING_TS} AS ts FROM ${table} f) SELECT * FROM d ${inRange}`;

  const slots = db
    .prepare(
      `SELECT category, (ts / 900000) * 900000 AS slot, sum(count) AS n
       FROM (${dated('privacy_findings', 'category')}) GROUP BY category, slot`,
    )
    .values(params)
    .map((r) => ({ category: String(r[0]), slotMs: r[1] === null ? null : Number(r[1]), findings: Number(r[2]) }));

  const rules = db
    .prepare(
      `SELECT category, rule_id, sum(count) AS n
       FROM (${dated('privacy_rule_findings', 'category, rule_id')}) GROUP BY category, rule_id`,
    )
    .values(params)
    .map((r) => ({ category: String(r[0]), ruleId: String(r[1]), findings: Number(r[2]) }));

  const limit = opts.topSessions ?? 10;
  const perSession = db
    .prepare(
      `SELECT session_id, category, sum(count) AS n FROM (${dated('privacy_findings', 'session_id, category')})
       WHERE session_id IS NOT NULL GROUP BY session_id, category`,
    )
    .values(params);
  const bySession = new Map<string, { findings: number; categories: Record<string, number> }>();
  for (const [sid, cat, n] of perSession) {
    const s = bySession.get(String(sid)) ?? { findings: 0, categories: {} };
    s.findings += Number(n);
    s.categories[String(cat)] = Number(n);
    bySession.set(String(sid), s);
  }
  const top = [...bySession.entries()]
    .sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]))
    .slice(0, limit);
  const meta = db.prepare('SELECT project_path, title, last_ts FROM sessions WHERE session_id = ?');
  const topSessions = top.map(([sessionId, s]) => {
    const m = meta.get([sessionId]);
    const str = (v: SqlValue | undefined) => (v === null || v === undefined ? null : String(v));
    return {
      sessionId,
      projectPath: str(m?.project_path),
      title: str(m?.title),
      lastTs: m?.last_ts === null || m?.last_ts === undefined ? null : Number(m.last_ts),
      findings: s.findings,
      categories: s.categories,
    };
  });

  const remask = db.prepare("SELECT value FROM meta WHERE key = 'remask_last'").get()?.value;
  return {
    slots,
    rules,
    topSessions,
    topSessionsTotal: bySession.size,
    remaskLast: remask === null || remask === undefined ? null : String(remask),
  };
}
