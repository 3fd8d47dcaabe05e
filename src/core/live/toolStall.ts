/**
 * "Stalled": a tool call running far longer than that tool usually takes. The usual duration of each tool comes
 * from the user's own history (the store's tool calls); a tool with little history gets a fixed allowance.
 */

/** How long one tool usually runs, from its past calls. */
export interface UsualDuration {
  samples: number;
  medianMs: number;
  p90Ms: number;
}

export type UsualDurations = ReadonlyMap<string, UsualDuration>;

/** A tool call that has started and has no result yet. */
export interface RunningTool {
  name: string;
  startedAt: number;
}

export interface StalledFlag {
  tool: string;
  /** Minutes since the session last wrote anything (the call's start or a later transcript line). */
  quietMinutes: number;
  /** How long the call has run, and how long it was allowed to before counting as stalled. */
  runningMs: number;
  thresholdMs: number;
}

export const STALL_RULE = {
  /** Fewer past calls than this: the tool's history says too little, the fixed allowance applies. */
  minSamples: 10,
  /** Stalled past this multiple of the tool's 90th percentile… */
  p90Factor: 3,
  /** …and never sooner than this (a 2-second tool is not stalled after 6 seconds). */
  floorMs: 5 * 60_000,
  /** The allowance for a tool without enough history. */
  noHistoryMs: 15 * 60_000,
} as const;

/** Median and 90th percentile (nearest rank) per tool, from past call durations (negative ones are skipped). */
export function usualDurations(rows: Iterable<{ name: string; durationMs: number }>): Map<string, UsualDuration> {
  const byTool = new Map<string, number[]>();
  for (const r of rows) {
    if (!(r.durationMs >= 0) || !r.name) continue;
    const list = byTool.get(r.name) ?? [];
    if (list.length === 0) byTool.set(r.name, list);
    list.push(r.durationMs);
  }
  const out = new Map<string, UsualDuration>();
  for (const [name, d] of byTool) {
    d.sort((a, b) => a - b);
    const rank = (q: number) => d[Math.min(d.length - 1, Math.max(0, Math.ceil(q * d.length) - 1))]!;
    out.set(name, { samples: d.length, medianMs: rank(0.5), p90Ms: rank(0.9) });
  }
  return out;
}

/** How long a call of this tool may run before it counts as stalled. */
export function stallThresholdMs(tool: string, usual: UsualDurations): number {
  const u = usual.get(tool);
  if (!u || u.samples < STALL_RULE.minSamples) return STALL_RULE.noHistoryMs;
  return Math.max(STALL_RULE.floorMs, STALL_RULE.p90Factor * u.p90Ms);
}

/** The stalled flag of a working session, or undefined when its running call is within what the tool usually takes. */
export function stalledFlag(
  running: RunningTool | undefined,
  lastActivity: number | undefined,
  usual: UsualDurations,
  now: number,
): StalledFlag | undefined {
  if (!running) return undefined;
  const runningMs = now - running.startedAt;
  const thresholdMs = stallThresholdMs(running.name, usual);
  if (runningMs < thresholdMs) return undefined;
  const quietSince = Math.max(running.startedAt, lastActivity ?? 0);
  return { tool: running.name, quietMinutes: Math.floor((now - quietSince) / 60_000), runningMs, thresholdMs };
}

/** When a running call will cross its threshold (a one-shot timer, no polling). */
export function stallsAt(running: RunningTool, usual: UsualDurations): number {
  return running.startedAt + stallThresholdMs(running.name, usual);
}
