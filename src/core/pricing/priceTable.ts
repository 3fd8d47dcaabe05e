import * as z from 'zod';
import builtin from './prices.json';
import { normalizeModelId } from './modelId';

const Rates = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative(),
  cacheWrite1h: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
});
export const PriceRowSchema = Rates.extend({
  model: z.string().min(1),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  longContext: Rates.extend({ threshold: z.number().int().positive() }).optional(),
  fastMultiplier: z.number().positive().optional(),
  source: z.string().optional(),
});
export type PriceRow = z.infer<typeof PriceRowSchema>;
export type Rates = z.infer<typeof Rates>;

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

  static builtin(overrides: unknown[] = []): PriceTable {
    const rows = z.array(PriceRowSchema).parse(builtin.prices);
    return new PriceTable(rows, z.array(PriceRowSchema).parse(overrides));
  }

  /** Distinct long-context thresholds, ascending (the store buckets requests by them). */
  thresholds(): number[] {
    const s = new Set<number>();
    for (const list of this.byModel.values()) for (const r of list) if (r.longContext) s.add(r.longContext.threshold);
    return [...s].sort((a, b) => a - b);
  }

  rowsFor(model: string): PriceRow[] | undefined {
    const exact = this.byModel.get(model.trim().toLowerCase());
    if (exact) return exact;
    return this.byModel.get(normalizeModelId(model).id);
  }

  private readonly memo = new Map<string, PriceResult>();

  /** Memoized per (model, day, speed, tier): reports price thousands of groups with few distinct keys. */
  lookup(q: PriceQuery): PriceResult {
    const key = `${q.model}\u0000${Math.floor(q.ts / 86_400_000)}\u0000${q.speed ?? ''}\u0000${q.promptAbove ?? 0}`;
    let r = this.memo.get(key);
    if (!r) {
      r = this.lookupUncached(q);
      if (this.memo.size > 100_000) this.memo.clear();
      this.memo.set(key, r);
    }
    return r;
  }

  private lookupUncached(q: PriceQuery): PriceResult {
    if (!q.model) return { priced: false, reason: 'no_model' };
    const rows = this.rowsFor(q.model);
    if (!rows || rows.length === 0) return { priced: false, reason: 'unknown_model' };
    const day = new Date(q.ts).toISOString().slice(0, 10);
    let row = rows[0]!;
    for (const r of rows) if (r.effectiveFrom <= day) row = r;
    const fast = q.speed === 'fast' || normalizeModelId(q.model).fast;
    let multiplier = 1;
    if (fast) {
      if (!row.fastMultiplier) return { priced: false, reason: 'no_fast_price' };
      multiplier = row.fastMultiplier;
    }
    const long = row.longContext && (q.promptAbove ?? 0) >= row.longContext.threshold;
    return { priced: true, rates: long ? row.longContext! : row, multiplier, row };
  }
}
