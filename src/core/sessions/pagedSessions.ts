import type { Masked } from '../privacy/masker';
import type { SessionSummaryJson } from './listSessions';

/** The figures of one session as the store's paged query returns them (src/infra/sqlite/sessionsQuery.ts). */
export interface SessionStatsRow {
  sessionId: string;
  projectPath: string | null;
  title: string | null;
  gitBranch: string | null;
  cliVersion: string | null;
  entrypoint: string | null;
  startMs: number | null;
  endMs: number | null;
  /** Claude Code's own figure: its last cost-state, else the sum of legacy per-line costUSD. */
  claudeCostUsd: number | null;
  turns: number;
  apiMessages: number;
  tokens: { input: number; output: number; cacheWrite: number; cacheRead: number };
  /** Cache writes by lifetime (5-minute and 1-hour), part of tokens.cacheWrite. */
  cache5m: number;
  cache1h: number;
  costUsd: number | null;
  unpricedModels: string[];
  models: string[];
  live: boolean;
}

/**
 * A paged row as the `cct sessions --json` element, the same contract listSessions builds from the whole ledger (the
 * stored figures were priced with the built-in table after the last scan; `toolCalls` comes with the page).
 */
export function summaryOfRow(r: SessionStatsRow, toolCalls: Record<string, number>): SessionSummaryJson {
  return {
    sessionId: r.sessionId,
    projectPath: r.projectPath as Masked | null,
    gitBranch: r.gitBranch as Masked | null,
    title: r.title as Masked | null,
    cliVersion: r.cliVersion,
    entrypoint: r.entrypoint,
    startTime: r.startMs === null ? null : new Date(r.startMs).toISOString(),
    endTime: r.endMs === null ? null : new Date(r.endMs).toISOString(),
    status: r.live ? 'active' : 'idle',
    userPrompts: r.turns,
    apiMessages: r.apiMessages,
    toolCalls,
    tokens: {
      input: r.tokens.input,
      output: r.tokens.output,
      cacheCreation: r.tokens.cacheWrite,
      cacheRead: r.tokens.cacheRead,
    },
    cacheCreation5m: r.cache5m,
    cacheCreation1h: r.cache1h,
    costUsd: r.costUsd,
    claudeCostUsd: r.claudeCostUsd,
    models: r.models,
    unpricedModels: r.unpricedModels,
  };
}
