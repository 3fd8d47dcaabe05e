import type { ApiMessageRow } from '../../core/collector/rows';
import type { SqlDriver, SqlValue } from './driver';
import { longContextSql, longContextTiers } from './longContext';
import * as Q from './queries';
import type { UsageFilter, UsageGroup } from './usageReads';

const DAY_MS = 86_400_000;
const SLOT_MS = 900_000;
const SUMS =
  'count(*), sum(input), sum(output), sum(cache_5m), sum(cache_1h), sum(cache_creation), sum(cache_read), sum(legacy_cost_usd)';

/**
 * The usage rollups: the ledger grouped per session × UTC day and per 15-minute slot, rebuilt after a scan that wrote
 * (refresh). The two report shapes the CLI asks for read them instead of grouping every API message; they are used
 * only while fresh (no ledger change since the last refresh, same price thresholds), else queries group the ledger.
 */
export class UsageRollups {
  /** Keys written since the rollup was last fresh (undefined: nothing written yet; null: unknown → full rebuild). */
  private delta: { keys: Set<string> } | null | undefined;

  constructor(private readonly db: SqlDriver) {}

  /** In the transaction that wrote these ledger rows: the rollups are stale, and these keys changed. */
  noteWritten(apiMessages: readonly ApiMessageRow[]): void {
    // Remember what changed, so the next refresh can redo only those sessions and slots — unless this
    // process did not see every change since the rollup was fresh, or a row may have changed session.
    if (this.delta === undefined) this.delta = this.isStale() ? null : { keys: new Set() };
    if (this.delta) {
      for (const m of apiMessages) {
        if (m.sessionId !== m.originSession || m.isSidechain) this.delta = null;
        if (!this.delta) break;
        this.delta.keys.add(m.key);
      }
      if (this.delta && this.delta.keys.size > 5000) this.delta = null;
    }
    this.db.prepare(Q.MARK_ROLLUP_STALE).run();
  }

  /** Ledger rows were deleted: they cannot be found by key any more, so the next refresh rebuilds fully. */
  invalidate(): void {
    this.db.prepare(Q.MARK_ROLLUP_STALE).run();
    this.delta = null;
  }

  /** Brings the rollups up to date with the ledger, priced with these long-context thresholds. */
  refresh(thresholds: readonly number[]): void {
    const stale = this.isStale();
    const sameThresholds = this.storedThresholds() === thresholdsKey(thresholds);
    if (!stale && sameThresholds) return;
    const delta = sameThresholds ? this.delta : null;
    this.delta = undefined;
    const above = longContextSql(longContextTiers(thresholds));
    if (delta) {
      try {
        this.refreshPartly([...delta.keys], above);
        return;
      } catch (e) {
        if (!(e instanceof NeedsFullRollup)) throw e;
      }
    }
    this.db.transaction(() => {
      this.db.exec('DELETE FROM usage_rollup_session; DELETE FROM usage_rollup_slot;');
      this.db.exec(`INSERT INTO usage_rollup_session SELECT session_id, model, speed, ${above} AS pa, (coalesce(ts, 0) / 86400000) * 86400000 AS slot, ${SUMS}
        FROM api_messages GROUP BY session_id, model, speed, pa, slot`);
      this.db.exec(`INSERT INTO usage_rollup_slot SELECT model, speed, ${above} AS pa, (coalesce(ts, 0) / 900000) * 900000 AS slot, ${SUMS}
        FROM api_messages GROUP BY model, speed, pa, slot`);
      this.db.prepare("DELETE FROM meta WHERE key = 'rollup_stale'").run();
      this.db
        .prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('rollup_thresholds', ?)")
        .run([thresholdsKey(thresholds)]);
    });
  }

