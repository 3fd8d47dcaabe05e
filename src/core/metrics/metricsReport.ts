import type { InsightMessage } from '../../shared/analyticsMessages';
import {
  type BillingBlockDto,
  MAX_LISTED_SESSIONS,
  type MetricsRange,
  type MetricsReport,
  type MetricsScope,
  type OfficialLimitsDto,
  SESSION_LENGTH_BUCKETS,
} from '../../shared/protocol/metricsReport';
import type { AnalyticsResult } from '../analytics/analytics';
import type { BillingBlock } from '../analytics/billingBlocks';
import { costByCodeContext, type SessionCodeContext } from '../analytics/codeContextCost';

/** How many of the latest 5-hour blocks the view lists. */
const RECENT_BLOCKS = 24;

export interface SessionLabel {
  firstPrompt: string | null;
  projectPath: string | null;
  startMs: number | null;
}

export interface MetricsContext {
  range: MetricsRange;
  nowMs: number;
  /** Code context per session (undefined: no repository known). */
  codeContextOf: (sessionId: string) => SessionCodeContext | undefined;
  /** Labels of the sessions referencedSessions named (read by the caller from its store). */
  labels: ReadonlyMap<string, SessionLabel>;
  /** Which source the analytics read and what it cannot tell; default this machine's store. */
  source?: { scope: MetricsScope; notComputed: readonly string[] };
  /** The official rate limits to show beside the block estimate (the caller's limits reader); default none. */
  officialLimits?: OfficialLimitsDto | null;
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** Most expensive first (analytics' bySession order), at most MAX_LISTED_SESSIONS. */
function listed(a: AnalyticsResult, ids: readonly string[]): string[] {
  const rank = sessionRank(a);
  return [...ids]
    .sort((x, y) => (rank.get(x) ?? Number.MAX_SAFE_INTEGER) - (rank.get(y) ?? Number.MAX_SAFE_INTEGER))
    .slice(0, MAX_LISTED_SESSIONS);
}

const ranks = new WeakMap<AnalyticsResult, Map<string, number>>();
function sessionRank(a: AnalyticsResult): Map<string, number> {
  let r = ranks.get(a);
  if (!r) {
    r = new Map(a.bySession.map((s, i) => [s.key, i]));
    ranks.set(a, r);
  }
  return r;
}

/** The session ids the report lists (topics, insights, anomalies): the caller reads their labels. */
export function referencedSessions(a: AnalyticsResult): string[] {
  const ids = new Set<string>();
  for (const t of a.topics?.topics ?? []) for (const id of listed(a, t.sessionIds)) ids.add(id);
  for (const i of a.insights) for (const id of listed(a, i.evidence.sessionIds)) ids.add(id);
  for (const x of a.anomalies) for (const id of listed(a, x.evidence.sessionIds)) ids.add(id);
  return [...ids];
}

function blockDto(b: BillingBlock): BillingBlockDto {
  return {
    startMs: b.startMs,
    endMs: b.endMs,
    firstMs: b.firstMs,
    lastMs: b.lastMs,
    active: b.active,
    apiMessages: b.apiMessages,
    totalTokens: b.totalTokens,
    costUsd: b.costUsd,
    sessions: b.sessions,
    models: b.models,
    burnCostPerHour: b.burn?.costPerHour ?? null,
    burnTokensPerMinute: b.burn?.tokensPerMinute ?? null,
    projectedCostUsd: b.projection?.costUsd ?? null,
    projectedTokens: b.projection?.totalTokens ?? null,
    remainingMinutes: b.projection?.remainingMinutes ?? null,
  };
}

/**
 * The Metrics view's DTO, made from analytics' output only (no bucketing of its own): every number here is one
 * analytics computed, reshaped for the view and bounded in size (long session lists are capped, not shipped whole).
 */
export function metricsReport(a: AnalyticsResult, ctx: MetricsContext): MetricsReport {
  const days = a.daily.map((d) => d.date);
  const inRange = new Set(days);
  const cacheByDay = new Map<string, MetricsReport['cache']['daily'][number]>();
  for (const d of a.dailyByModel) {
    if (!inRange.has(d.date)) continue;
    const c = cacheByDay.get(d.date) ?? { date: d.date, input: 0, cacheRead: 0, cacheCreation: 0, netSavedUsd: 0 };
    c.input += d.input;
    c.cacheRead += d.cacheRead;
    c.cacheCreation += d.cacheCreation;
    c.netSavedUsd += d.cacheNetSavedUsd;
    cacheByDay.set(d.date, c);
  }
  const e = a.efficiency;
  const anomalyDates = new Set(a.anomalies.map((x) => x.date));
  const code = costByCodeContext(a.bySession, ctx.codeContextOf);
  const labels: MetricsReport['sessionLabels'] = {};
  for (const [id, l] of ctx.labels) labels[id] = { ...l };
  return {
    range: ctx.range,
    source: { scope: ctx.source?.scope ?? 'local', notComputed: [...(ctx.source?.notComputed ?? [])] },
    timeZone: a.timeZone,
    weekStartsOn: a.weekStartsOn,
    days,
    generatedAt: new Date(ctx.nowMs).toISOString(),
    totals: {
      sessions: a.totals.sessions,
      apiMessages: a.totals.apiMessages,
      tokens: {
        input: a.totals.input,
        output: a.totals.output,
        cacheCreation: a.totals.cacheCreation,
        cacheRead: a.totals.cacheRead,
        total: a.totals.totalTokens,
      },
      costUsd: a.totals.costUsd,
      unpricedModels: a.byModel
        .filter((m) => m.unpricedTokens > 0)
        .map((m) => m.key)
        .sort(),
    },
    models: [...a.byModel]
      .sort((x, y) => y.totalTokens - x.totalTokens || x.key.localeCompare(y.key))
      .map((m) => m.key),
    daily: a.dailyByModel
      .filter((d) => inRange.has(d.date))
      .map((d) => ({
        date: d.date,
        model: d.model,
        apiMessages: d.apiMessages,
        tokens: d.totalTokens,
        costUsd: d.costUsd,
      })),
    projects: a.byProject.map((p) => ({
      project: p.key,
      sessions: p.sessions,
      apiMessages: p.apiMessages,
      tokens: p.totalTokens,
      costUsd: p.costUsd,
    })),
    cache: {
      hitRatio: e.cacheHitRatio,
      input: a.totals.input,
      cacheRead: a.totals.cacheRead,
      cacheCreation: a.totals.cacheCreation,
      readSavedUsd: e.cacheSavings.readSavedUsd,
      writePremiumUsd: e.cacheSavings.writePremiumUsd,
      netSavedUsd: e.cacheSavings.netSavedUsd,
      daily: [...cacheByDay.values()].sort((x, y) => x.date.localeCompare(y.date)),
    },
    tools: [...e.tools]
      .sort((x, y) => y.calls - x.calls || x.tool.localeCompare(y.tool))
      .map((t) => ({
        tool: t.tool,
        calls: t.calls,
        withResult: t.withResult,
        errors: t.errors,
        errorRate: t.errorRate,
        retries: t.retries,
      })),
    sessionLengths: SESSION_LENGTH_BUCKETS.map((bucket, i) => ({
      bucket,
      sessions: a.sessionLengths[i]?.sessions ?? 0,
    })),
    heatmap: a.heatmap.map((c) => ({
      weekday: c.weekday,
      hour: c.hour,
      apiMessages: c.apiMessages,
      tokens: c.totalTokens,
      costUsd: c.costUsd,
    })),
    blocks: {
      active: ((b) => (b ? blockDto(b) : null))(a.blocks.find((b) => b.active)),
      recent: a.blocks.slice(-RECENT_BLOCKS).reverse().map(blockDto),
    },
    officialLimits: ctx.officialLimits ?? null,
    efficiency: {
      userPrompts: e.userPrompts,
      tokensPerPrompt: e.tokensPerPrompt,
      costPerPrompt: e.costPerPrompt,
      tokensPerSession: e.tokensPerSession,
      costPerSession: e.costPerSession,
      medianCostPerSession: e.medianCostPerSession,
      outputPerInput: e.outputPerInput,
      toolCallsPerTurn: e.toolCallsPerTurn,
      retries: e.retries,
      subagentCostShare: e.subagentCostShare,
      subagentCostUsd: e.subagentCostUsd,
      medianFirstResponseMs: e.medianFirstResponseMs,
      timedTurns: e.timedTurns,
      medianTurnMs: e.medianTurnMs,
      p90TurnMs: e.p90TurnMs,
      compactionSessions: e.compaction?.sessions ?? null,
      compactionSessionShare: e.compaction?.shareOfSessions ?? null,
      compactions: e.compaction?.compactions ?? null,
      compactionCostUsd: e.compaction?.costUsd ?? null,
      compactionCostShare: e.compaction?.shareOfCost ?? null,
      notComputed: [...a.notComputed, ...e.notComputed],
    },
    series: {
      daily: a.daily.map((d) => ({ ...d, anomaly: anomalyDates.has(d.date) })),
      anomalies: a.anomalies.map((x) => ({
        date: x.date,
        costUsd: x.costUsd,
        baselineCostUsd: x.baselineCostUsd,
        thresholdUsd: x.thresholdUsd,
        ratio: finite(x.ratio),
        explanation: x.explanation,
        messageId: x.messageId,
        params: x.params,
        sessionIds: listed(a, x.evidence.sessionIds),
        project: x.evidence.project,
      })),
      weekly: a.weekly.map((w) => ({ ...w })),
    },
    topics: a.topics
      ? {
          k: a.topics.k,
          silhouette: a.topics.silhouette,
          unclustered: a.topics.unclustered.length,
          items: a.topics.topics.map((t) => ({
            label: t.label,
            terms: t.terms,
            sessions: t.sessionIds.length,
            sessionIds: listed(a, t.sessionIds),
            costUsd: t.costUsd,
            minutes: t.minutes,
          })),
        }
      : null,
    insights: a.insights.map((i) => ({
      kind: i.kind,
      severity: i.severity,
      message: i.message,
      ...({ messageId: i.messageId, params: i.params } as InsightMessage),
      sessionIds: listed(a, i.evidence.sessionIds),
      numbers: Object.fromEntries(
        Object.entries(i.evidence.numbers).map(([k, v]) => [k, typeof v === 'number' ? finite(v) : v]),
      ),
    })),
    codeContext: {
      sessions: code.sessions,
      branches: code.branches,
      pullRequests: code.pullRequests.map((p) => ({ ...p, sessionIds: listed(a, p.sessionIds) })),
    },
    sessionLabels: labels,
  };
}
