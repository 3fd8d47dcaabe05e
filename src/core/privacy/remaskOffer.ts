import { type Level, levelRank } from './rule';

export interface MaskingSettings {
  level: Level;
  customRules: readonly unknown[];
}

/**
 * Whether a settings change can mask more than what the archive was stored under: the level went up, or a custom
 * rule appeared (or changed, which may widen it). A lowered level or a removed rule cannot mask more: no offer.
 */
export function shouldOfferRemask(before: MaskingSettings, after: MaskingSettings): boolean {
  if (levelRank(after.level) > levelRank(before.level)) return true;
  const known = new Set(before.customRules.map((r) => JSON.stringify(r)));
  return after.customRules.some((r) => !known.has(JSON.stringify(r)));
}
