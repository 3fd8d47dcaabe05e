import type { PriceTable } from '../pricing/priceTable';
import type { Masked } from '../privacy/masker';
import { priceGroups, type TokenTotals, type UsageGroupLike } from './sessionSummary';

/** One archived session as the store returns it (masked text only). */
export interface SessionRecord {
  sessionId: string;
  projectPath: Masked | null;
  gitBranch: Masked | null;
  cliVersion: string | null;
  entrypoint: string | null;
  firstTs: number | null;
  lastTs: number | null;
  title: Masked | null;
  claudeCostUsd: number | null;
}

/** What listSessions needs from the store (Store implements it). */
export interface SessionQueryPort {
  sessions(filter?: { sinceMs?: number; project?: string }): SessionRecord[];
  usageGroups(filter?: { thresholds?: readonly number[]; slotMs?: number }): UsageGroupLike[];
  promptCounts(): Map<string, number>;
  toolCounts(): Map<string, Record<string, number>>;
}

/** The `cct sessions --json` element: a contract read by tests and the benchmark (add fields, never rename). */
export interface SessionSummaryJson {
  sessionId: string;
  projectPath: Masked | null;
  gitBranch: Masked | null;
  title: Masked | null;
  cliVersion: string | null;
  entrypoint: string | null;
  startTime: string | null;
  endTime: string | null;
  status: 'active' | 'idle';
  userPrompts: number;
  apiMessages: number;
  toolCalls: Record<string, number>;
  tokens: TokenTotals;
  cacheCreation5m: number;
  cacheCreation1h: number;
  /** API-equivalent cost from our price table; null when no model could be priced. */
  costUsd: number | null;
  /** Claude Code's own figure: last cost-state (cumulative), else the sum of legacy per-line costUSD. */
  claudeCostUsd: number | null;
  models: string[];
  unpricedModels: string[];
}

/** A session counts as active while it wrote something in the last few minutes. */
const ACTIVE_MS = 5 * 60_000;

export function listSessions(
  store: SessionQueryPort,
  prices: PriceTable,
  filter: { sinceMs?: number; project?: string } = {},
  now = Date.now(),
): SessionSummaryJson[] {
  const sessions = store.sessions(filter);
  const groups = new Map<string, UsageGroupLike[]>();
  // Daily slots: prices change by date at most, so per-day groups price exactly and are far fewer.
  for (const g of store.usageGroups({ thresholds: prices.thresholds(), slotMs: 86_400_000 })) {
    const list = groups.get(g.sessionId);
    if (list) list.push(g);
    else groups.set(g.sessionId, [g]);
  }
  const prompts = store.promptCounts();
  const tools = store.toolCounts();
  return sessions.map((s) => {
    const p = priceGroups(groups.get(s.sessionId) ?? [], prices);
    return {
      sessionId: s.sessionId,
      projectPath: s.projectPath,
      gitBranch: s.gitBranch,
      title: s.title,
      cliVersion: s.cliVersion,
      entrypoint: s.entrypoint,
      startTime: s.firstTs === null ? null : new Date(s.firstTs).toISOString(),
      endTime: s.lastTs === null ? null : new Date(s.lastTs).toISOString(),
      status: s.lastTs !== null && now - s.lastTs < ACTIVE_MS ? 'active' : 'idle',
      userPrompts: prompts.get(s.sessionId) ?? 0,
      apiMessages: p.apiMessages,
      toolCalls: tools.get(s.sessionId) ?? {},
      tokens: p.tokens,
      cacheCreation5m: p.cache5m,
      cacheCreation1h: p.cache1h,
      costUsd: p.costUsd,
      claudeCostUsd: s.claudeCostUsd ?? p.legacyCostUsd,
      models: p.models,
      unpricedModels: p.unpricedModels,
    };
  });
}
