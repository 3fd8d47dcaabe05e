import * as z from 'zod';
import type { MetricsRange } from '../../shared/protocol/metricsReport';
import type { PrivacyReport } from '../../shared/protocol/privacyReport';
import { addDays, rangeStartMs } from '../metrics/metricsRange';
import { LocalCalendar } from '../reports/timeBuckets';
import { compileCustomRules } from './customRules';
import type { PrivacyReportRows } from './privacyReportRows';
import type { Level } from './rule';
import { BUILTIN_RULES, categoryKind } from './rules';
import { validateCustomRules } from './validateCustomRules';

export { rangeStartMs as privacyRangeStartMs };

/** meta remask_last as the re-mask writes it (issue 12). */
const RemaskLastSchema = z.object({
  at: z.string().max(64),
  level: z.string().max(32),
  rulesHash: z.string().max(200),
});

/** Rule ids the guard reports that are not rules of the catalogue: the key-aware JSON pass and fail-closed texts. */
const BUILTIN_IDS = new Set([...BUILTIN_RULES.map((r) => r.id), 'json-key-value', 'watchdog', 'time-budget']);

/**
 * The privacy report of a range from the store's counts, with the masking configuration in force now. Pure: the
 * same rows, configuration, zone and `now` give the same report.
 */
export function buildPrivacyReport(
  rows: PrivacyReportRows,
  opts: { level: Level; customRules: unknown[]; range: MetricsRange; timeZone: string; nowMs: number },
): PrivacyReport {
  const cal = new LocalCalendar(opts.timeZone);
  const weekly = opts.range === 'all';
  const bucketOf = (ms: number) => cal.bucket(ms, weekly ? 'weekly' : 'daily');

  // Rule by rule, as the extension applies settings: one bad rule does not disable the others.
  const { valid, errors } = validateCustomRules(opts.customRules);
  const customRules: PrivacyReport['customRules'] = compileCustomRules(valid).map((r) => ({
    id: r.id,
    category: r.category,
    level: r.level,
    kind: r.kind,
  }));
  const customRulesError = errors.length ? errors.join('; ').slice(0, 2000) : null;
  const customKind = new Map(customRules.map((r) => [r.category, r.kind]));
  const kindOf = (category: string) => customKind.get(category) ?? categoryKind(category);

  const byCategory = new Map<string, number>();
  const overTime = new Map<string, { bucket: string; category: string; findings: number }>();
  let undated = 0;
  let first: number | undefined;
  for (const s of rows.slots) {
    byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + s.findings);
    if (s.slotMs === null) {
      undated += s.findings;
      continue;
    }
    if (first === undefined || s.slotMs < first) first = s.slotMs;
    const bucket = bucketOf(s.slotMs);
    const key = `${bucket}\u0000${s.category}`;
    const row = overTime.get(key) ?? { bucket, category: s.category, findings: 0 };
    row.findings += s.findings;
    overTime.set(key, row);
  }

  // Buckets: every day (or week) of the range, so quiet days show as zero rather than vanish.
  const since = rangeStartMs(opts.range, cal, opts.nowMs);
  const startMs = since ?? first ?? opts.nowMs;
  const buckets: string[] = [];
  const last = bucketOf(opts.nowMs);
  for (let d = bucketOf(startMs); d <= last && buckets.length < 10_000; d = addDays(d, weekly ? 7 : 1)) buckets.push(d);
  for (const r of overTime.values()) if (!buckets.includes(r.bucket)) buckets.push(r.bucket);
  buckets.sort();

  const byRule: PrivacyReport['byRule'] = rows.rules.map((r) => ({
    ruleId: r.ruleId,
    category: r.category,
    custom: r.ruleId.startsWith('custom:') || !BUILTIN_IDS.has(r.ruleId),
    findings: r.findings,
  }));
  // Findings stored before rules were recorded: the category's count not explained by any rule.
  const perRule = new Map<string, number>();
  for (const r of rows.rules) perRule.set(r.category, (perRule.get(r.category) ?? 0) + r.findings);
  for (const [category, n] of byCategory) {
    const rest = n - (perRule.get(category) ?? 0);
    if (rest > 0) byRule.push({ ruleId: null, category, custom: false, findings: rest });
  }
  byRule.sort(
    (a, b) =>
      b.findings - a.findings || a.category.localeCompare(b.category) || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''),
  );

  let remask: PrivacyReport['remask'] = { state: 'never' };
  if (rows.remaskLast !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rows.remaskLast);
    } catch {
      parsed = undefined;
    }
    const r = RemaskLastSchema.safeParse(parsed);
    remask = r.success ? { state: 'done', ...r.data } : { state: 'unreadable' };
  }

  const categories = [...byCategory.entries()]
    .map(([category, findings]) => ({ category, kind: kindOf(category), findings }))
    .sort((a, b) => b.findings - a.findings || a.category.localeCompare(b.category));
  return {
    range: opts.range,
    timeZone: opts.timeZone,
    generatedAt: new Date(opts.nowMs).toISOString(),
    level: opts.level,
    customRules,
    customRulesError,
    remask,
    totals: {
      findings: categories.reduce((n, c) => n + c.findings, 0),
      sessions: rows.topSessionsTotal,
      categories: categories.length,
    },
    byCategory: categories,
    byRule,
    overTime: {
      unit: weekly ? 'week' : 'day',
      buckets,
      rows: [...overTime.values()].sort(
        (a, b) => a.bucket.localeCompare(b.bucket) || a.category.localeCompare(b.category),
      ),
      undated,
    },
    topSessions: rows.topSessions,
  };
}
