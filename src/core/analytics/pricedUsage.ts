import { costUsd } from '../pricing/cost';
import type { PriceTable } from '../pricing/priceTable';
import type { UsageRow } from './rows';

/** A usage row with its API-equivalent price and what its cache use saved. */
export interface PricedUsage {
  row: UsageRow;
  /** undefined: the model has no price (never counted as $0). */
  costUsd: number | undefined;
  /** What the cache reads would have cost as plain input, minus what they cost (0 when unpriced). */
  cacheReadSavedUsd: number;
  /** The extra paid to write the cache, over plain input (0 when unpriced). */
  cacheWritePremiumUsd: number;
}

/** A usage row with its cost only: what billing blocks and the time-ordered rows an AnalyticsIndex keeps need. */
export type CostedUsage = Pick<PricedUsage, 'row' | 'costUsd'>;

/** The largest long-context threshold the request's prompt exceeded (the store's rule, usageGroups). */
export function promptAbove(row: UsageRow, thresholdsDesc: readonly number[]): number {
  const prompt = row.input + row.cacheCreation + row.cacheRead;
  for (const t of thresholdsDesc) if (prompt > t) return t;
  return 0;
}

/** Prices every row once; everything else in analytics sums these. */
export function priceUsage(rows: readonly UsageRow[], prices: PriceTable): PricedUsage[] {
  const thresholds = prices.thresholds().sort((a, b) => b - a);
  return rows.map((row) => {
    // A cell's messages share one tier (and one UTC day, so one price), which its token sums can no longer tell.
    const q = {
      model: row.model,
      ts: row.ts,
      speed: row.speed,
      promptAbove: row.promptAbove ?? promptAbove(row, thresholds),
    };
    const cost = costUsd(prices, q, row);
    let saved = 0;
    let premium = 0;
    const p = cost === undefined ? undefined : prices.lookup(q);
    if (p?.priced) {
      const r = p.rates;
      saved = ((row.cacheRead * (r.input - r.cacheRead)) / 1e6) * p.multiplier;
      premium =
        ((row.cache5m * (r.cacheWrite5m - r.input) + row.cache1h * (r.cacheWrite1h - r.input)) / 1e6) * p.multiplier;
    }
    return { row, costUsd: cost, cacheReadSavedUsd: saved, cacheWritePremiumUsd: premium };
  });
}
