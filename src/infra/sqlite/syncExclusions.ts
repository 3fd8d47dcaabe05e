import {
  decodeExclusions,
  EXCLUDED_PROJECTS_META_KEY,
  encodeExclusions,
  type StoredExclusions,
} from '../../core/sync/exclusions';
import type { Store } from './store';

/**
 * The extension's `claudeTracer.sync.excludeProjects` as recorded in the store's `meta` table (key/value, no
 * migration), read by `cct sync push`. See core/sync/exclusions.ts for the format and the fail-closed reading.
 */
export function writeStoredExclusions(store: Store, globs: readonly string[]): void {
  store.db
    .prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)')
    .run([EXCLUDED_PROJECTS_META_KEY, encodeExclusions(globs)]);
  store.flush();
}

export function readStoredExclusions(store: Store): StoredExclusions {
  const row = store.db.prepare('SELECT value FROM meta WHERE key = ?').get([EXCLUDED_PROJECTS_META_KEY]);
  if (!row) return { state: 'none' };
  const v = row.value;
  if (typeof v !== 'string')
    return { state: 'unreadable', error: `stored as ${v === null ? 'NULL' : typeof v}, not text` };
  return decodeExclusions(v);
}
