import type { SqlDriver } from './driver';

/** What the Metrics view shows for a session it names: its masked first prompt (or title), project and start. */
export interface SessionLabelRow {
  firstPrompt: string | null;
  projectPath: string | null;
  startMs: number | null;
}

const str = (v: unknown) => (v == null ? null : String(v));

/**
 * Labels of the given sessions in one query per 500 ids (the Sessions list's preview: session_stats.first_prompt,
 * else the title). Unknown ids are absent from the map.
 */
export function sessionLabels(db: SqlDriver, ids: readonly string[]): Map<string, SessionLabelRow> {
  const out = new Map<string, SessionLabelRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = db
      .prepare(
        `SELECT s.session_id, coalesce(st.first_prompt, s.title), s.project_path, s.first_ts FROM sessions s
         LEFT JOIN session_stats st ON st.session_id = s.session_id
         WHERE s.session_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .values([...chunk]);
    for (const r of rows)
      out.set(String(r[0]), {
        firstPrompt: str(r[1]),
        projectPath: str(r[2]),
        startMs: r[3] == null ? null : Number(r[3]),
      });
  }
  return out;
}
