import type { PriceTable } from '../pricing/priceTable';
import { groupCost, type UsageGroupLike } from '../sessions/sessionSummary';
import type { PeriodSpend } from './budgets';

/**
 * The API-equivalent spend of a period from the store's ledger groups (per session, model, speed, long-context
 * tier and slot), priced per group as every report prices them; and the session that spent most.
 */
export function periodSpend(groups: readonly UsageGroupLike[], prices: PriceTable): PeriodSpend {
  let costUsd = 0;
  let unpriced = false;
  const bySession = new Map<string, number>();
  for (const g of groups) {
    const c = groupCost(g, prices);
    if (c === undefined) {
      if (g.input + g.output + g.cacheCreation + g.cacheRead > 0) unpriced = true;
      continue;
    }
    costUsd += c;
    bySession.set(g.sessionId, (bySession.get(g.sessionId) ?? 0) + c);
  }
  let topSession: PeriodSpend['topSession'];
  for (const [sessionId, c] of bySession)
    if (!topSession || c > topSession.costUsd || (c === topSession.costUsd && sessionId < topSession.sessionId))
      topSession = { sessionId, costUsd: c };
  return { costUsd, unpriced, topSession };
}
