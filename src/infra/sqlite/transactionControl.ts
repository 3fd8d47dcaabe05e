import type { SqlDriver } from './driver';

type TransactionControl = Pick<SqlDriver, 'transaction' | 'begin' | 'commit' | 'rollback' | 'inTransaction'>;

/** SQLite's answer to ROLLBACK after it rolled the transaction back by itself. */
const ALREADY_ROLLED_BACK = /no transaction is active/;

/**
 * The transaction state machine both backends share: `transaction(fn)` joins an open bulk transaction
 * (begin()) instead of nesting, and rolls back on throw. `beginSql` differs per backend (IMMEDIATE on
 * node:sqlite, where another connection may write).
 *
 * A failed statement or COMMIT may have made SQLite roll the whole transaction back already (SQLITE_FULL, IOERR,
 * NOMEM): then ROLLBACK fails with "no transaction is active". That is not the error to report, and the
 * transaction is over either way, so the state here says so. A failed COMMIT rolls back: its changes are lost.
 * `isOpen` (node:sqlite's isTransaction, where the runtime has it) tells whether SQLite still has one open.
 */
export function transactionControl(
  exec: (sql: string) => void,
  beginSql: string,
  isOpen?: () => boolean,
): TransactionControl {
  let inTx = false;
  /** Ends the transaction; throws only when ROLLBACK failed and a transaction is still open. */
  const rollbackNow = () => {
    try {
      if (isOpen && !isOpen()) return;
      exec('ROLLBACK');
    } catch (e) {
      if (!ALREADY_ROLLED_BACK.test(e instanceof Error ? e.message : String(e)) && (isOpen?.() ?? true)) throw e;
    } finally {
      inTx = isOpen?.() ?? false;
    }
  };
  /** After `cause` failed: roll back, and report `cause` (a failed rollback is only noted on it). */
  const abandon = (cause: unknown): never => {
    try {
      rollbackNow();
    } catch (e) {
      if (cause instanceof Error && !('rollbackError' in cause)) Object.assign(cause, { rollbackError: e });
    }
    throw cause;
  };
  const commitNow = () => {
    try {
      exec('COMMIT');
    } catch (e) {
      abandon(e);
    }
    inTx = false;
  };
  return {
    transaction(fn) {
      if (inTx) return fn();
      exec(beginSql);
      inTx = true;
      let r: ReturnType<typeof fn>;
      try {
        r = fn();
      } catch (e) {
        return abandon(e);
      }
      commitNow();
      return r;
    },
    begin() {
      if (inTx) throw new Error('transaction already open');
      exec(beginSql);
      inTx = true;
    },
    commit() {
      if (!inTx) return;
      commitNow();
    },
    rollback() {
      if (!inTx) return;
      rollbackNow();
    },
    get inTransaction() {
      return inTx;
    },
  };
}
