import type { Store } from '../../src/infra/sqlite/store';

/** Base of the generated sessions' times: 2026-10-01T00:00:00Z. */
export const GEN_BASE_MS = Date.UTC(2026, 9, 1);
export const GEN_MODELS = ['claude-opus-4-5', 'claude-sonnet-4-5', 'mystery-model-x'] as const;

/**
 * Fills a fresh store with `n` synthetic sessions written straight in SQL (a real scan of 20,000 transcripts would
 * take minutes): per session a prompt with text, two ledger rows (models rotate, one of them has no price), tool
 * calls of which some failed, and privacy findings; then the session stats are computed by the code under test.
 * Values come from small multiplicative hashes of the index, so sort orders are scrambled and include ties.
 */
export function fillGeneratedStore(store: Store, n: number): void {
  const db = store.db;
  db.transaction(() => {
    db.exec(`
CREATE TEMP TABLE gen(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ${n}) INSERT INTO gen SELECT i FROM c;
INSERT INTO sessions (session_id, project_path, git_branch, first_ts, last_ts, title, updated_at)
  SELECT printf('gen-%06d', i), printf('/home/u/work/proj-%02d', i % 37), 'main',
    CASE WHEN i % 997 = 5 THEN NULL ELSE ${GEN_BASE_MS} + i * 60000 + (i * 7919) % 50000 END,
    CASE WHEN i % 997 = 5 THEN NULL ELSE ${GEN_BASE_MS} + i * 60000 + (i * 7919) % 50000 + (i * 104729) % 3600000 END,
    NULL, 1
  FROM gen;
INSERT INTO interactions (id, session_id, origin_session, kind, ts, is_sidechain, byte_offset)
  SELECT printf('p:gen-%06d', i), printf('gen-%06d', i), printf('gen-%06d', i), 'prompt', ${GEN_BASE_MS} + i * 60000, 0, 0 FROM gen;
INSERT INTO texts (key, interaction_id, ord, kind, text)
  SELECT printf('t:gen-%06d', i), printf('p:gen-%06d', i), 0, 'prompt',
    printf('generated prompt %d about %s', i, CASE i % 3 WHEN 0 THEN 'pinecone indexes' WHEN 1 THEN 'kubernetes pods' ELSE 'sqlite paging' END)
  FROM gen;
INSERT INTO api_messages (key, message_id, session_id, origin_session, ts, model, speed, input, output, cache_creation, cache_5m, cache_read)
  SELECT printf('gen-%06d-%d', i, k), printf('m%d-%d', i, k), printf('gen-%06d', i), printf('gen-%06d', i),
    ${GEN_BASE_MS} + i * 60000 + k,
    CASE (i + k) % 3 WHEN 0 THEN '${GEN_MODELS[0]}' WHEN 1 THEN '${GEN_MODELS[1]}' ELSE '${GEN_MODELS[2]}' END, 'standard',
    (i * 2654435761 + k) % 50000, (i * 40503 + k) % 4000, (i * 31 + k) % 900, (i * 31 + k) % 900, (i * 17) % 20000
  FROM gen, (SELECT 0 AS k UNION ALL SELECT 1) WHERE i % 211 <> 7;
INSERT INTO tool_calls (id, session_id, origin_session, interaction_id, name, input_json, is_error)
  SELECT printf('tool-%06d-%d', i, k), printf('gen-%06d', i), printf('gen-%06d', i), printf('p:gen-%06d', i), 'Bash', '{}',
    CASE WHEN k = 0 AND i % 13 = 0 THEN 1 ELSE 0 END
  FROM gen, (SELECT 0 AS k UNION ALL SELECT 1);
INSERT INTO privacy_findings (row_key, session_id, category, count)
  SELECT printf('p:gen-%06d', i), printf('gen-%06d', i), 'email', i % 4 FROM gen WHERE i % 4 > 0;
DROP TABLE temp.gen;
`);
  });
  store.rebuildFts();
}
