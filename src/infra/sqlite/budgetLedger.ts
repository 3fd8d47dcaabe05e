import type { SqlDriver } from './driver';

const PREFIX = 'budget_notified:';

/**
 * Claims budget notifications in the store's meta table: one row per key (core/analytics/budgets ledgerKey),
 * inserted only if absent, in one write transaction. Every window and reload shares the store, and SQLite lets one
 * writer in at a time, so exactly one claimant gets each key: that one notifies. Returns the keys this call won.
 */
export function claimBudgetKeys(db: SqlDriver, keys: readonly string[], now: number): string[] {
  if (!keys.length) return [];
  const insert = db.prepare('INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)');
  return db.transaction(() => keys.filter((k) => insert.run([k, String(now)]).changes === 1));
}

/** The keys already claimed (for tests and diagnostics). */
export function claimedBudgetKeys(db: SqlDriver): string[] {
  return db
    .prepare('SELECT key FROM meta WHERE key >= ? AND key < ? ORDER BY key')
    .values([PREFIX, `${PREFIX}\uffff`])
    .map((r) => String(r[0]));
}

/** Drops claims of periods that are over: every key not of one of these (kind, period) pairs (`kind:period`). */
export function pruneBudgetKeys(db: SqlDriver, keep: readonly string[]): number {
  const stale = claimedBudgetKeys(db).filter((k) => !keep.some((p) => k.startsWith(`${PREFIX}${p}:`)));
  if (!stale.length) return 0;
  const del = db.prepare('DELETE FROM meta WHERE key = ?');
  db.transaction(() => {
    for (const k of stale) del.run([k]);
  });
  return stale.length;
}
