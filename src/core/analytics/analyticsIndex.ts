import type { PriceTable } from '../pricing/priceTable';
import { LocalCalendar, type Weekday } from '../reports/timeBuckets';
import { type BillingBlock, BillingBlockScanner, type TimeOrderedRows } from './billingBlocks';
import { type PricedUsage, priceUsage } from './pricedUsage';
import type { SessionFacts, SessionInput, SessionMeta, UsageRow } from './rows';
import { type SessionUsage, sessionUsageOf } from './sessionUsage';
import type { UsageTotals } from './totals';
import { type SessionEntry, sessionEntry, UsageAggregates } from './usageAggregates';

/** Totals of one session, one project, model or entrypoint: what groupUsage lists. */
export type UsageGroup = UsageTotals & { key: string; sessions: number };

interface Kept {
  input: SessionInput;
  entry: SessionEntry;
  group: UsageGroup | undefined;
  /** The update that last saw this session. */
  seen: number;
}

/** What the views compute over after an update. */
export interface IndexedUsage {
  /** Sessions this update added, changed or dropped (the rest were reused as they were). */
  changedSessions: number;
  aggregates: UsageAggregates;
  /** Every row oldest first, with its cost (the cache-ratio windows). */
  ordered: TimeOrderedRows;
  /** Per session with usage, most expensive first. */
  bySession: readonly UsageGroup[];
  /** A session's usage (undefined: none), digested again from its rows: for the few sessions an insight names. */
  usageOf(sessionId: string): SessionUsage | undefined;
  /** A session's cost (null: none priced or no usage). */
  costOf(sessionId: string): number | null;
  /** A session's metadata (sessions with usage or facts). */
  metaOf(sessionId: string): SessionMeta | undefined;
  /** The sessions with a prompt or API message: their entries. */
  entries(): Iterable<SessionEntry>;
  blocks(now: number): BillingBlock[];
}

const byCost = (a: UsageGroup, b: UsageGroup) =>
  (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.totalTokens - a.totalTokens || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Analytics' per-session work and its sums, kept between refreshes by a long-lived reader (the extension's analytics
 * worker). A session is priced, digested (SessionUsage) and added to the aggregates once; when its input object
 * changes (the store source hands out the same objects until it reloads a session) the digest of its old rows is made
 * again, subtracted, and the new one added. The rows stay in time order with their costs (only the tail from the
 * first changed instant is merged again), the billing blocks are rescanned from the block holding that instant, and
 * the sessions stay sorted by cost. One-shot callers use a fresh index: the same code, everything added once.
 */
export class AnalyticsIndex {
  readonly calendar: LocalCalendar;
  private readonly kept = new Map<string, Kept>();
  private readonly aggregates = new UsageAggregates();
  /** Every row oldest first, and its cost at the same index (NaN: unpriced). */
  private ordered: { rows: UsageRow[]; costs: Float64Array } = { rows: [], costs: new Float64Array(0) };
  private readonly scanner = new BillingBlockScanner();
  private sorted: UsageGroup[] = [];
  private generation = 0;

  constructor(
    readonly prices: PriceTable,
    timeZone: string,
    weekStartsOn?: Weekday,
  ) {
    this.calendar = new LocalCalendar(timeZone, { weekStartsOn });
  }

  /** Whether this index serves these options (else the caller makes a new one). */
  serves(prices: PriceTable, timeZone: string, weekStartsOn?: Weekday): boolean {
    return (
      prices === this.prices &&
      timeZone === this.calendar.timeZone &&
      (weekStartsOn ?? 1) === this.calendar.weekStartsOn
    );
  }

