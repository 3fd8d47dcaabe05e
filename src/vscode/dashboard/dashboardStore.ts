import { existsSync } from 'node:fs';
import { Store } from '../../infra/sqlite/store';
import type { Logger } from '../logger';

/**
 * The dashboard's read connection to the local store, opened on the first request and kept. The scans write through
 * their own connection (the scan worker); node:sqlite in WAL mode sees their commits, while sql.js holds a copy of
 * the file in memory, so after a scan that wrote (invalidate) a sql.js connection is reopened on the next request.
 */
export class DashboardStore {
  private store: Store | undefined;
  private opening: Promise<Store | undefined> | undefined;
  private stale = false;

  constructor(
    private readonly dbPath: string,
    private readonly log: Logger,
  ) {}

  /** Runs fn on the open store; resolves undefined while no store file exists (before the first scan). */
  async use<T>(fn: (store: Store) => T): Promise<T | undefined> {
    const store = await this.open();
    return store ? fn(store) : undefined;
  }

  /** New data was committed elsewhere: a snapshot connection (sql.js) must be reopened to see it. */
  invalidate(): void {
    if (this.store?.backend === 'sql.js') this.stale = true;
  }

  dispose(): void {
    this.close();
  }

  private close(): void {
    try {
      this.store?.close();
    } catch (e) {
      this.log.warn(`closing the dashboard's store connection failed: ${String(e)}`);
    }
    this.store = undefined;
  }

  private async open(): Promise<Store | undefined> {
    if (this.store && this.stale) {
      this.close();
      this.stale = false;
    }
    if (this.store) return this.store;
    if (!existsSync(this.dbPath)) return undefined;
    this.opening ??= Store.open(this.dbPath).then(
      (s) => {
        this.store = s;
        this.opening = undefined;
        this.log.debug(`dashboard store opened (${s.backend})`);
        return s;
      },
      (e: unknown) => {
        this.opening = undefined;
        throw e;
      },
    );
    return this.opening;
  }
}
