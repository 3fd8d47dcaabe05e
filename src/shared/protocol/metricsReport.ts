import * as z from 'zod';
import { CostAnomalyMessageSchema, InsightMessageSchema } from '../analyticsMessages';

/**
 * The Metrics view's data (`metrics/get`): everything one range needs, computed on the host by analytics
 * (src/core/analytics computeAnalytics → src/core/metrics/metricsReport.ts). Costs are API-equivalent USD; null
 * means unpriced (a model without a price), never $0.
 */
export const METRICS_RANGES = ['7d', '30d', '90d', 'all'] as const;
export const MetricsRangeSchema = z.enum(METRICS_RANGES);
export type MetricsRange = z.infer<typeof MetricsRangeSchema>;

/** IANA zone names: letters, digits, '/', '_', '+', '-' (validated again with Intl on the host). */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9/_+-]+$/);

/**
 * Whose usage the Metrics view computes: this machine's store (local), the user's rows synced from every machine
 * (mine), or every row a team owner/admin may read (team): the same scopes as Search, read from Supabase under RLS.
 */
export const MetricsScopeSchema = z.enum(['local', 'mine', 'team']);
export type MetricsScope = z.infer<typeof MetricsScopeSchema>;

/**
 * timeZone: the webview's own zone, used when the `claudeTracer.analytics.timeZone` setting is empty (the system's);
 * a zone set there wins. scope: 'local' when absent.
 */
export const MetricsParamsSchema = z.object({
  range: MetricsRangeSchema,
  timeZone: TimeZoneSchema,
  scope: MetricsScopeSchema.optional(),
});
export type MetricsParams = z.infer<typeof MetricsParamsSchema>;

const count = z.number().int().nonnegative();
const usd = z.number().nullable();

export const TokenSplitSchema = z.object({
  input: count,
  output: count,
  cacheCreation: count,
  cacheRead: count,
  total: count,
});

/** Session length buckets, upper bounds exclusive; labels are localized in the webview. */
export const SESSION_LENGTH_BUCKETS = ['lt5m', '5to15m', '15to30m', '30to60m', '1to2h', '2to4h', 'ge4h'] as const;
export const SessionLengthBucketSchema = z.enum(SESSION_LENGTH_BUCKETS);
export type SessionLengthBucket = z.infer<typeof SessionLengthBucketSchema>;

/** Session ids a topic, insight or pull request lists at most (the rest are counted, not listed). */
export const MAX_LISTED_SESSIONS = 50;

const severity = z.enum(['high', 'medium', 'low']);

/** One 5-hour billing block (an estimate from local transcripts: Anthropic's own window may differ). */
export const BillingBlockSchema = z.object({
  startMs: z.number().int(),
  endMs: z.number().int(),
  firstMs: z.number().int(),
  lastMs: z.number().int(),
  active: z.boolean(),
  apiMessages: count,
  totalTokens: count,
  costUsd: usd,
  sessions: count,
  models: z.array(z.string()),
  /** Over first → last message (active block: first message → now); null without a duration. */
  burnCostPerHour: z.number().nullable(),
  burnTokensPerMinute: z.number().nullable(),
  /** Active block only: its cost and tokens at the end of the block if the burn rate holds. */
  projectedCostUsd: z.number().nullable(),
  projectedTokens: z.number().nullable(),
  remainingMinutes: z.number().nullable(),
});
export type BillingBlockDto = z.infer<typeof BillingBlockSchema>;

/** One window of Claude Code's official rate limits (Status Line Bridge): percent used, reset time (null: not sent). */
export const OfficialLimitWindowSchema = z.object({
  usedPercent: z.number().min(0),
  resetsAtMs: z.number().int().nullable(),
});

/**
 * Claude Code's official rate limits as its status line last reported them (the limits item's source), sent beside
 * the block estimate; null without bridge data. stale: older than the limits item's 10 minutes (shown as out of date).
 */