  /**
   * Brings the index to this input: every session there is (sessions missing from it are gone). Returns what the
   * views compute over.
   */
  update(perSession: ReadonlyMap<string, SessionInput>): IndexedUsage {
    const gen = ++this.generation;
    // Sessions whose rows changed, and their new rows with costs in parallel arrays (no object per row: at a first
    // load these are all 200,000 cells, and objects kept until the reorder would only swell the old generation).
    // Room for every changed session's rows up front: arrays grown push by push at a first load (200,000 rows) would
    // leave each outgrown copy as old-generation garbage.
    let room = 0;
    for (const [sid, input] of perSession) if (this.kept.get(sid)?.input !== input) room += input.usage.length;
    const changed: Changed = {
      sessions: new Set<string>(),
      from: Number.POSITIVE_INFINITY,
      rows: new Array<UsageRow>(room),
      costs: new Float64Array(room),
      n: 0,
    };
    const regrouped: { old: UsageGroup | undefined; now: UsageGroup | undefined }[] = [];
    let changedSessions = 0;
    for (const [sid, input] of perSession) {
      const had = this.kept.get(sid);
      if (had?.input === input) {
        had.seen = gen;
        continue;
      }
      changedSessions++;
      const old = had ? this.digestOf(sid, had.input.usage) : undefined;
      if (had) this.aggregates.apply(had.entry, old?.usage, -1);
      const sameRows = had !== undefined && had.input.usage === input.usage;
      const now = sameRows ? old : this.digestOf(sid, input.usage);
      const usage = now?.usage;
      if (!sameRows) {
        changed.sessions.add(sid);
        changed.from = Math.min(changed.from, had?.entry.usageFirstTs ?? Infinity, usage?.firstTs ?? Infinity);
        for (const p of now?.priced ?? []) {
          changed.rows[changed.n] = p.row;
          changed.costs[changed.n++] = p.costUsd ?? Number.NaN;
        }
      }
      const entry = sessionEntry(
        sid,
        usage,
        input.facts,
        input.meta?.projectPath ?? null,
        input.meta?.entrypoint ?? '(unknown)',
        this.calendar,
      );
      this.aggregates.apply(entry, usage, 1);
      const t = usage?.totals;
      // Field by field (a spread object carries an extra property array; 20,000 of these are kept).
      const group: UsageGroup | undefined = t && {
        key: sid,
        sessions: 1,
        apiMessages: t.apiMessages,
        input: t.input,
        output: t.output,
        cacheCreation: t.cacheCreation,
        cacheRead: t.cacheRead,
        totalTokens: t.totalTokens,
        costUsd: t.costUsd,
        unpricedTokens: t.unpricedTokens,
      };
      this.kept.set(sid, { input, entry, group, seen: gen });
      regrouped.push({ old: had?.group, now: group });
    }
    if (this.kept.size > perSession.size || changedSessions > 0)
      for (const [sid, had] of this.kept)
        if (had.seen !== gen) {
          changedSessions++;
          this.aggregates.apply(had.entry, this.digestOf(sid, had.input.usage)?.usage, -1);
          this.kept.delete(sid);
          changed.sessions.add(sid);
          changed.from = Math.min(changed.from, had.entry.usageFirstTs ?? Infinity);
          regrouped.push({ old: had.group, now: undefined });
        }
    if (changed.sessions.size > 0) this.reorder(changed);
    this.resort(regrouped);
    const kept = this.kept;
    return {
      changedSessions,
      aggregates: this.aggregates,
      ordered: this.ordered,
      bySession: this.sorted,
      usageOf: (sid) => {
        const k = kept.get(sid);
        return k && this.digestOf(sid, k.input.usage)?.usage;
      },
      costOf: (sid) => kept.get(sid)?.group?.costUsd ?? null,
      metaOf: (sid) => kept.get(sid)?.input.meta,
      entries: () => [...kept.values()].map((k) => k.entry),
      blocks: (now) => this.scanner.blocks(now),
    };
  }

  /**
   * A session's rows priced and digested. The same rows give the same digest to the last bit, so the one subtracted
   * when a session changes is the one that was added (it is not kept in between).
   */
  private digestOf(sid: string, rows: readonly UsageRow[]): { priced: PricedUsage[]; usage: SessionUsage } | undefined {
    if (rows.length === 0) return undefined;
    const priced = priceUsage(rows, this.prices);
    return { priced, usage: sessionUsageOf(sid, priced, this.calendar) };
  }

