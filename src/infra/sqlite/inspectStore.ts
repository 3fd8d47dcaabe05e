import * as fs from 'node:fs';
import { SCHEMA_VERSION } from './migrations';
import { loadNodeSqlite } from './nodeSqliteDriver';

export interface StoreFileInfo {
  path: string;
  exists: boolean;
  sizeBytes: number | null;
  /** Permission bits in octal, e.g. "600". */
  mode: string | null;
  readable: boolean;
  writable: boolean;
  /** PRAGMA user_version of the file; null when it cannot be read. */
  schemaVersion: number | null;
  /** The version this build migrates to. */
  buildSchemaVersion: number;
  journalMode: string | null;
  error: string | null;
}

/**
 * Looks at a store without changing it (no migration, no WAL switch, no directory created), for `cct doctor`:
 * a read-only node:sqlite connection, or on runtimes without it the SQLite header (user_version at byte 60).
 */
export function inspectStoreFile(file: string): StoreFileInfo {
  const info: StoreFileInfo = {
    path: file,
    exists: false,
    sizeBytes: null,
    mode: null,
    readable: false,
    writable: false,
    schemaVersion: null,
    buildSchemaVersion: SCHEMA_VERSION,
    journalMode: null,
    error: null,
  };
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') info.error = (e as Error).message;
    return info;
  }
  info.exists = true;
  info.sizeBytes = st.size;
  info.mode = (st.mode & 0o777).toString(8);
  info.readable = canAccess(file, fs.constants.R_OK);
  info.writable = canAccess(file, fs.constants.W_OK);
  if (!info.readable) return info;
  try {
    const mod = loadNodeSqlite();
    if (mod) {
      const db = new mod.DatabaseSync(file, { readOnly: true, timeout: 2000 });
      try {
        info.schemaVersion = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
        info.journalMode = String((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode);
      } finally {
        db.close();
      }
    } else {
      const fd = fs.openSync(file, 'r');
      try {
        const head = Buffer.alloc(100);
        const n = fs.readSync(fd, head, 0, 100, 0);
        if (n < 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\0') throw new Error('not an SQLite file');
        info.schemaVersion = head.readUInt32BE(60);
        info.journalMode = head[18] === 2 ? 'wal' : 'delete';
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    info.error = (e as Error).message;
  }
  return info;
}

function canAccess(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