  /**
   * The rollup answer for the two shapes the CLI asks for (per session and day; per 15-minute slot, optionally merged
   * per local day of a fixed-offset zone), when fresh; undefined → group the ledger. `tiers`: longContextTiers.
   */
  read(filter: UsageFilter, slot: number, noSession: boolean, tiers: readonly number[]): UsageGroup[] | undefined {
    if (filter.untilMs !== undefined || filter.sessionIds) return undefined;
    if (this.isStale() || this.storedThresholds() !== thresholdsKey(tiers)) return undefined;
    const cols = 'model, speed, prompt_above, slot, n, input, output, c5, c1, cc, cr, legacy';
    let rows: SqlValue[][];
    if (slot === DAY_MS && !noSession && filter.sinceMs === undefined) {
      rows = this.db.prepare(`SELECT ${cols}, session_id FROM usage_rollup_session`).values();
    } else if (slot === SLOT_MS && noSession && (filter.sinceMs === undefined || filter.sinceMs % SLOT_MS === 0)) {
      const offset = filter.fixedOffsetMs;
      rows =
        offset !== undefined && Number.isInteger(offset) && offset % SLOT_MS === 0
          ? this.db
              .prepare(
                `SELECT model, speed, prompt_above, min(slot), sum(n), sum(input), sum(output), sum(c5), sum(c1), sum(cc), sum(cr), sum(legacy), ''
                FROM usage_rollup_slot WHERE slot >= ?
                GROUP BY model, speed, prompt_above, (slot + ${offset}) / 86400000, slot / 86400000`,
              )
              .values([filter.sinceMs ?? -1])
          : this.db.prepare(`SELECT ${cols}, '' FROM usage_rollup_slot WHERE slot >= ?`).values([filter.sinceMs ?? -1]);
    } else return undefined;
    return rows.map((r) => ({
      sessionId: String(r[12]),
      model: r[0] === null ? null : String(r[0]),
      speed: r[1] === null ? null : String(r[1]),
      promptAbove: Number(r[2]),
      slotMs: Number(r[3]),
      messages: Number(r[4]),
      input: Number(r[5]),
      output: Number(r[6]),
      cache5m: Number(r[7]),
      cache1h: Number(r[8]),
      cacheCreation: Number(r[9]),
      cacheRead: Number(r[10]),
      legacyCostUsd: r[11] === null ? null : Number(r[11]),
    }));
  }

  /** Redoes only the sessions and 15-minute slots the written keys live in (an append touches a handful). */
  private refreshPartly(keys: string[], above: string): void {
    const db = this.db;
    db.transaction(() => {
      const sessions = new Set<string>();
      const slots = new Set<number>();
      const where = db.prepare(
        'SELECT session_id, (coalesce(ts, 0) / 900000) * 900000 AS slot FROM api_messages WHERE key = ?',
      );
      for (const k of keys) {
        const r = where.get([k]);
        if (!r) continue;
        sessions.add(String(r.session_id));
        slots.add(Number(r.slot));
      }
      if (slots.has(0)) throw new NeedsFullRollup(); // a row without a timestamp: only the full query groups it
      const delS = db.prepare('DELETE FROM usage_rollup_session WHERE session_id = ?');
      const insS =
        db.prepare(`INSERT INTO usage_rollup_session SELECT session_id, model, speed, ${above} AS pa, (coalesce(ts, 0) / 86400000) * 86400000 AS slot, ${SUMS}
        FROM api_messages WHERE session_id = ? GROUP BY session_id, model, speed, pa, slot`);
      for (const sid of sessions) {
        delS.run([sid]);
        insS.run([sid]);
      }
      const delT = db.prepare('DELETE FROM usage_rollup_slot WHERE slot = ?');
      const insT =
        db.prepare(`INSERT INTO usage_rollup_slot SELECT model, speed, ${above} AS pa, (coalesce(ts, 0) / 900000) * 900000 AS slot, ${SUMS}
        FROM api_messages WHERE ts >= ? AND ts < ? GROUP BY model, speed, pa, slot`);
      for (const slot of slots) {
        delT.run([slot]);
        insT.run([slot, slot + SLOT_MS]);
      }
      db.prepare("DELETE FROM meta WHERE key = 'rollup_stale'").run();
    });
  }

  private isStale(): boolean {
    return !!this.db.prepare("SELECT 1 FROM meta WHERE key = 'rollup_stale'").get();
  }

  private storedThresholds(): string | undefined {
    const v = this.db.prepare("SELECT value FROM meta WHERE key = 'rollup_thresholds'").get()?.value;
    return v === undefined || v === null ? undefined : String(v);
  }
}

class NeedsFullRollup extends Error {}

const thresholdsKey = (thresholds: readonly number[]) => JSON.stringify([...thresholds].sort((a, b) => a - b));
