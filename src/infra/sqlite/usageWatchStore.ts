import type { UsageRow } from '../../core/analytics/rows';
import { claimBudgetKeys, pruneBudgetKeys } from './budgetLedger';
import { periodUsageGroups, recentUsageRows } from './budgetReads';
import { HostConnection, isBusy } from './hostConnection';
import type { UsageGroup } from './usageReads';

/**
 * The extension host's small connection for budgets and the limits estimate: a few indexed range reads of the usage
 * ledger and the notification ledger's claims. Opened on first use once the store exists (the ingest worker creates
 * and migrates it; this never migrates). Never waits for a lock: while a scan writes, a claim answers undefined
 * and the caller tries again later. Where node:sqlite is missing, every method answers undefined and
 * `unavailable` says why.
 */
export class UsageWatchStore {
  private readonly conn: HostConnection;

  constructor(file: string) {
    this.conn = new HostConnection(file, 'api_messages');
  }

  get unavailable(): string | undefined {
    return this.conn.reason;
  }

  periodGroups(sinceMs: number, untilMs: number, thresholds: readonly number[]): UsageGroup[] | undefined {
    const db = this.conn.get();
    return db && periodUsageGroups(db, sinceMs, untilMs, thresholds);
  }

  recentUsage(now: number): UsageRow[] | undefined {
    const db = this.conn.get();
    return db && recentUsageRows(db, now);
  }

  /** The keys this call claimed; undefined when the store cannot take a write now (busy, missing). */
  claim(keys: readonly string[], now: number): string[] | undefined {
    const db = this.conn.get();
    if (!db) return undefined;
    try {
      return claimBudgetKeys(db, keys, now);
    } catch (e) {
      if (isBusy(e)) {
        this.conn.reason = 'the store is busy (a scan is writing)';
        return undefined;
      }
      throw e;
    }
  }

  /** Forgets claims of periods other than `keep` (`kind:period`); best effort. */
  prune(keep: readonly string[]): void {
    const db = this.conn.get();
    if (!db) return;
    try {
      pruneBudgetKeys(db, keep);
    } catch (e) {
      if (!isBusy(e)) throw e;
    }
  }

  dispose(): void {
    this.conn.dispose();
  }
}
