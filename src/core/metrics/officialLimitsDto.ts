import type { OfficialLimitsDto } from '../../shared/protocol/metricsReport';
import { OFFICIAL_LIMITS_STALE_MS, type OfficialLimits } from '../live/rateLimits';

/**
 * The Metrics view's copy of the official rate limits the limits item read from the Status Line Bridge: null without
 * them, marked stale when older than the limits item's freshness window (so the view says "out of date" as it does).
 */
export function officialLimitsDto(
  o: OfficialLimits | undefined,
  nowMs: number,
  thresholds: { warnPercent: number; errorPercent: number } = { warnPercent: 75, errorPercent: 90 },
): OfficialLimitsDto | null {
  if (!o || (!o.fiveHour && !o.sevenDay)) return null;
  const win = (w: OfficialLimits['fiveHour']) =>
    w ? { usedPercent: w.usedPercent, resetsAtMs: w.resetsAt === undefined ? null : Math.round(w.resetsAt) } : null;
  return {
    observedAtMs: Math.round(o.observedAt),
    stale: nowMs - o.observedAt > OFFICIAL_LIMITS_STALE_MS,
    fiveHour: win(o.fiveHour),
    sevenDay: win(o.sevenDay),
    warnPercent: thresholds.warnPercent,
    errorPercent: thresholds.errorPercent,
  };
}
