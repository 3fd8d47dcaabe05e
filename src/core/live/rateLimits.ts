import * as z from 'zod';

/**
 * The part of Claude Code's statusLine stdin JSON the limits item reads. `rate_limits` is sent to Pro/Max logins
 * only, after the first response; `resets_at` is epoch seconds. Unknown fields pass.
 */
const Window = z.looseObject({ used_percentage: z.number().min(0), resets_at: z.number().optional() });
export const StatusLinePayloadSchema = z.looseObject({
  session_id: z.string().optional(),
  rate_limits: z.looseObject({ five_hour: Window.optional(), seven_day: Window.optional() }).optional(),
  cost: z.looseObject({ total_cost_usd: z.number().optional() }).optional(),
});

export interface LimitWindow {
  usedPercent: number;
  /** ms since epoch */
  resetsAt: number | undefined;
}

/** Official limits as Claude Code last reported them through the bridge. */
export interface OfficialLimits {
  source: 'official';
  fiveHour: LimitWindow | undefined;
  sevenDay: LimitWindow | undefined;
  /** When the bridge wrote the line (the spool file's mtime for the last line), ms. */
  observedAt: number;
}

/** Official figures older than this are shown as possibly out of date (the limits item, the Metrics view). */
export const OFFICIAL_LIMITS_STALE_MS = 10 * 60_000;

/** The newest spool line that carries rate limits, or undefined. Lines that do not parse are skipped. */
export function latestOfficialLimits(spoolLines: readonly string[], observedAt: number): OfficialLimits | undefined {
  for (let i = spoolLines.length - 1; i >= 0; i--) {
    const line = spoolLines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const p = StatusLinePayloadSchema.safeParse(value);
    const rl = p.success ? p.data.rate_limits : undefined;
    if (!rl || (!rl.five_hour && !rl.seven_day)) continue;
    const win = (w: z.infer<typeof Window> | undefined): LimitWindow | undefined =>
      w && { usedPercent: w.used_percentage, resetsAt: w.resets_at === undefined ? undefined : w.resets_at * 1000 };
    return { source: 'official', fiveHour: win(rl.five_hour), sevenDay: win(rl.seven_day), observedAt };
  }
  return undefined;
}
