import * as z from 'zod';
import { MetricsRangeSchema, TimeZoneSchema } from './metricsReport';

/**
 * The privacy report (issue 12): the dashboard's Privacy view (`privacy/report`) and `cct privacy-report --json`.
 * Counts and rule names only — never a masked value.
 */
export const PrivacyReportParamsSchema = z.object({ range: MetricsRangeSchema, timeZone: TimeZoneSchema });
export type PrivacyReportParams = z.infer<typeof PrivacyReportParamsSchema>;

const count = z.number().int().nonnegative();
const LevelSchema = z.enum(['minimal', 'standard', 'strict']);

export const PrivacyReportSchema = z.object({
  range: MetricsRangeSchema,
  timeZone: z.string(),
  generatedAt: z.string(),
  /** The level and custom rules new text is masked with now (settings in the editor, --level/--rules in cct). */
  level: LevelSchema,
  customRules: z.array(
    z.object({ id: z.string(), category: z.string(), level: LevelSchema, kind: z.enum(['credential', 'pii']) }),
  ),
  /** Why the custom rules cannot be used (invalid or unsafe), or null. */
  customRulesError: z.string().nullable(),
  /** The last re-mask of the archive (meta remask_last); never: not once; unreadable: the record is damaged. */
  remask: z.discriminatedUnion('state', [
    z.object({ state: z.literal('never') }),
    z.object({ state: z.literal('unreadable') }),
    z.object({ state: z.literal('done'), at: z.string(), level: z.string(), rulesHash: z.string() }),
  ]),
  totals: z.object({ findings: count, sessions: count, categories: count }),
  /** Per category, most findings first; kind from the rule catalogue (custom categories: their rule's kind). */
  byCategory: z.array(z.object({ category: z.string(), kind: z.enum(['credential', 'pii']), findings: count })),
  /**
   * Per rule, most findings first. ruleId null: findings stored before rules were recorded (schema v9), counted
   * under their category only.
   */
  byRule: z.array(
    z.object({ ruleId: z.string().nullable(), category: z.string(), custom: z.boolean(), findings: count }),
  ),
  /** Findings over time: local days (ranges up to 90 days) or weeks starting Monday ("all"), oldest first. */
  overTime: z.object({
    unit: z.enum(['day', 'week']),
    buckets: z.array(z.string()),
    rows: z.array(z.object({ bucket: z.string(), category: z.string(), findings: count })),
    /** Findings in rows without any time (only in "all"). */
    undated: count,
  }),
  topSessions: z.array(
    z.object({
      sessionId: z.string(),
      projectPath: z.string().nullable(),
      title: z.string().nullable(),
      lastTs: z.number().nullable(),
      findings: count,
      categories: z.record(z.string(), count),
    }),
  ),
});
export type PrivacyReport = z.infer<typeof PrivacyReportSchema>;
