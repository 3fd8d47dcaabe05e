import type { TextMatchLike } from '../../core/search/groupHits';
import { ftsMatch, needsSubstringScan, queryTerms } from '../../core/search/snippet';
import type { FtsEngine, SqlDriver, SqlValue } from './driver';
import { type SessionsQueryFilter, sessionFilterSql } from './sessionsQuery';
import { num, str } from './sqlValues';

// Full-text search for the dashboard's Search view and `cct search`: masked prompt and response texts matched through
// the file's FTS index (FTS5 ranked by bm25; FTS4, which has no ranking function, newest first), filtered with the
// Sessions filters. Where this backend cannot read the index (an FTS5 file opened by sql.js), or the query is in a
// script the tokenizer does not split into words (Japanese, Chinese…), a substring scan answers instead.

/** core's TextMatchLike (what grouping and snippets read) plus the text row's id. */
export type TextMatch = TextMatchLike & { textId: number };

export interface TextSearch {
  query: string;
  filters: SessionsQueryFilter;
  limit: number;
  now: number;
  liveWindowMs: number;
  liveIds?: readonly string[];
}

const COLS = `t.id, t.interaction_id, i.session_id, s.project_path, coalesce(st.first_prompt, s.title), s.first_ts,
  i.kind, i.ts, t.text`;
const JOINS = `JOIN interactions i ON i.id = t.interaction_id JOIN sessions s ON s.session_id = i.session_id
  LEFT JOIN session_stats st ON st.session_id = s.session_id`;

/**
 * FTS5 without filters: rank inside the index first (bm25 over its own doclists, only rowids in the sorter), then
 * read the few winning rows. Carrying every match's text and joins through the sort cost ~12 µs per match: a
 * one-letter prefix matches most texts of a large store, and that is the first keystroke of every search.
 */
function rankedFirst(db: SqlDriver, match: string, limit: number): SqlValue[][] {
  const ranked = db
    .prepare('SELECT rowid, bm25(texts_fts) FROM texts_fts WHERE texts_fts MATCH ? ORDER BY bm25(texts_fts) LIMIT ?')
    .values([match, limit]);
  if (ranked.length === 0) return [];
  const rank = new Map(ranked.map((r) => [Number(r[0]), Number(r[1])]));
  const rows = db
    .prepare(`SELECT ${COLS} FROM texts t ${JOINS} WHERE t.id IN (${ranked.map(() => '?').join(',')})`)
    .values(ranked.map((r) => r[0]!));
  // The same order as the joined query: best bm25 first, newest first among equals.
  return rows.sort((a, b) => rank.get(Number(a[0]))! - rank.get(Number(b[0]))! || (num(b[7]) ?? 0) - (num(a[7]) ?? 0));
}

export function searchTexts(
  db: SqlDriver,
  fts: { engine: FtsEngine; writable: boolean },
  q: TextSearch,
): { engine: FtsEngine | 'scan'; matches: TextMatch[] } {
  const terms = queryTerms(q.query);
  if (terms.length === 0) return { engine: fts.writable ? fts.engine : 'scan', matches: [] };
  const f = sessionFilterSql(q.filters, q);
  const and = f.where ? `AND ${f.where.slice('WHERE '.length)}` : '';
  let rows: SqlValue[][];
  let engine: FtsEngine | 'scan';
  if (fts.writable && !needsSubstringScan(terms) && fts.engine === 'fts5' && !f.where) {
    engine = fts.engine;
    rows = rankedFirst(db, ftsMatch(terms, fts.engine), q.limit);
  } else if (fts.writable && !needsSubstringScan(terms)) {
    engine = fts.engine;
    const rank = fts.engine === 'fts5' ? 'bm25(texts_fts), i.ts DESC' : 'i.ts DESC';
    rows = db
      .prepare(
        `SELECT ${COLS} FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid ${JOINS}
         WHERE texts_fts MATCH ? ${and} ORDER BY ${rank} LIMIT ?`,
      )
      .values([ftsMatch(terms, fts.engine), ...f.params, q.limit]);
  } else {
    engine = 'scan';
    // instr over lower(): LIKE would treat % and _ in a term as wildcards, and is ASCII-only case-folding anyway.
    const likes = terms.map(() => 'instr(lower(t.text), ?) > 0').join(' AND ');
    rows = db
      .prepare(`SELECT ${COLS} FROM texts t ${JOINS} WHERE ${likes} ${and} ORDER BY i.ts DESC LIMIT ?`)
      .values([...terms, ...f.params, q.limit]);
  }
  return {
    engine,
    matches: rows.map((r) => ({
      textId: Number(r[0]),
      interactionId: String(r[1]),
      sessionId: String(r[2]),
      projectPath: str(r[3]),
      firstPrompt: str(r[4]),
      sessionStartMs: num(r[5]),
      role: r[6] === 'prompt' ? 'prompt' : 'response',
      at: num(r[7]),
      text: String(r[8]),
    })),
  };
}
