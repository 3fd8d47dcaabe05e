import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendName, SqlDriver } from './driver';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqliteDriver';
import { openSqlJs } from './sqlJsDriver';

export type BackendChoice = BackendName | 'auto';

/** node:sqlite when this runtime has it, else sql.js (WASM). `prefer` forces one (tests run both). */
export async function openDriver(file: string, prefer: BackendChoice = 'auto'): Promise<SqlDriver> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (prefer !== 'sql.js') {
    const mod = loadNodeSqlite();
    if (mod) return openNodeSqlite(mod, file);
    if (prefer === 'node:sqlite') throw new Error('node:sqlite is not available in this runtime');
  }
  return openSqlJs(file);
}
