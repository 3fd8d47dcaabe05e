import type { SqlDriver } from './driver';
import { FileLease } from './fileLease';

/** One ingester per store: whoever holds the lease scans; it expires unless renewed (heartbeat). */
export interface IngestLease {
  /** Takes (or renews) the lease if it is free, expired or already ours. */
  acquire(owner: string, ttlMs: number, now: number): boolean;
  heartbeat(owner: string, ttlMs: number, now: number): boolean;
  release(owner: string): void;
  holder(now: number): string | undefined;
}

/** sql.js: the lease is a lock file (see FileLease); node:sqlite: a row, visible to every connection. */
export function ingestLease(db: SqlDriver): IngestLease {
  return db.backend === 'sql.js' && db.path !== ':memory:' ? new FileLease(`${db.path}.lease`) : new RowLease(db);
}

/** The lease as the `lease` row named 'ingest'. */
class RowLease implements IngestLease {
  constructor(private readonly db: SqlDriver) {}

  acquire(owner: string, ttlMs: number, now: number): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT owner, expires_at FROM lease WHERE name = 'ingest'").get();
      if (row && row.owner !== owner && Number(row.expires_at) > now) return false;
      this.db
        .prepare("INSERT OR REPLACE INTO lease(name, owner, heartbeat_at, expires_at) VALUES ('ingest', ?, ?, ?)")
        .run([owner, now, now + ttlMs]);
      return true;
    });
  }

  heartbeat(owner: string, ttlMs: number, now: number): boolean {
    const r = this.db
      .prepare("UPDATE lease SET heartbeat_at = ?, expires_at = ? WHERE name = 'ingest' AND owner = ?")
      .run([now, now + ttlMs, owner]);
    return r.changes === 1;
  }

  release(owner: string): void {
    this.db.prepare("DELETE FROM lease WHERE name = 'ingest' AND owner = ?").run([owner]);
  }

  holder(now: number): string | undefined {
    const row = this.db.prepare("SELECT owner, expires_at FROM lease WHERE name = 'ingest'").get();
    return row && Number(row.expires_at) > now ? String(row.owner) : undefined;
  }
}