  /**
   * Restores time order from the earliest changed instant on (the kept rows after it, less the changed sessions',
   * merged with the changed sessions' rows sorted), and rescans the billing blocks from there.
   */
  private reorder(changed: Changed): void {
    const { from } = changed;
    if (from === Number.POSITIVE_INFINITY) return;
    const { rows, costs } = this.ordered;
    const at = firstAtOrAfter(rows, from);
    const kept: number[] = [];
    for (let i = at; i < rows.length; i++) if (!changed.sessions.has(rows[i]!.sessionId)) kept.push(i);
    const order = new Uint32Array(changed.n);
    for (let i = 0; i < changed.n; i++) order[i] = i;
    order.sort((a, b) => changed.rows[a]!.ts - changed.rows[b]!.ts);
    const size = at + kept.length + changed.n;
    const outRows = rows.slice(0, at);
    outRows.length = size;
    const outCosts = new Float64Array(size);
    outCosts.set(costs.subarray(0, at));
    let o = at;
    let k = 0;
    for (const i of order) {
      const r = changed.rows[i]!;
      for (; k < kept.length && rows[kept[k]!]!.ts <= r.ts; k++, o++) {
        outRows[o] = rows[kept[k]!]!;
        outCosts[o] = costs[kept[k]!]!;
      }
      outRows[o] = r;
      outCosts[o++] = changed.costs[i]!;
    }
    for (; k < kept.length; k++, o++) {
      outRows[o] = rows[kept[k]!]!;
      outCosts[o] = costs[kept[k]!]!;
    }
    this.ordered = { rows: outRows, costs: outCosts };
    this.scanner.scan(this.ordered, from);
  }

  /** Keeps the sessions sorted by cost: a few moved by binary search, many by one sort. */
  private resort(changes: { old: UsageGroup | undefined; now: UsageGroup | undefined }[]): void {
    if (changes.length === 0) return;
    if (changes.length > 64) {
      this.sorted = [...this.kept.values()].flatMap((k) => (k.group ? [k.group] : [])).sort(byCost);
      return;
    }
    for (const c of changes) {
      if (c.old) this.sorted.splice(position(this.sorted, c.old), 1);
      if (c.now) this.sorted.splice(position(this.sorted, c.now), 0, c.now);
    }
  }
}

/** The sessions whose rows changed in an update, and their new rows with costs (NaN: unpriced), n of them. */
interface Changed {
  sessions: Set<string>;
  from: number;
  rows: UsageRow[];
  costs: Float64Array;
  n: number;
}

/** Where `g` is (or goes) in groups sorted by byCost (a total order: keys are unique). */
function position(sorted: readonly UsageGroup[], g: UsageGroup): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byCost(sorted[mid]!, g) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first row at or after `ts` in rows sorted by time. */
export function firstAtOrAfter(ordered: readonly UsageRow[], ts: number): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ordered[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Flat rows, facts and metadata per session (new objects: an index reuses nothing of them). */
export function perSessionOf(input: {
  usage: readonly UsageRow[];
  facts: readonly SessionFacts[];
  sessions: readonly SessionMeta[];
}): Map<string, SessionInput> {
  const by = new Map<string, { usage: UsageRow[]; facts: SessionFacts | undefined; meta: SessionMeta | undefined }>();
  const of = (sid: string) => {
    let x = by.get(sid);
    if (!x) {
      x = { usage: [], facts: undefined, meta: undefined };
      by.set(sid, x);
    }
    return x;
  };
  for (const r of input.usage) of(r.sessionId).usage.push(r);
  for (const f of input.facts) of(f.sessionId).facts = f;
  // Metadata of sessions with neither usage nor facts adds nothing.
  for (const m of input.sessions) {
    const x = by.get(m.sessionId);
    if (x) x.meta = m;
  }
  return by;
}
