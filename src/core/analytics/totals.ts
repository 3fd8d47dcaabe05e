import type { CostedUsage } from './pricedUsage';
import { messagesOf, type UsageRow } from './rows';

/** Token, message and cost sums of a set of priced usage rows. */
export interface UsageTotals {
  apiMessages: number;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  totalTokens: number;
  /** Sum over priced rows; null when none was priced. */
  costUsd: number | null;
  /** Tokens of rows whose model has no price (their cost is missing from costUsd, not zero). */
  unpricedTokens: number;
}

export const emptyTotals = (): UsageTotals => ({
  apiMessages: 0,
  input: 0,
  output: 0,
  cacheCreation: 0,
  cacheRead: 0,
  totalTokens: 0,
  costUsd: null,
  unpricedTokens: 0,
});

export function addUsage(t: UsageTotals, p: CostedUsage): void {
  addRow(t, p.row, p.costUsd);
}

/** addUsage for a row and its cost held apart (undefined or NaN: unpriced). */
export function addRow(t: UsageTotals, r: UsageRow, cost: number | undefined): void {
  const tokens = r.input + r.output + r.cacheCreation + r.cacheRead;
  t.apiMessages += messagesOf(r);
  t.input += r.input;
  t.output += r.output;
  t.cacheCreation += r.cacheCreation;
  t.cacheRead += r.cacheRead;
  t.totalTokens += tokens;
  if (cost === undefined || Number.isNaN(cost)) t.unpricedTokens += tokens;
  else t.costUsd = (t.costUsd ?? 0) + cost;
}

export function sumUsage(rows: Iterable<CostedUsage>): UsageTotals {
  const t = emptyTotals();
  for (const p of rows) addUsage(t, p);
  return t;
}
