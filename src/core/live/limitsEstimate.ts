import { type BillingBlock, billingBlocks } from '../analytics/billingBlocks';
import { priceUsage } from '../analytics/pricedUsage';
import type { UsageRow } from '../analytics/rows';
import type { PriceTable } from '../pricing/priceTable';

/**
 * The limits item's estimate: the current 5-hour block computed from local transcripts (billingBlocks). It is not
 * Claude's quota (usage outside these transcripts — other machines, claude.ai — counts there too), so it carries
 * no percentage, only what local use cost and how fast.
 */
export interface EstimatedLimits {
  source: 'estimate';
  /** The active block at `computedAt`, undefined when local transcripts show no use in a running block. */
  block: BillingBlock | undefined;
  /** When the estimate was computed from the store, ms. */
  computedAt: number;
}

/** The estimate from the ledger rows of the recent past (see recentUsageRows: back to a 5-hour gap). */
export function estimateLimits(rows: readonly UsageRow[], prices: PriceTable, now: number): EstimatedLimits {
  const block = billingBlocks(priceUsage(rows, prices), now).find((b) => b.active);
  return { source: 'estimate', block, computedAt: now };
}
