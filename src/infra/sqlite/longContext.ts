/**
 * Long-context pricing tiers. A request whose prompt (input + cache writes + cache reads) is larger than one of the
 * price table's thresholds is priced at that threshold's tier; the largest threshold it exceeds wins, and 0 means
 * the base tier. Both the SQL that groups the ledger and the per-message price of a synced interaction use this.
 */

/** The thresholds a price table lists, as tiers: whole positive token counts, largest first. */
export function longContextTiers(thresholds: readonly number[]): number[] {
  return thresholds.filter((t) => Number.isInteger(t) && t > 0).sort((a, b) => b - a);
}

/** An SQL expression over an `api_messages` row: the tier its prompt falls in. `tiers` from longContextTiers. */
export function longContextSql(tiers: readonly number[]): string {
  const prompt = '(input + cache_creation + cache_read)';
  return tiers.length ? `CASE ${tiers.map((t) => `WHEN ${prompt} > ${t} THEN ${t}`).join(' ')} ELSE 0 END` : '0';
}

/** The same tier in JS, for one message's prompt size. */
export function longContextOf(promptTokens: number, tiers: readonly number[]): number {
  return tiers.find((t) => promptTokens > t) ?? 0;
}
