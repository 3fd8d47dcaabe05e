import type { Store } from './store';

export interface Retention {
  /** 0 or absent: keep forever. */
  maxAgeDays?: number;
  /** 0 or absent: no size cap. */
  maxSizeMb?: number;
}

/** The user's retention cap, applied after a scan; returns how many sessions were deleted. Without a cap nothing goes. */
export function applyRetention(store: Store, r: Retention | undefined, now = Date.now()): number {
  let pruned = 0;
  if (r?.maxAgeDays && r.maxAgeDays > 0) pruned += store.pruneOlderThan(now - r.maxAgeDays * 86_400_000);
  if (r?.maxSizeMb && r.maxSizeMb > 0) pruned += store.pruneToSize(r.maxSizeMb * 1024 * 1024);
  return pruned;
}
