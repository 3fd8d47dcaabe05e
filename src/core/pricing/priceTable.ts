import { normalizeModelId } from './modelId';
import builtin from './prices.json';

/** USD per million tokens (the shape of src/core/pricing/priceSchema.ts, which validates it). */
export interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}
export interface PriceRow extends Rates {
  model: string;
  effectiveFrom: string;
  longContext?: Rates & { threshold: number };
  fastMultiplier?: number;
  source?: string;
}

export interface PriceQuery {
  model: string | null | undefined;
  /** Message time (ms), for effective-dated prices. */
  ts: number;
  speed?: string | null;
  /** The largest long-context threshold this request's prompt exceeded (0 if none). */
  promptAbove?: number;
}

export type PriceResult =
  | { priced: true; rates: Rates; multiplier: number; row: PriceRow }
  | { priced: false; reason: 'unknown_model' | 'no_fast_price' | 'no_model' };

/**
 * The versioned price table: built-in rows (prices.json) plus user overrides (which win for their model).
 * Lookup is exact id first, then the normalized id; never a family guess.
 */
export class PriceTable {
  private readonly byModel = new Map<string, PriceRow[]>();

  constructor(rows: readonly PriceRow[], overrides: readonly PriceRow[] = []) {
    const overridden = new Set(overrides.map((o) => o.model.toLowerCase()));
    for (const r of [...rows.filter((r) => !overridden.has(r.model.toLowerCase())), ...overrides]) {
      const key = r.model.toLowerCase();
      const list = this.byModel.get(key) ?? [];
      list.push(r);
      list.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      this.byModel.set(key, list);
    }
  }

  /**
   * The shipped table plus validated overrides. prices.json is ours and checked against the schema by the unit
   * tests (test/unit/accounting/pricing.test.ts), so only overrides go through zod, loaded when there are any:
   * `cct report` / `cct sessions` then evaluate no zod at all.
   */
  static builtin(overrides: unknown[] = []): PriceTable {
    const rows = builtin.prices as PriceRow[];
    if (overrides.length === 0) return new PriceTable(rows);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parsePriceRows } = require('./priceSchema') as typeof import('./priceSchema');
    return new PriceTable(rows, parsePriceRows(overrides));
  }

  /** Distinct long-context thresholds, ascending (the store buckets requests by them). */
  thresholds(): number[] {
    const s = new Set<number>();
    for (const list of this.byModel.values()) for (const r of list) if (r.longContext) s.add(r.longContext.threshold);
    return [...s].sort((a, b) => a - b);
  }

  /**
   * A short digest of every row: stored figures priced with one table (the store's session_stats) are recomputed
   * when it changes (an update shipping new prices, an override). FNV-1a over the rows' JSON: not cryptographic.
   */
  fingerprint(): string {
    let h = 0x811c9dc5;
    const text = JSON.stringify([...this.byModel.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return `${h.toString(16)}:${text.length}`;
  }

  rowsFor(model: string): PriceRow[] | undefined {
    const exact = this.byModel.get(model.trim().toLowerCase());
    if (exact) return exact;
    return this.byModel.get(normalizeModelId(model).id);
  }

  /** model → speed → tier → UTC day → result (nested maps: no key string built per lookup). */
  private readonly memo = new Map<string | null | undefined, Map<string, Map<number, Map<number, PriceResult>>>>();
  private memoSize = 0;

  /** Memoized per (model, day, speed, tier): reports price thousands of groups with few distinct keys. */
  lookup(q: PriceQuery): PriceResult {
    const day = Math.floor(q.ts / 86_400_000);
    let bySpeed = this.memo.get(q.model);
    if (!bySpeed) this.memo.set(q.model, (bySpeed = new Map()));
    const speed = q.speed ?? '';
    let byTier = bySpeed.get(speed);
    if (!byTier) bySpeed.set(speed, (byTier = new Map()));
    const tier = q.promptAbove ?? 0;
    let byDay = byTier.get(tier);
    if (!byDay) byTier.set(tier, (byDay = new Map()));
    let r = byDay.get(day);
    if (!r) {
      r = this.lookupUncached(q);
      if (++this.memoSize > 100_000) {
        this.memo.clear();
        this.memoSize = 0;
      } else byDay.set(day, r);
    }
    return r;
  }

  /** Per model id: its rows and whether the id itself says fast mode (normalizing is the costly part). */
  private readonly models = new Map<string, { rows: PriceRow[] | undefined; fast: boolean }>();

  private lookupUncached(q: PriceQuery): PriceResult {
    if (!q.model) return { priced: false, reason: 'no_model' };
    let m = this.models.get(q.model);
    if (!m) this.models.set(q.model, (m = { rows: this.rowsFor(q.model), fast: normalizeModelId(q.model).fast }));
    const rows = m.rows;
    if (!rows || rows.length === 0) return { priced: false, reason: 'unknown_model' };
    const day = new Date(q.ts).toISOString().slice(0, 10);
    let row = rows[0]!;
    for (const r of rows) if (r.effectiveFrom <= day) row = r;
    const fast = q.speed === 'fast' || m.fast;
    let multiplier = 1;
    if (fast) {
      if (!row.fastMultiplier) return { priced: false, reason: 'no_fast_price' };
      multiplier = row.fastMultiplier;
    }
    const long = row.longContext && (q.promptAbove ?? 0) >= row.longContext.threshold;
    return { priced: true, rates: long ? row.longContext! : row, multiplier, row };
  }
}
