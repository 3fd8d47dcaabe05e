import type { SqlDriver } from './driver';

type TransactionControl = Pick<SqlDriver, 'transaction' | 'begin' | 'commit' | 'rollback' | 'inTransaction'>;

/**
 * The transaction state machine both backends share: `transaction(fn)` joins an open bulk transaction
 * (begin()) instead of nesting, and rolls back on throw. `beginSql` differs per backend (IMMEDIATE on
 * node:sqlite, where another connection may write).
 */
export function transactionControl(exec: (sql: string) => void, beginSql: string): TransactionControl {
  let inTx = false;
  return {
    transaction(fn) {
      if (inTx) return fn();
      exec(beginSql);
      inTx = true;
      try {
        const r = fn();
        exec('COMMIT');
        return r;
      } catch (e) {
        exec('ROLLBACK');
        throw e;
      } finally {
        inTx = false;
      }
    },
    begin() {
      if (inTx) throw new Error('transaction already open');
      exec(beginSql);
      inTx = true;
    },
    commit() {
      if (!inTx) return;
      exec('COMMIT');
      inTx = false;
    },
    rollback() {
      if (!inTx) return;
      exec('ROLLBACK');
      inTx = false;
    },
    get inTransaction() {
      return inTx;
    },
  };
}
