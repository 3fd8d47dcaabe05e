/**
 * Tells whoever listens (the CLI prints one stderr line) that a store was opened on sql.js because this runtime
 * has no node:sqlite. No imports: `cct` subscribes at start without evaluating the SQLite modules.
 */
type Listener = (reason: string) => void;
const listeners = new Set<Listener>();

export function onSqlJsFallback(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitSqlJsFallback(reason: string): void {
  for (const l of listeners) l(reason);
}

/** The first Node releases with node:sqlite unflagged (22.13.0, 23.4.0); engines.node in package.json says so too. */
export const NODE_SQLITE_SINCE = '22.13.0';

export function noNodeSqliteReason(nodeVersion: string = process.versions.node): string {
  return `node:sqlite is not available in Node ${nodeVersion} (it is from Node ${NODE_SQLITE_SINCE}); using sql.js (WebAssembly): the whole store is held in memory and rewritten on each save`;
}
