import type { AnalyticsSource } from '../../core/analytics/analytics';
import { cacheWindowStarts } from '../../core/analytics/insights';
import type { AnalyticsFilter, AnalyticsInput } from '../../core/analytics/rows';
import { inputOfRows } from '../../core/analytics/sessionFacts';
import type { PriceTable } from '../../core/pricing/priceTable';
import { readAnalyticsRows, readSessionMetas, readTopicDocs } from './analyticsReads';
import {
  inputOfRollups,
  readRowsBetween,
  readSessionRollups,
  refreshAnalyticsRollups,
  type SessionRollup,
  staleAnalyticsSessions,
} from './analyticsRollups';
import type { SqlDriver } from './driver';

const SLOT_MS = 900_000;

/**
 * A connection that only reads analytics (the analytics worker's own): a 4 MiB page cache instead of the store's
 * 32 MiB. Its reads are one pass over the rollups, then a few pages per refresh, so a bigger cache buys nothing and
 * costs its size in resident memory.
 */
export function tuneAnalyticsReader(db: SqlDriver): void {
  db.exec('PRAGMA cache_size = -4096');
}

export interface StoreSourceOptions {
  /** Read topic documents (default true). */
  topics?: boolean;
  /** This connection may write: refresh stale rollups before reading (cct, under the ingest lease). */
  refresh?: boolean;
}

/**
 * The local store as an analytics source. Without a time range it reads the rollups (cells and per-session facts,
 * analyticsRollups.ts) and keeps them: the next read loads only the sessions refreshed since (computed_at), so a
 * long-lived reader (the extension's analytics worker) recomputes from memory after one new session. A time range,
 * or rollups a scan has not refreshed yet on a read-only connection, reads the rows themselves (exact, slower).
 */
/** The store's state as far as the rollups go: a key that changes with any write or refresh, and two of its parts. */
interface WriteMark {
  key: string;
  /** The rollups' newest computed_at, and how many there are. */
  newest: number;
  rollups: number;
}

export class StoreAnalyticsSource implements AnalyticsSource {
  private cache: Map<string, SessionRollup> | undefined;
  /** writeMark()'s key when the rollups were last found current (undefined: not known to be). */
  private currentAt: string | undefined;
  private seenUpTo = 0;
  /** How the last read was served, for benchmarks and diagnostics. */
  lastRead: { path: 'rollups' | 'rows'; reloadedSessions: number } | undefined;

  constructor(
    private readonly db: SqlDriver,
    private readonly prices: PriceTable,
    private readonly opts: StoreSourceOptions = {},
  ) {}

  read(filter: AnalyticsFilter): AnalyticsInput {
    const topics = this.opts.topics !== false;
    const mark = filter.sinceMs === undefined && filter.untilMs === undefined ? this.rollupsCurrent() : undefined;
    if (!mark) {
      const rows = readAnalyticsRows(this.db, filter);
      if (topics) rows.topicDocs = readTopicDocs(this.db, filter);
      this.lastRead = { path: 'rows', reloadedSessions: 0 };
      return inputOfRows(rows);
    }
    const reloaded = this.load(mark);
    // The metadata comes with the rollups (reloaded with them); a project filter reads its sessions' own.
    const filtered = filter.project ? readSessionMetas(this.db, filter.project) : undefined;
    const keep = filtered ? new Set(filtered.map((s) => s.sessionId)) : undefined;
    this.lastRead = { path: 'rollups', reloadedSessions: reloaded };
    const input = inputOfRollups(this.cache!, filtered, { topics });
    // The plain rows of the two quarter-hours the cache-ratio windows split, read now: the caller may close the store.
    let end = Number.NEGATIVE_INFINITY;
    for (const sid of input.perSession!.keys()) end = Math.max(end, this.cache!.get(sid)!.lastTs);
    const plain = Number.isFinite(end)
      ? cacheWindowStarts(end).flatMap((t) => {
          const slot = Math.floor(t / SLOT_MS) * SLOT_MS;
          return readRowsBetween(this.db, slot, slot + SLOT_MS, (sid) => !keep || keep.has(sid));
        })
      : [];
    input.rowsBetween = (a, b) => plain.filter((r) => r.ts >= a && r.ts < b);
    return input;
  }

  /** Drops what it keeps in memory (the next read loads everything again). */
  reset(): void {
    this.cache = undefined;
    this.seenUpTo = 0;
  }

  /** The write mark when the rollups are current (after a refresh, if this source may write); else undefined. */
  private rollupsCurrent(): WriteMark | undefined {
    // Nothing written or refreshed since the rollups were last found current: the full check (a join over every
    // session, ~50 ms at 20,000) is skipped. A write moves the sessions' newest updated_at or count, a refresh or a
    // re-mask the rollups' newest computed_at or count.
    const mark = this.writeMark();
    if (mark.key === this.currentAt) return mark;
    const thresholds = this.prices.thresholds();
    let current = staleAnalyticsSessions(this.db, thresholds) === 0;
    if (!current && this.opts.refresh) {
      refreshAnalyticsRollups(this.db, this.prices);
      current = staleAnalyticsSessions(this.db, thresholds) === 0;
    }
    const after = current ? this.writeMark() : undefined;
    this.currentAt = after?.key;
    return after;
  }

  /** What changes when sessions are written or rollups refreshed (two index reads and two counts). */
  private writeMark(): WriteMark {
    const s = this.db.prepare('SELECT max(updated_at) AS u, count(*) AS n FROM sessions').get();
    const a = this.db.prepare('SELECT max(computed_at) AS c, count(*) AS n FROM analytics_sessions').get();
    const newest = Number(a?.c ?? 0);
    const rollups = Number(a?.n ?? 0);
    return { key: JSON.stringify([this.prices.thresholds(), s?.u, s?.n, newest, rollups]), newest, rollups };
  }

  /**
   * Loads the sessions refreshed since the last load (all on the first); returns how many it loaded. The mark says
   * the rollups' newest computed_at and count (read once per read, by rollupsCurrent).
   */
  private load(mark: WriteMark): number {
    const maxAt = mark.newest;
    if (!this.cache) {
      this.cache = readSessionRollups(this.db);
      this.seenUpTo = maxAt;
      return this.cache.size;
    }
    let n = 0;
    if (maxAt > this.seenUpTo) {
      const ids = this.db
        .prepare('SELECT session_id FROM analytics_sessions WHERE computed_at > ?')
        .values([this.seenUpTo])
        .map((r) => String(r[0]));
      for (const [sid, r] of readSessionRollups(this.db, ids)) this.cache.set(sid, r);
      n = ids.length;
      this.seenUpTo = maxAt;
    }
    // Forgotten or pruned sessions: their rollups are gone.
    if (mark.rollups !== this.cache.size) {
      const ids = new Set(
        this.db
          .prepare('SELECT session_id FROM analytics_sessions')
          .values()
          .map((r) => String(r[0])),
      );
      for (const sid of [...this.cache.keys()]) if (!ids.has(sid)) this.cache.delete(sid);
    }
    return n;
  }
}
