import { AnalyticsIndex, type IndexedUsage, perSessionOf } from '../../../src/core/analytics/analyticsIndex';
import type { SessionFacts, SessionMeta, UsageRow } from '../../../src/core/analytics/rows';
import { PriceTable } from '../../../src/core/pricing/priceTable';

/**
 * A price table with round numbers so expectations can be computed by hand: model 'm' costs $1 per million input
 * tokens, $2 output, $1.25 / $2 cache writes (5m / 1h), $0.10 cache reads; 'big' costs ten times that.
 */
export const PRICES = new PriceTable([
  { model: 'm', effectiveFrom: '2000-01-01', input: 1, output: 2, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
  {
    model: 'big',
    effectiveFrom: '2000-01-01',
    input: 10,
    output: 20,
    cacheWrite5m: 12.5,
    cacheWrite1h: 20,
    cacheRead: 1,
  },
]);

export function usage(partial: Partial<UsageRow> & { ts: number }): UsageRow {
  return {
    sessionId: 's1',
    model: 'm',
    speed: null,
    input: 0,
    output: 0,
    cache5m: 0,
    cache1h: 0,
    cacheCreation: 0,
    cacheRead: 0,
    isSidechain: false,
    ...partial,
  };
}

export const at = (iso: string) => Date.parse(iso);

/**
 * Rows (with their facts and sessions' metadata) indexed as analyticsOf indexes them: what the per-view functions
 * (dailySeries, efficiency, insights…) compute over.
 */
export function indexed(
  rows: readonly UsageRow[],
  opts: { facts?: SessionFacts[]; sessions?: SessionMeta[]; timeZone?: string; prices?: PriceTable } = {},
): IndexedUsage {
  return new AnalyticsIndex(opts.prices ?? PRICES, opts.timeZone ?? 'UTC').update(
    perSessionOf({ usage: rows, facts: opts.facts ?? [], sessions: opts.sessions ?? [] }),
  );
}
