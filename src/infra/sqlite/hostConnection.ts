import { existsSync } from 'node:fs';
import type { SqlDriver } from './driver';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqliteDriver';

/**
 * A small node:sqlite connection of the extension host's own (live session states, budgets and the limits estimate)
 * beside the ingest worker's: opened on first use once the store exists and has `table` (the worker creates and
 * migrates the file; this never migrates), and never waiting for a lock (`busy_timeout` 0), so a scan's long write
 * transaction cannot freeze the host. Without the file, node:sqlite or the table, `reason` says why.
 */
export function openHostConnection(file: string, table: string): { db: SqlDriver } | { reason: string } {
  if (!existsSync(file)) return { reason: 'the store does not exist yet' };
  const mod = loadNodeSqlite();
  if (!mod) return { reason: 'node:sqlite is not available in this runtime' };
  const db = openNodeSqlite(mod, file);
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get([table])) {
    const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
    db.close();
    return { reason: `the store (schema v${version}) has no ${table} table yet` };
  }
  db.exec('PRAGMA busy_timeout = 0');
  return { db };
}

/**
 * The connection opened on first use (openHostConnection) and kept: `get()` answers undefined while it cannot be
 * opened, and `reason` says why (or that the store was busy, as its owner last saw).
 */
export class HostConnection {
  private db: SqlDriver | undefined;
  reason: string | undefined;

  constructor(
    private readonly file: string,
    private readonly table: string,
  ) {}

  get(): SqlDriver | undefined {
    if (this.db) return this.db;
    const c = openHostConnection(this.file, this.table);
    this.reason = 'reason' in c ? c.reason : undefined;
    if ('db' in c) this.db = c.db;
    return this.db;
  }

  dispose(): void {
    this.db?.close();
    this.db = undefined;
  }
}

/** The error of a statement that met another connection's write lock (busy_timeout 0 answers at once). */
export const isBusy = (e: unknown): boolean => /SQLITE_BUSY|database is locked/i.test(String((e as Error)?.message));
