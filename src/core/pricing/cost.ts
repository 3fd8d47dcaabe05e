import type { PriceQuery, PriceTable } from './priceTable';

export interface BillableTokens {
  input: number;
  output: number;
  cache5m: number;
  cache1h: number;
  cacheRead: number;
}

/** USD for a bundle of tokens at one price point; undefined = unpriced (never silently $0). */
export function costUsd(table: PriceTable, q: PriceQuery, t: BillableTokens): number | undefined {
  const p = table.lookup(q);
  if (!p.priced) return undefined;
  const r = p.rates;
  return (
    ((t.input * r.input +
      t.output * r.output +
      t.cache5m * r.cacheWrite5m +
      t.cache1h * r.cacheWrite1h +
      t.cacheRead * r.cacheRead) /
      1e6) *
    p.multiplier
  );
}