export const OfficialLimitsSchema = z.object({
  observedAtMs: z.number().int(),
  stale: z.boolean(),
  fiveHour: OfficialLimitWindowSchema.nullable(),
  sevenDay: OfficialLimitWindowSchema.nullable(),
  /** The limits item's warning and error thresholds (claudeTracer.limits.*Percent): the same colours in the view. */
  warnPercent: z.number().min(0).max(100),
  errorPercent: z.number().min(0).max(100),
});
export type OfficialLimitsDto = z.infer<typeof OfficialLimitsSchema>;

export const MetricsReportSchema = z.object({
  range: MetricsRangeSchema,
  /**
   * Which source answered: its scope, and what that source cannot tell (English; synced rows carry no tool results,
   * for one), also part of efficiency.notComputed.
   */
  source: z.object({ scope: MetricsScopeSchema, notComputed: z.array(z.string()) }),
  timeZone: z.string(),
  /** The first day of a week (0 = Sunday), from the `claudeTracer.analytics.weekStartsOn` setting. */
  weekStartsOn: z.number().int().min(0).max(6),
  /** Local dates (YYYY-MM-DD) covered, oldest first; every day of the range, also days without usage. */
  days: z.array(z.string()),
  generatedAt: z.string(),
  totals: z.object({
    sessions: count,
    apiMessages: count,
    tokens: TokenSplitSchema,
    costUsd: usd,
    /** Models with usage but no price: their cost is missing from costUsd. */
    unpricedModels: z.array(z.string()),
  }),
  /** Models with usage in the range, most tokens first (the stacking order). */
  models: z.array(z.string()),
  /** One row per local day and model with usage. */
  daily: z.array(z.object({ date: z.string(), model: z.string(), apiMessages: count, tokens: count, costUsd: usd })),
  /** Per project path (masked), most expensive first. */
  projects: z.array(
    z.object({ project: z.string(), sessions: count, apiMessages: count, tokens: count, costUsd: usd }),
  ),
  cache: z.object({
    /** cache read ÷ (input + cache read + cache write); null without prompt tokens. */
    hitRatio: z.number().nullable(),
    input: count,
    cacheRead: count,
    cacheCreation: count,
    /** What cache reads saved over paying plain input for the same tokens (priced models only). */
    readSavedUsd: z.number(),
    /** The extra paid to write the cache, over plain input. */
    writePremiumUsd: z.number(),
    netSavedUsd: z.number(),
    daily: z.array(
      z.object({ date: z.string(), input: count, cacheRead: count, cacheCreation: count, netSavedUsd: z.number() }),
    ),
  }),
  /** Per tool: calls, calls with a result, errors, retries (same input again after an error); most calls first. */
  tools: z.array(
    z.object({
      tool: z.string(),
      calls: count,
      withResult: count,
      errors: count,
      errorRate: z.number().nullable(),
      retries: count,
    }),
  ),
  /** Sessions active in the range by duration (first to last message). */
  sessionLengths: z.array(z.object({ bucket: SessionLengthBucketSchema, sessions: count })),
  /** 7 × 24 cells, weekday 0 = Sunday, local hours of the time zone. */
  heatmap: z.array(
    z.object({
      weekday: z.number().int().min(0).max(6),
      hour: z.number().int().min(0).max(23),
      apiMessages: count,
      tokens: count,
      costUsd: z.number(),
    }),
  ),
  /** The active 5-hour block (null when none runs now) and the latest blocks, newest first. */
  blocks: z.object({ active: BillingBlockSchema.nullable(), recent: z.array(BillingBlockSchema) }),
  /** Official rate limits next to the block estimate (labelled apart); null without bridge data or for a team. */
  officialLimits: OfficialLimitsSchema.nullable(),
  efficiency: z.object({
    userPrompts: count,
    tokensPerPrompt: z.number().nullable(),
    costPerPrompt: z.number().nullable(),
    tokensPerSession: z.number().nullable(),
    costPerSession: z.number().nullable(),
    medianCostPerSession: z.number().nullable(),
    outputPerInput: z.number().nullable(),
    toolCallsPerTurn: z.number().nullable(),
    retries: count,
    subagentCostShare: z.number().nullable(),
    subagentCostUsd: z.number(),
    medianFirstResponseMs: z.number().nullable(),
    /** Turns (prompt → last API message before the next prompt) with times, their median and 90th percentile. */
    timedTurns: count,
    medianTurnMs: z.number().nullable(),
    p90TurnMs: z.number().nullable(),
    /**
     * Sessions that hit compaction (at least one main-thread boundary), their share of the sessions, all compactions,
     * and those sessions' cost and share of cost; null where the source has no compaction rows (listed in notComputed).
     */
    compactionSessions: count.nullable(),
    compactionSessionShare: z.number().nullable(),
    compactions: count.nullable(),
    compactionCostUsd: z.number().nullable(),
    compactionCostShare: z.number().nullable(),
    /** What analytics cannot tell yet, in its own words (English), so a missing figure is not read as zero. */
    notComputed: z.array(z.string()),
  }),
  /** Daily cost with trailing 7- and 28-day means (null until that much history in the range) and anomalies. */
  series: z.object({
    daily: z.array(
      z.object({
        date: z.string(),
        costUsd: z.number(),
        totalTokens: count,
        apiMessages: count,
        sessions: count,
        rolling7CostUsd: z.number().nullable(),
        rolling28CostUsd: z.number().nullable(),
        anomaly: z.boolean(),
      }),
    ),
    anomalies: z.array(
      z
        .object({
          date: z.string(),
          costUsd: z.number(),
          baselineCostUsd: z.number(),
          thresholdUsd: z.number(),
          /** The day's cost ÷ its baseline; null when the baseline is $0. */
          ratio: z.number().nullable(),
          /** One line, in English (analytics writes it); the view shows messageId and params in its language. */
          explanation: z.string(),
          sessionIds: z.array(z.string()),
          project: z.string().nullable(),
        })
        .extend(CostAnomalyMessageSchema.shape),
    ),
    weekly: z.array(
      z.object({
        week: z.string(),
        costUsd: z.number(),
        totalTokens: count,
        changeVsPreviousWeek: z.number().nullable(),
      }),
    ),
  }),
  /** Sessions grouped by what they were about; null when there were no topic documents. */
  topics: z
    .object({
      k: count,
      silhouette: z.number().nullable(),
      unclustered: count,
      items: z.array(
        z.object({
          label: z.string(),
          terms: z.array(z.string()),
          sessions: count,
          /** The most expensive of its sessions (at most MAX_LISTED_SESSIONS), for the list a click opens. */
          sessionIds: z.array(z.string()),
          costUsd: usd,
          minutes: z.number(),
        }),
      ),
    })
    .nullable(),
  /** Ranked findings (most severe first), each with the sessions and numbers it rests on. */
  insights: z.array(
    z
      .object({
        kind: z.enum([
          'expensive_session',
          'failing_tool',
          'unpriced_model',
          'cache_ratio_drop',
          'cost_anomaly',
          'repeated_compaction',
        ]),
        severity,
        /** In English (analytics writes it); the view shows messageId and params in its language. */
        message: z.string(),
        sessionIds: z.array(z.string()),
        numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
      })
      .and(InsightMessageSchema),
  ),
  /** Cost per repository branch and per pull request (sessions with code context; a session counts in each PR). */
  codeContext: z.object({
    /** Sessions with usage in the range that have a repository. */
    sessions: count,
    branches: z.array(
      z.object({
        repo: z.string(),
        branch: z.string().nullable(),
        sessions: count,
        tokens: count,
        costUsd: usd,
      }),
    ),
    pullRequests: z.array(
      z.object({
        number: z.number().int(),
        title: z.string(),
        state: z.string(),
        url: z.string(),
        repo: z.string(),
        sessions: count,
        tokens: count,
        costUsd: usd,
        sessionIds: z.array(z.string()),
      }),
    ),
  }),
  /** Labels of the sessions that topics, insights and anomalies name (masked first prompt, project, start). */
  sessionLabels: z.record(
    z.string(),
    z.object({
      firstPrompt: z.string().nullable(),
      projectPath: z.string().nullable(),
      startMs: z.number().nullable(),
    }),
  ),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;
