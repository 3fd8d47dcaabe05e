import type { FtsEngine, SqlDriver } from './driver';

/**
 * "Old bytes really gone": SQLite keeps deleted and overwritten content in free pages, in the free space inside
 * pages and in the WAL. `PRAGMA secure_delete` zeroes what a statement frees from then on (both backends: sql.js is
 * the same SQLite compiled to WASM; the tests check the bytes on each), but content freed before it was on (every
 * ingest upsert that rewrote a row) is still in the file.
 */

/** Turns secure_delete on for this connection; returns a function that restores the previous setting. */
export function secureDeleteOn(db: SqlDriver): () => void {
  const was = Number(Object.values(db.prepare('PRAGMA secure_delete').get() ?? {})[0] ?? 0);
  db.exec('PRAGMA secure_delete = ON');
  return () => {
    if (!was) db.exec('PRAGMA secure_delete = OFF');
  };
}

/** Runs `fn` with secure_delete on (the pages a delete frees are zeroed), restoring the setting after. */
export function withSecureDelete<T>(db: SqlDriver, fn: () => T): T {
  const restore = secureDeleteOn(db);
  try {
    return fn();
  } finally {
    restore();
  }
}

export interface ScrubReport {
  ms: number;
  /** The WAL was checkpointed and truncated to zero bytes (false: another connection kept a read open). */
  walTruncated: boolean;
  /**
   * The full-text index was merged. False when this backend cannot maintain the file's index (an FTS5 file on
   * sql.js): removed terms stay in it until node:sqlite rebuilds it (meta fts_stale), so the old text is not gone yet.
   */
  ftsMerged: boolean;
  /** File bytes before and after (main file; the WAL is empty after a truncating checkpoint). */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Leaves no byte of deleted or replaced text in the store: merges the FTS index into one segment (FTS keeps a
 * deleted document's terms in older segments until a merge), rewrites the whole file (VACUUM: no free page and no
 * stale free space inside a page survives, whatever the secure_delete setting was when it was freed), then
 * checkpoints the WAL and truncates it (node:sqlite) or saves the image (sql.js). Call outside a transaction,
 * holding the ingest lease. Used after a re-mask, a forget and retention deletes.
 */
export function scrubFreedPages(db: SqlDriver, fts: { engine: FtsEngine; writable: boolean }): ScrubReport {
  if (db.inTransaction) throw new Error('scrubFreedPages: a transaction is open');
  const t0 = performance.now();
  const pages = (p: string) => Number(Object.values(db.prepare(`PRAGMA ${p}`).get() ?? {})[0] ?? 0);
  const bytesBefore = pages('page_count') * pages('page_size');
  const restore = secureDeleteOn(db);
  try {
    if (fts.writable) db.exec("INSERT INTO texts_fts(texts_fts) VALUES ('optimize')");
    db.exec('VACUUM');
  } finally {
    restore();
  }
  let walTruncated = true;
  if (db.backend === 'node:sqlite' && db.path !== ':memory:') {
    const r = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    walTruncated = Number(r?.busy ?? 1) === 0;
  }
  db.flush();
  return {
    ms: Math.round(performance.now() - t0),
    walTruncated,
    ftsMerged: fts.writable,
    bytesBefore,
    bytesAfter: pages('page_count') * pages('page_size'),
  };
}
