import { modeRank, type SendMode } from '../../core/sync/rows';
import type { SqlDriver } from './driver';
import * as Q from './queries';
import { str } from './sqlValues';

/**
 * Re-sending after a switch to a sync mode that sends more (metadata → full; OutboxPort.requeueForMode), per row.
 * `interactions.sent_mode` (schema v7) holds modeRank of the mode the server's copy of the row went out in; each ack
 * sets it for the interactions among the acknowledged entries (noteSentMode), so the extension and `cct sync push`
 * may drain one store in different modes and only the rows one of them sent with less are re-sent. Sessions are
 * projected the same in every mode: they are never re-sent for a switch and carry no mark.
 *
 * metadata is the least send mode, so the rows a switch to full re-sends are those at rank 1, and the partial index
 * `interactions_sent_metadata` holds exactly them. A step takes the next `limit` of them, queues them (rows of excluded
 * projects left out) and clears their mark: they leave the index, so the next step, after a restart too, goes on with
 * the rest without a cursor, and the usual answer (none left) is one read of an empty index range, no write lock.
 * A queued row's ack marks it again with the mode it then went out in.
 */
const METADATA = modeRank('metadata');

const ANY_SENT_IN_METADATA =
  'SELECT 1 AS x FROM interactions INDEXED BY interactions_sent_metadata WHERE sent_mode = 1 LIMIT 1';
const NEXT_SENT_IN_METADATA = `SELECT i.id, s.project_path FROM interactions i INDEXED BY interactions_sent_metadata
  LEFT JOIN sessions s ON s.session_id = i.session_id WHERE i.sent_mode = 1 ORDER BY i.id LIMIT ?`;
/** One statement for a whole ack batch; rows already at this mode are not rewritten. */
const MARK_SENT = `UPDATE interactions SET sent_mode = ?1 WHERE id IN (SELECT value FROM json_each(?2)) AND sent_mode IS NOT ?1`;
const CLEAR_MARK = 'UPDATE interactions SET sent_mode = NULL WHERE id = ?';

/** Interactions were acknowledged as sent in `sentAs`: mark them (call inside the ack's transaction). */
export function noteSentMode(db: SqlDriver, interactionIds: readonly string[], sentAs: SendMode): void {
  if (interactionIds.length === 0) return;
  db.prepare(MARK_SENT).run([modeRank(sentAs), JSON.stringify(interactionIds)]);
}

/** One bounded step of the re-send `mode` calls for, if any (see OutboxPort.requeueForMode). `examined`: marks cleared. */
export function requeueForMode(
  db: SqlDriver,
  mode: SendMode,
  limit: number,
  excluded: (projectPath: string | null) => boolean,
): { queued: number; more: boolean; examined: number } {
  // nothing ranks below metadata; and the usual answer, nothing to do, comes from one indexed read: no write lock
  // (the scan worker may hold it a while)
  if (modeRank(mode) <= METADATA || !db.prepare(ANY_SENT_IN_METADATA).get())
    return { queued: 0, more: false, examined: 0 };
  return db.transaction(() => {
    const rows = db.prepare(NEXT_SENT_IN_METADATA).all([Math.max(1, Math.floor(limit))]);
    // a row still pending is built in the current mode when it is sent: leave its version alone
    const enqueue = db.prepare(Q.ENQUEUE_IF_ABSENT);
    const clear = db.prepare(CLEAR_MARK);
    const now = Date.now();
    let queued = 0;
    for (const r of rows) {
      // an excluded project's row is left out of this re-send for good, as the drain discards its pending rows
      if (!excluded(str(r.project_path))) queued += enqueue.run(['interaction', String(r.id), now]).changes;
      clear.run([String(r.id)]);
    }
    return { queued, more: db.prepare(ANY_SENT_IN_METADATA).get() !== undefined, examined: rows.length };
  });
}
