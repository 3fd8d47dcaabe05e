import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { nodeWriteFs, replaceFileSync, type WriteFs } from '../fs/durableWrite';
import type { FtsEngine, SqlDriver, SqlRow, SqlStatement, SqlValue } from './driver';
import { refuseNewerSchema } from './migrations';
import { tightenStoreFiles } from './storeFiles';
import { transactionControl } from './transactionControl';

let sqlJsPromise: Promise<SqlJsStatic> | undefined;

/** Where sql-wasm.wasm is: next to the bundle (esbuild copies it into dist/) or in node_modules (dev/tests). */
function wasmPath(): string {
  const candidates = [path.join(__dirname, 'sql-wasm.wasm'), path.join(__dirname, '..', 'sql-wasm.wasm')];
  try {
    candidates.push(require.resolve('sql.js/dist/sql-wasm.wasm'));
  } catch {
    /* not resolvable from a bundle */
  }
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`sql-wasm.wasm not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJsPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const init = require('sql.js') as (cfg: { wasmBinary?: ArrayBufferLike }) => Promise<SqlJsStatic>;
    const bin = fs.readFileSync(wasmPath());
    return init({ wasmBinary: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) });
  })();
  return sqlJsPromise;
}

/**
 * sql.js keeps the whole database in memory; durability is ours: flush() exports it and replaces the file
 * atomically (write every byte to a temp file, fsync, check its size, rename), so a crash or a full disk leaves
 * either the old or the new file, never half of one, and no temp file. A failed flush throws (DiskFullError when
 * the disk is full) and leaves the data in memory dirty, so a later flush can still save it.
 * export() frees every prepared statement, so statements here re-prepare lazily after a flush.
 * `fs`: the file writes, a port so tests can inject a full disk.
 */
export async function openSqlJs(file: string, opts: { fs?: WriteFs } = {}): Promise<SqlDriver> {
  const wfs = opts.fs ?? nodeWriteFs;
  const SQL = await loadSqlJs();
  let bytes: Buffer | undefined = file !== ':memory:' && fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  // A file last written by node:sqlite is in WAL mode (header bytes 18/19 = 2); sql.js has no WAL, so read it
  // as a rollback-journal database (node:sqlite checkpoints on close, so nothing is lost).
  if (bytes && bytes.length > 19 && bytes[18] === 2 && bytes[19] === 2) {
    bytes = Buffer.from(bytes);
    bytes[18] = 1;
    bytes[19] = 1;
  }
  const db: Database = bytes ? new SQL.Database(bytes) : new SQL.Database();
  try {
    refuseNewerSchema(Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0), file);
  } catch (e) {
    db.close();
    throw e;
  }
  if (bytes) tightenStoreFiles(file);
  let generation = 0;
  let dirty = false;
  const tx = transactionControl((sql) => db.exec(sql), 'BEGIN');
  const cache = new Map<string, SqlStatement>();
  const fts = detectFts(db);

  const wrap = (sql: string): SqlStatement => {
    let st: Statement | undefined;
    let gen = -1;
    const get = () => {
      if (!st || gen !== generation) {
        st = db.prepare(sql);
        gen = generation;
      }
      return st;
    };
    const rows = (p: readonly SqlValue[], limit: number): SqlRow[] => {
      const s = get();
      s.bind(p as SqlValue[]);
      const out: SqlRow[] = [];
      try {
        while (out.length < limit && s.step()) out.push(s.getAsObject() as SqlRow);
      } finally {
        s.reset();
      }
      return out;
    };
    return {
      run(p = []) {
        const s = get();
        s.run(p as SqlValue[]);
        dirty = true;
        const changes = db.getRowsModified();
        // sql.js has no lastInsertRowid on run(); ask only when a row was written.
        const rowid = changes > 0 ? Number(db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0] ?? 0) : 0;
        return { changes, lastInsertRowid: rowid };
      },
      all: (p = []) => rows(p, Infinity),
      get: (p = []) => rows(p, 1)[0],
      values: (p = []) => {
        const s = get();
        s.bind(p as SqlValue[]);
        const out: SqlValue[][] = [];
        try {
          while (s.step()) out.push(s.get() as SqlValue[]);
        } finally {
          s.reset();
        }
        return out;
      },
    };
  };

  const driver: SqlDriver = {
    backend: 'sql.js',
    fts,
    path: file,
    exec(sql) {
      db.exec(sql);
      dirty = true;
    },
    prepare(sql) {
      let s = cache.get(sql);
      if (!s) {
        s = wrap(sql);
        cache.set(sql, s);
      }
      return s;
    },
    // Statements inside mark the db dirty themselves: an empty transaction does not force a flush.
    transaction: (fn) => tx.transaction(fn),
    begin: () => tx.begin(),
    commit: () => tx.commit(),
    rollback: () => tx.rollback(),
    get inTransaction() {
      return tx.inTransaction;
    },
    flush() {
      if (file === ':memory:' || !dirty) return;
      const data = db.export();
      generation++;
      replaceFileSync(file, data, {
        mode: 0o600,
        fs: wfs,
        onFailure: 'the store on disk is its last saved copy, unchanged; free some space and try again',
      });
      dirty = false;
    },
    close() {
      try {
        driver.flush();
      } finally {
        cache.clear();
        db.close();
      }
    },
  };
  return driver;
}

function detectFts(db: Database): FtsEngine {
  try {
    db.exec('CREATE VIRTUAL TABLE temp.__fts5_probe USING fts5(x); DROP TABLE temp.__fts5_probe;');
    return 'fts5';
  } catch {
    return 'fts4';
  }
}
