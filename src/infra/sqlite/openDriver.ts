import type { WriteFs } from '../fs/durableWrite';
import { emitSqlJsFallback, noNodeSqliteReason } from './backendNotice';
import type { BackendName, SqlDriver } from './driver';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqliteDriver';
import { openSqlJs } from './sqlJsDriver';
import { ensureStoreDir } from './storeFiles';

export type BackendChoice = BackendName | 'auto';

/** Which backend `openDriver(file, prefer)` uses here, and why (for `cct doctor`). */
export function chooseBackend(prefer: BackendChoice = 'auto'): { backend: BackendName; reason: string } {
  if (prefer === 'sql.js') return { backend: 'sql.js', reason: 'sql.js was asked for (--backend sql.js)' };
  if (loadNodeSqlite())
    return { backend: 'node:sqlite', reason: `node:sqlite is built into Node ${process.versions.node}` };
  if (prefer === 'node:sqlite') throw new Error('node:sqlite is not available in this runtime');
  return { backend: 'sql.js', reason: noNodeSqliteReason() };
}

/**
 * node:sqlite when this runtime has it, else sql.js (WASM), announced (backendNotice). `prefer` forces one (tests
 * run both). The store's folder is created 0700; `fs` replaces the sql.js backend's file writes (tests inject a full
 * disk with it).
 */
export async function openDriver(
  file: string,
  prefer: BackendChoice = 'auto',
  opts: { fs?: WriteFs } = {},
): Promise<SqlDriver> {
  if (file !== ':memory:') ensureStoreDir(file);
  if (prefer !== 'sql.js') {
    const mod = loadNodeSqlite();
    if (mod) return openNodeSqlite(mod, file);
    if (prefer === 'node:sqlite') throw new Error('node:sqlite is not available in this runtime');
    emitSqlJsFallback(noNodeSqliteReason());
  }
  return openSqlJs(file, opts);
}
