import { PriceTable } from '../core/pricing/priceTable';
import type { Store } from '../infra/sqlite/store';

/**
 * The paged session list and search read session_stats, which scans refresh. A store last written by an older build
 * (or a scan that stopped early) has stale rows: recompute them here when the ingest lease is free; when a scan
 * holds it, that scan refreshes them itself, so read what is there and say so.
 */
export function freshSessionStats(store: Store, stderr: NodeJS.WritableStream): void {
  if (store.staleSessionStats() === 0) return;
  const owner = `cct-stats:${process.pid}:${Date.now()}`;
  if (!store.acquireLease(owner, 60_000)) {
    stderr.write('cct: a scan is running; session figures may lag until it finishes\n');
    return;
  }
  try {
    store.refreshSessionStats(PriceTable.builtin());
    store.flush();
  } finally {
    store.releaseLease(owner);
  }
}
