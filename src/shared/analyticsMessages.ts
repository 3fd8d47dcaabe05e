import * as z from 'zod';

/**
 * What an insight or a cost anomaly says, as data: a stable `messageId` and typed `params` (numbers, ids, names).
 * Core analytics writes them next to its English `message`; formatAnalyticsMessage (analyticsText.ts) turns them
 * into English or Japanese, so the dashboard and `cct insights` can speak the user's language.
 * Ratios that can be unbounded (a $0 baseline) are null, never Infinity: params cross JSON.
 */
const count = z.number().int().nonnegative();
const amount = z.number().nonnegative();

/** Why an expensive session cost what it did: one or more of these, in the order analytics found them. */
export const ExpensiveReasonSchema = z.discriminatedUnion('messageId', [
  z.object({
    messageId: z.literal('long_context_without_cache'),
    params: z.object({ promptTokensPerMessage: amount, cacheHitRatio: amount }),
  }),
  z.object({
    messageId: z.literal('tool_failed'),
    params: z.object({ tool: z.string(), errors: count, retries: count }),
  }),
  z.object({
    messageId: z.literal('pricier_model'),
    /** costRatio: the model's cost per token ÷ the project's usual model's; null when that one costs nothing. */
    params: z.object({ model: z.string(), usualModel: z.string(), costRatio: amount.nullable() }),
  }),
  z.object({
    messageId: z.literal('session_size'),
    params: z.object({ apiMessages: count, totalTokens: count }),
  }),
]);
export type ExpensiveReason = z.infer<typeof ExpensiveReasonSchema>;

/** A day whose cost is beyond median + k·MAD (timeSeries.ts costAnomalies); also the cost_anomaly insight's text. */
export const CostAnomalyMessageSchema = z.object({
  messageId: z.literal('cost_anomaly'),
  params: z.object({
    /** Local date YYYY-MM-DD. */
    date: z.string(),
    costUsd: amount,
    baselineCostUsd: amount,
    /** The day's cost ÷ its baseline; null when the baseline is $0. */
    ratio: amount.nullable(),
    /** Sessions of the project that made most of the day's cost. */
    sessions: count,
    /** That project (masked path); null for sessions without one. */
    project: z.string().nullable(),
    projectShare: amount,
    /** That project's tokens that day ÷ a usual day's tokens; null when a usual day has none. */
    tokenRatio: amount.nullable(),
  }),
});
export type CostAnomalyMessage = z.infer<typeof CostAnomalyMessageSchema>;

export const InsightMessageSchema = z.discriminatedUnion('messageId', [
  z.object({
    messageId: z.literal('expensive_session'),
    params: z.object({
      sessionId: z.string(),
      /** The project's last path segment; null for a session without a project. */
      project: z.string().nullable(),
      costUsd: amount,
      shareOfCost: amount,
      reasons: z.array(ExpensiveReasonSchema).min(1),
    }),
  }),
  z.object({
    messageId: z.literal('failing_tool'),
    params: z.object({
      tool: z.string(),
      errors: count,
      /** Calls that got a result (the error rate's denominator). */
      withResult: count,
      errorRate: amount,
      retries: count,
      sessions: count,
    }),
  }),
  z.object({
    messageId: z.literal('unpriced_model'),
    /** model: null for API messages without a model id. */
    params: z.object({ model: z.string().nullable(), tokens: count, sessions: count }),
  }),
  z.object({
    messageId: z.literal('cache_ratio_drop'),
    /** project: its last path segment; null for sessions without a project. */
    params: z.object({ project: z.string().nullable(), recentRatio: amount, previousRatio: amount }),
  }),
  CostAnomalyMessageSchema,
  z.object({
    messageId: z.literal('repeated_compaction'),
    params: z.object({
      /** Sessions compacted at least the threshold's times, their compactions, and the most in one session. */
      sessions: count,
      compactions: count,
      maxCompactions: count,
      /** The session compacted most, and its project's last path segment (null: none). */
      sessionId: z.string(),
      project: z.string().nullable(),
      /** Those sessions' share of all cost; null when nothing was priced. */
      shareOfCost: amount.nullable(),
    }),
  }),
]);
export type InsightMessage = z.infer<typeof InsightMessageSchema>;

/** Every message analytics can say: an insight's or anomaly's own, and an expensive session's reasons. */
export type AnalyticsMessage = InsightMessage | ExpensiveReason;
export type AnalyticsMessageId = AnalyticsMessage['messageId'];

export const INSIGHT_MESSAGE_IDS = InsightMessageSchema.options.map((o) => o.shape.messageId.value);
export const EXPENSIVE_REASON_IDS = ExpensiveReasonSchema.options.map((o) => o.shape.messageId.value);
/** The whole union, for tests that every message has every language. */
export const ANALYTICS_MESSAGE_IDS: readonly AnalyticsMessageId[] = [...INSIGHT_MESSAGE_IDS, ...EXPENSIVE_REASON_IDS];
