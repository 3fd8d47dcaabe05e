import type { Store } from '../../infra/sqlite/store';
import type { MetricsReport } from '../../shared/protocol';

/**
 * The last Metrics report per range, reused while nothing it depends on changed: the same zone, week start and
 * minute, the same store connection, and no commit since (SQLite's data_version moves when another connection — a
 * scan — commits). Showing the view again or switching back to a range then costs no analytics run.
 */
export class MetricsReportCache {
  private readonly entries = new Map<string, { key: string; report: MetricsReport }>();
  private readonly storeIds = new WeakMap<Store, number>();
  private nextStoreId = 1;

  /** What a report of `range` depends on, read from the open store. */
  key(store: Store, parts: { timeZone: string; weekStartsOn: number; nowMs: number }): string {
    let id = this.storeIds.get(store);
    if (id === undefined) {
      id = this.nextStoreId++;
      this.storeIds.set(store, id);
    }
    const version = store.db.prepare('PRAGMA data_version').get()?.data_version ?? null;
    return JSON.stringify([id, version, parts.timeZone, parts.weekStartsOn, Math.floor(parts.nowMs / 60_000)]);
  }

  get(range: string, key: string): MetricsReport | undefined {
    const e = this.entries.get(range);
    return e && e.key === key ? e.report : undefined;
  }

  set(range: string, key: string, report: MetricsReport): void {
    this.entries.set(range, { key, report });
  }

  clear(): void {
    this.entries.clear();
  }
}
