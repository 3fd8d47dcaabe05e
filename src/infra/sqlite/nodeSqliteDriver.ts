import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './driver';
import { transactionControl } from './transactionControl';

// Typed locally so we never import node:sqlite statically: it must be feature-detected (electron/electron#47706).
interface NodeStatement {
  run(...p: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  all(...p: SqlValue[]): unknown[];
  get(...p: SqlValue[]): unknown;
  /** Node 22.16+ / 23.11+. */
  setReturnArrays?(on: boolean): void;
}
interface NodeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, opts?: { timeout?: number; readOnly?: boolean }) => NodeDatabase;
}

/** Returns node:sqlite if this runtime has it, else undefined. Silences its one ExperimentalWarning. */
export function loadNodeSqlite(): NodeSqliteModule | undefined {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const original = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    const msg = typeof w === 'string' ? w : w.message;
    if (/SQLite is an experimental feature/.test(msg)) return;
    return (original as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    const mod = getBuiltin ? getBuiltin('node:sqlite') : require('node:sqlite');
    return mod && typeof (mod as NodeSqliteModule).DatabaseSync === 'function' ? (mod as NodeSqliteModule) : undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = original;
  }
}

export function openNodeSqlite(mod: NodeSqliteModule, path: string): SqlDriver {
  const db = new mod.DatabaseSync(path, { timeout: 5000 });
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  // A bigger page cache keeps index pages of a cold scan in memory (32 MiB; bounded, not the whole db).
  db.exec('PRAGMA cache_size = -32768');
  db.exec('PRAGMA temp_store = MEMORY');
  // Checkpoint every ~64 MiB of WAL instead of 4 MiB: a page rewritten by several bulk commits is copied once.
  db.exec('PRAGMA wal_autocheckpoint = 16384');
  db.exec('PRAGMA foreign_keys = ON');
  const cache = new Map<string, SqlStatement>();
  const tx = transactionControl((sql) => db.exec(sql), 'BEGIN IMMEDIATE');
  const driver: SqlDriver = {
    backend: 'node:sqlite',
    fts: 'fts5',
    path,
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      let s = cache.get(sql);
      if (!s) {
        const st = db.prepare(sql);
        // A second statement in array mode (the mode sticks to a statement), made on first values() call.
        let arrays: ((p: readonly SqlValue[]) => SqlValue[][]) | undefined;
        s = {
          run: (p = []) => {
            const r = st.run(...p);
            return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
          },
          all: (p = []) => st.all(...p) as SqlRow[],
          get: (p = []) => st.get(...p) as SqlRow | undefined,
          values: (p = []) => {
            if (!arrays) {
              const a = db.prepare(sql);
              if (typeof a.setReturnArrays === 'function') {
                a.setReturnArrays(true);
                arrays = (q) => a.all(...q) as SqlValue[][];
              } else arrays = (q) => (a.all(...q) as SqlRow[]).map((r) => Object.values(r));
            }
            return arrays(p);
          },
        };
        cache.set(sql, s);
      }
      return s;
    },
    transaction: (fn) => tx.transaction(fn),
    begin: () => tx.begin(),
    commit: () => tx.commit(),
    rollback: () => tx.rollback(),
    get inTransaction() {
      return tx.inTransaction;
    },
    flush() {},
    close() {
      cache.clear();
      // Fold the WAL back so a sql.js reader (no WAL support) sees every committed row.
      if (path !== ':memory:') {
        try {
          db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        } catch {
          /* another connection holds it; its close will checkpoint */
        }
      }
      db.close();
    },
  };
  return driver;
}
