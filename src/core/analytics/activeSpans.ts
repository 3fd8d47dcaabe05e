import type { PricedUsage } from './pricedUsage';
import { lastTsOf, type SessionFacts } from './rows';

/**
 * Each session's active span: its first to its last prompt or API message. Usage may be rollup cells (first `ts` to
 * `lastTs`) and prompts come as the facts' spans, so rows and rollups give the same spans. `onTime` sees every
 * instant counted (usagePatterns collects the active local days from them).
 */
export function activeSpans(
  usage: readonly PricedUsage[],
  facts: readonly SessionFacts[],
  onTime?: (ts: number) => void,
): Map<string, [number, number]> {
  const span = new Map<string, [number, number]>();
  const touch = (sid: string, ts: number) => {
    onTime?.(ts);
    const s = span.get(sid);
    if (!s) span.set(sid, [ts, ts]);
    else {
      if (ts < s[0]) s[0] = ts;
      if (ts > s[1]) s[1] = ts;
    }
  };
  for (const p of usage) {
    touch(p.row.sessionId, p.row.ts);
    touch(p.row.sessionId, lastTsOf(p.row));
  }
  for (const f of facts)
    for (const s of f.promptSpans) {
      touch(f.sessionId, s.ts);
      touch(f.sessionId, s.lastTs);
    }
  return span;
}
