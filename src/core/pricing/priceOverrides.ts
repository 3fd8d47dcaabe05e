import type { PriceRow } from './priceTable';

/** A user's price for one model, USD per million tokens (the `claudeTracer.pricing.overrides` setting). */
export interface PriceOverride {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

/**
 * Price rows from the per-model overrides, in force for every message (effective from 2000-01-01). Cache rates left
 * out follow Anthropic's multiples of the input price: 5-minute write 1.25×, 1-hour write 2×, read 0.1×.
 */
export function priceOverrideRows(overrides: Readonly<Record<string, PriceOverride>>): PriceRow[] {
  return Object.entries(overrides).map(([model, p]) => ({
    model,
    effectiveFrom: '2000-01-01',
    input: p.input,
    output: p.output,
    cacheWrite5m: p.cacheWrite5m ?? p.input * 1.25,
    cacheWrite1h: p.cacheWrite1h ?? p.input * 2,
    cacheRead: p.cacheRead ?? p.input * 0.1,
    source: 'claudeTracer.pricing.overrides',
  }));
}
