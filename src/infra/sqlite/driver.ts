/**
 * The one SQL surface both backends implement, so the store, its SQL and its migrations are shared.
 * Parameters are positional (`?`) because both node:sqlite and sql.js bind arrays the same way.
 */
export type SqlValue = string | number | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

export interface SqlStatement {
  run(params?: readonly SqlValue[]): { changes: number; lastInsertRowid: number };
  all(params?: readonly SqlValue[]): SqlRow[];
  get(params?: readonly SqlValue[]): SqlRow | undefined;
  /**
   * Rows as arrays in SELECT column order: for the big reads of reports (node:sqlite builds a row object
   * property by property, several times slower than an array for thousands of rows).
   */
  values(params?: readonly SqlValue[]): SqlValue[][];
}

export type BackendName = 'node:sqlite' | 'sql.js';
export type FtsEngine = 'fts5' | 'fts4';

export interface SqlDriver {
  readonly backend: BackendName;
  /** node:sqlite ships FTS5; sql.js 1.x's build only has FTS3/4 (checked at open). */
  readonly fts: FtsEngine;
  readonly path: string;
  exec(sql: string): void;
  /** Cached by SQL text. */
  prepare(sql: string): SqlStatement;
  /**
   * Runs fn in BEGIN IMMEDIATE … COMMIT (ROLLBACK on throw). Inside an open bulk transaction (begin()) fn
   * simply joins it: the bulk owner commits or rolls back the whole.
   */
  transaction<T>(fn: () => T): T;
  /** Explicit long transaction for bulk ingest (many batches, one commit). */
  begin(): void;
  commit(): void;
  rollback(): void;
  readonly inTransaction: boolean;
  /** Makes committed data durable (sql.js: export + atomic rename; node:sqlite: no-op, WAL already is). */
  flush(): void;
  close(): void;
}
