import * as z from 'zod';

/**
 * The Metrics view's data (`metrics/get`): everything one range needs, computed on the host from store aggregates
 * (src/infra/sqlite/metricsReads.ts → src/core/metrics/buildMetrics.ts). Costs are API-equivalent USD; null means
 * unpriced (a model without a price), never $0.
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

export const MetricsParamsSchema = z.object({ range: MetricsRangeSchema, timeZone: TimeZoneSchema });
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

export const MetricsReportSchema = z.object({
  range: MetricsRangeSchema,
  timeZone: z.string(),
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
  /** Per tool: calls, calls with a result, errors; most calls first. */
  tools: z.array(
    z.object({ tool: z.string(), calls: count, withResult: count, errors: count, errorRate: z.number().nullable() }),
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
    }),
  ),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;
