import type { Turn } from '../../shared/protocol';
import type { PriceTable } from '../pricing/priceTable';
import { groupCost } from './sessionSummary';

/** What the store returns for one timeline entry (src/infra/sqlite/turnsReads.ts TimelineItem). */
export interface TimelineEntry
  extends Omit<Turn, 'kind' | 'tokens' | 'costUsd' | 'unpriced' | 'latencyMs' | 'hasError'> {
  kind: 'prompt' | 'response' | 'compaction';
  usage: {
    model: string | null;
    speed: string | null;
    ts: number | null;
    input: number;
    output: number;
    cache5m: number;
    cache1h: number;
    cacheCreation: number;
    cacheRead: number;
  }[];
  previousTs: number | null;
}

/**
 * A timeline entry as the Session detail view shows it: ledger tokens summed, priced per ledger row with the same
 * rules as the session totals (so the turns add up to the header), latency from the previous entry's timestamp.
 */
export function toTurn(e: TimelineEntry, prices: PriceTable): Turn {
  const { usage, previousTs, ...rest } = e;
  let tokens: Turn['tokens'] = null;
  let cost: number | null = null;
  let unpriced = false;
  for (const u of usage) {
    tokens ??= { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
    tokens.input += u.input;
    tokens.output += u.output;
    tokens.cacheWrite += u.cacheCreation;
    tokens.cacheRead += u.cacheRead;
    const c = groupCost(
      {
        sessionId: '',
        model: u.model,
        speed: u.speed,
        promptAbove: promptAbove(u, prices.thresholds()),
        slotMs: u.ts ?? 0,
        messages: 1,
        input: u.input,
        output: u.output,
        cache5m: u.cache5m,
        cache1h: u.cache1h,
        cacheCreation: u.cacheCreation,
        cacheRead: u.cacheRead,
        legacyCostUsd: null,
      },
      prices,
    );
    if (c === undefined) unpriced = true;
    else cost = (cost ?? 0) + c;
  }
  const latency =
    e.kind === 'response' && e.ts !== null && previousTs !== null && e.ts >= previousTs ? e.ts - previousTs : null;
  return {
    ...rest,
    tokens,
    costUsd: cost,
    unpriced,
    latencyMs: latency,
    hasError: e.toolCalls.some((t) => t.isError),
  };
}

/** The largest long-context threshold this request's prompt (input + cache write + cache read) exceeded, else 0. */
function promptAbove(u: { input: number; cacheCreation: number; cacheRead: number }, thresholds: readonly number[]) {
  const prompt = u.input + u.cacheCreation + u.cacheRead;
  let above = 0;
  for (const t of thresholds) if (prompt > t) above = t;
  return above;
}
