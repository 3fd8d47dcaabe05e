import type { SessionStateChange } from '../../core/live/sessionLifecycle';
import { HostConnection, isBusy } from './hostConnection';
import { recordSessionState } from './sessionStates';

/**
 * Writes live-session state changes into the store from the extension host. Opens its own node:sqlite connection
 * on the first change once the store has the session_states table (schema v12) (the ingest worker creates and migrates it; this
 * never migrates). Where node:sqlite is missing (the sql.js fallback keeps the file in one process's memory) or the
 * store is older, changes are not recorded and `unavailable` says why.
 */
export class SessionStateRecorder {
  private readonly conn: HostConnection;

  constructor(file: string) {
    this.conn = new HostConnection(file, 'session_states');
  }

  get unavailable(): string | undefined {
    return this.conn.reason;
  }

  private readonly pending: SessionStateChange[] = [];

  /**
   * Records `c` and any change that waited; false when the store cannot take them now (they wait, up to 1000).
   * Never waits for a lock: a scan's long write transaction must not freeze the extension host.
   */
  record(c?: SessionStateChange): boolean {
    if (c) this.pending.push(c);
    if (this.pending.length > 1000) this.pending.splice(0, this.pending.length - 1000);
    const db = this.conn.get();
    if (!db) return false;
    try {
      db.transaction(() => {
        for (const p of this.pending) recordSessionState(db, p);
      });
      this.pending.length = 0;
      return true;
    } catch (e) {
      if (isBusy(e)) {
        this.conn.reason = 'the store is busy (a scan is writing)';
        return false;
      }
      throw e;
    }
  }

  get waiting(): number {
    return this.pending.length;
  }

  dispose(): void {
    this.conn.dispose();
  }
}
