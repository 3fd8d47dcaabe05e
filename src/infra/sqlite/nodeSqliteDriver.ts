import { DiskFullError } from '../fs/durableWrite';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './driver';
import { refuseNewerSchema } from './migrations';
import { createPrivateFile, tightenStoreFiles } from './storeFiles';
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
  /** Node 22.16+ / 24: false once SQLite rolled a transaction back by itself (SQLITE_FULL, IOERR, NOMEM). */
  readonly isTransaction?: boolean;
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

/** SQLITE_FULL: the disk (or the WAL's room on it) is full. */
const SQLITE_FULL = 13;

/** A full disk, said as such: node:sqlite's own text ("database or disk is full") does not name the file. */
function translated(e: unknown, path: string): unknown {
  if (((e as { errcode?: number })?.errcode ?? 0) % 256 !== SQLITE_FULL) return e;
  return new DiskFullError(
    `disk full (ENOSPC): could not write the store ${path}: ${(e as Error).message}; what was committed before is kept; free some space and try again`,
    { cause: e },
  );
}

export function openNodeSqlite(mod: NodeSqliteModule, path: string): SqlDriver {
  // Ours from the start: SQLite would create the file 0644, and its -wal/-shm copy the file's mode.
  if (path !== ':memory:') createPrivateFile(path);
  const db = new mod.DatabaseSync(path, { timeout: 5000 });
  if (path !== ':memory:') {
    // Refuse a newer store before anything below changes it (WAL mode is written into the file).
    try {
      refuseNewerSchema(Number((db.prepare('PRAGMA user_version').get() as SqlRow).user_version ?? 0), path);
    } catch (e) {
      db.close();
      throw e;
    }
    tightenStoreFiles(path);
    db.exec('PRAGMA journal_mode = WAL');
  }
  db.exec('PRAGMA synchronous = NORMAL');
  // A bigger page cache keeps index pages of a cold scan in memory (32 MiB; bounded, not the whole db).
  db.exec('PRAGMA cache_size = -32768');
  db.exec('PRAGMA temp_store = MEMORY');
  // Checkpoint every ~64 MiB of WAL instead of 4 MiB: a page rewritten by several bulk commits is copied once.
  db.exec('PRAGMA wal_autocheckpoint = 16384');
  db.exec('PRAGMA foreign_keys = ON');
  const cache = new Map<string, SqlStatement>();
  const exec = (sql: string) => {
    try {
      db.exec(sql);
    } catch (e) {
      throw translated(e, path);
    }
  };
  const tx = transactionControl(
    exec,
    'BEGIN IMMEDIATE',
    typeof db.isTransaction === 'boolean' ? () => db.isTransaction === true : undefined,
  );
  const driver: SqlDriver = {
    backend: 'node:sqlite',
    fts: 'fts5',
    path,
    exec,
    prepare(sql) {
      let s = cache.get(sql);
      if (!s) {
        const st = db.prepare(sql);
        // A second statement in array mode (the mode sticks to a statement), made on first values() call.
        let arrays: ((p: readonly SqlValue[]) => SqlValue[][]) | undefined;
        s = {
          run: (p = []) => {
            try {
              const r = st.run(...p);
              return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
            } catch (e) {
              throw translated(e, path);
            }
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
