import type { FileCursor } from '../../core/collector/ports';
import type { SqlDriver, SqlValue } from './driver';

// Where each transcript file was read up to (`file_cursors`; written with the rows, see ingestWriter).

const CURSOR_COLS = 'path, dev, ino, offset, size, mtime_ms';

export function getCursor(db: SqlDriver, path: string): FileCursor | undefined {
  const r = db.prepare(`SELECT ${CURSOR_COLS} FROM file_cursors WHERE path = ?`).values([path])[0];
  return r ? cursorOf(r) : undefined;
}

export function allCursors(db: SqlDriver): Map<string, FileCursor> {
  const m = new Map<string, FileCursor>();
  for (const r of db.prepare(`SELECT ${CURSOR_COLS} FROM file_cursors`).values()) {
    const c = cursorOf(r);
    m.set(c.path, c);
  }
  return m;
}

/** Marks which files discovery found; only the differences are written (a warm rescan of thousands writes nothing). */
export function markPresent(db: SqlDriver, paths: readonly string[]): void {
  const now = new Set(paths);
  const was = new Set(
    db
      .prepare('SELECT path FROM file_cursors WHERE present = 1')
      .values()
      .map((r) => String(r[0])),
  );
  db.transaction(() => {
    const set = db.prepare('UPDATE file_cursors SET present = ? WHERE path = ?');
    for (const p of was) if (!now.has(p)) set.run([0, p]);
    for (const p of now) if (!was.has(p)) set.run([1, p]);
  });
}

/**
 * "Rebuild index": forgets where every file was read up to, so the next scan re-reads whatever still exists.
 * Rows are upserted on their natural keys, so nothing is duplicated, and sessions whose source files are gone
 * stay archived. Returns how many cursors went.
 */
export function forgetCursors(db: SqlDriver): number {
  return db.prepare('DELETE FROM file_cursors').run().changes;
}

/** A row of `SELECT ${CURSOR_COLS}` as values. */
function cursorOf([path, dev, ino, offset, size, mtime]: SqlValue[]): FileCursor {
  return {
    path: String(path),
    dev: String(dev),
    ino: String(ino),
    offset: Number(offset),
    size: Number(size),
    mtimeMs: Number(mtime),
  };
}
