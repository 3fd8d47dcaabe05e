import { existsSync } from 'node:fs';
import type { SessionStateChange } from '../../core/live/sessionLifecycle';
import type { SqlDriver } from './driver';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqliteDriver';
import { recordSessionState } from './sessionStates';

/**
 * Writes live-session state changes into the store from the extension host. Opens its own node:sqlite connection
 * on the first change once the store has the session_states table (schema v12) (the ingest worker creates and migrates it; this
 * never migrates). Where node:sqlite is missing (the sql.js fallback keeps the file in one process's memory) or the
 * store is older, changes are not recorded and `unavailable` says why.
 */
export class SessionStateRecorder {
  private db: SqlDriver | undefined;
  private reason: string | undefined;

  constructor(private readonly file: string) {}

  get unavailable(): string | undefined {
    return this.reason;
  }

  private readonly pending: SessionStateChange[] = [];

  /**
   * Records `c` and any change that waited; false when the store cannot take them now (they wait, up to 1000).
   * Never waits for a lock: a scan's long write transaction must not freeze the extension host.
   */
  record(c?: SessionStateChange): boolean {
    if (c) this.pending.push(c);
    if (this.pending.length > 1000) this.pending.splice(0, this.pending.length - 1000);
    const db = this.open();
    if (!db) return false;
    try {
      db.transaction(() => {
        for (const p of this.pending) recordSessionState(db, p);
      });
      this.pending.length = 0;
      return true;
    } catch (e) {
      if (/SQLITE_BUSY|database is locked/i.test(String((e as Error)?.message))) {
        this.reason = 'the store is busy (a scan is writing)';
        return false;
      }
      throw e;
    }
  }

  get waiting(): number {
    return this.pending.length;
  }

  private open(): SqlDriver | undefined {
    if (this.db) return this.db;
    if (!existsSync(this.file)) {
      this.reason = 'the store does not exist yet';
      return undefined;
    }
    const mod = loadNodeSqlite();
    if (!mod) {
      this.reason = 'node:sqlite is not available in this runtime';
      return undefined;
    }
    const db = openNodeSqlite(mod, this.file);
    // The table comes with a migration the ingest worker applies; its presence is what matters, not a version number.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_states'").get()) {
      const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
      db.close();
      this.reason = `the store (schema v${version}) has no session_states table yet`;
      return undefined;
    }
    db.exec('PRAGMA busy_timeout = 0');
    this.reason = undefined;
    this.db = db;
    return db;
  }

  dispose(): void {
    this.db?.close();
    this.db = undefined;
  }
}
