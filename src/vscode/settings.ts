import * as vscode from 'vscode';
import * as z from 'zod';
import type { Weekday } from '../core/reports/timeBuckets';

/** `claudeTracer.analytics.weekStartsOn` values, in Weekday order (0 = Sunday). */
export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** An IANA time zone Intl knows, or '' (the system's). */
const TimeZoneSetting = z
  .string()
  .trim()
  .refine((tz) => {
    if (tz === '') return true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  });

/** A budget amount: a non-negative number; empty (null) means no budget, like 0. */
const budgetUsd = z
  .number()
  .min(0)
  .nullable()
  .transform((v) => v ?? 0)
  .catch(0);

/** The `claudeTracer.*` settings, validated: a bad value falls back to its default and is reported. */
/** A price override: USD per million tokens; cache rates default to Anthropic's multiples of the input price. */
export const PriceOverrideSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative().optional(),
  cacheWrite1h: z.number().nonnegative().optional(),
  cacheRead: z.number().nonnegative().optional(),
});

export const SettingsSchema = z.object({
  /** Off: no live tracking, no automatic scans, nothing in the status bar (Pause / Resume Tracking toggle it). */
  trackingEnabled: z.boolean().catch(true),
  /** More Claude config folders (or `projects/` folders) to read, besides `~/.claude` and `$CLAUDE_CONFIG_DIR`. */
  extraRoots: z.array(z.string()).catch([]),
  /** Globs of project paths that are not tracked: their sessions are not ingested nor shown live. */
  trackingExcludeProjects: z.array(z.string()).catch([]),
  /** Model id → prices per million tokens, over the built-in table (a bad entry is dropped, the others apply). */
  priceOverrides: z
    .record(z.string().min(1), z.unknown())
    .catch({})
    .transform((r) => {
      const out: Record<string, z.infer<typeof PriceOverrideSchema>> = {};
      for (const [model, v] of Object.entries(r)) {
        const parsed = PriceOverrideSchema.safeParse(v);
        if (parsed.success) out[model] = parsed.data;
      }
      return out;
    }),
  statusBarEnabled: z.boolean().catch(true),
  /** The "sessions waiting for you" count item. */
  statusBarWaitingCount: z.boolean().catch(true),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).catch('info'),
  privacyLevel: z.enum(['minimal', 'standard', 'strict']).catch('standard'),
  /** Validated rule by rule later (validateCustomRules), so one bad rule does not drop the others. */
  customRules: z.array(z.unknown()).catch([]),
  retentionMaxAgeDays: z.number().min(0).catch(0),
  retentionMaxSizeMb: z.number().min(0).catch(0),
  /** An idle live session counts as abandoned after this many minutes (0: never). */
  abandonedAfterMinutes: z.number().min(0).catch(30),
  notifyWhenWaiting: z.boolean().catch(false),
  /** The program "Start Claude in Tracked Terminal" runs, and its extra arguments. */
  claudeCommand: z.string().min(1).catch('claude'),
  startClaudeArgs: z.array(z.string()).catch([]),
  limitsShow: z.boolean().catch(true),
  limitsWarnPercent: z.number().min(0).max(100).catch(75),
  limitsErrorPercent: z.number().min(0).max(100).catch(90),
  /** USD per local day / month of API-equivalent spend; 0 or empty: no budget. */
  budgetDailyUsd: budgetUsd,
  budgetMonthlyUsd: budgetUsd,
  /** Percentages of a budget that notify, once each per period. */
  budgetThresholds: z.array(z.number().positive().max(10_000)).max(20).catch([50, 80, 100]),
  budgetNotifyWhenUnfocused: z.boolean().catch(true),
  /** Opt-in: look up the GitHub pull requests containing the sessions' commits (with VS Code's GitHub sign-in). */
  githubEnabled: z.boolean().catch(false),
  /** A GitHub Enterprise Server's web URL; empty for github.com (githubTarget.ts checks it). */
  githubEnterpriseUrl: z.string().catch(''),
  /** Zone of every daily, weekly and hourly bucket in analytics; '' = the system's. */
  analyticsTimeZone: TimeZoneSetting.catch(''),
  analyticsWeekStartsOn: z.enum(WEEKDAY_NAMES).catch('monday'),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SECTION = 'claudeTracer';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return SettingsSchema.parse({
    trackingEnabled: c.get('tracking.enabled'),
    extraRoots: c.get('tracking.extraRoots'),
    trackingExcludeProjects: c.get('tracking.excludeProjects'),
    priceOverrides: c.get('pricing.overrides'),
    statusBarEnabled: c.get('statusBar.enabled'),
    statusBarWaitingCount: c.get('statusBar.waitingCount'),
    logLevel: c.get('logLevel'),
    privacyLevel: c.get('privacy.level'),
    customRules: c.get('privacy.customRules'),
    retentionMaxAgeDays: c.get('retention.maxAgeDays'),
    retentionMaxSizeMb: c.get('retention.maxSizeMB'),
    abandonedAfterMinutes: c.get('live.abandonedAfterMinutes'),
    notifyWhenWaiting: c.get('live.notifyWhenWaiting'),
    claudeCommand: c.get('live.claudeCommand'),
    startClaudeArgs: c.get('live.startClaudeArgs'),
    limitsShow: c.get('limits.show'),
    limitsWarnPercent: c.get('limits.warnPercent'),
    limitsErrorPercent: c.get('limits.errorPercent'),
    budgetDailyUsd: c.get('budgets.dailyUsd'),
    budgetMonthlyUsd: c.get('budgets.monthlyUsd'),
    budgetThresholds: c.get('budgets.thresholds'),
    budgetNotifyWhenUnfocused: c.get('budgets.notifyWhenUnfocused'),
    githubEnabled: c.get('github.enabled'),
    githubEnterpriseUrl: c.get('github.enterpriseUrl'),
    analyticsTimeZone: c.get('analytics.timeZone'),
    analyticsWeekStartsOn: c.get('analytics.weekStartsOn'),
  });
}

export function onDidChangeSettings(listener: (s: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener(readSettings());
  });
}

/** The week start setting as a Weekday (0 = Sunday). */
export function weekStartsOn(s: Settings): Weekday {
  return WEEKDAY_NAMES.indexOf(s.analyticsWeekStartsOn) as Weekday;
}

/** The `claudeTracer.supabase.*` and `claudeTracer.sync.*` settings, validated like the others. */
export const SyncSettingsSchema = z.object({
  url: z.string().catch(''),
  anonKey: z.string().catch(''),
  mode: z.enum(['off', 'metadata', 'full']).catch('off'),
  excludeProjects: z.array(z.string()).catch([]),
  intervalSeconds: z.number().int().min(15).max(86_400).catch(120),
  interactionConflictKey: z
    .enum(['user_id,message_uuid', 'user_id,message_uuid,occurred_at'])
    .catch('user_id,message_uuid'),
  // merge by default: the store's outbox re-enqueues an interaction that grew after it was sent (streamed blocks).
  interactionResolution: z.enum(['ignore', 'merge']).catch('merge'),
});
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;

export function readSyncSettings(): SyncSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return SyncSettingsSchema.parse({
    url: c.get('supabase.url'),
    anonKey: c.get('supabase.anonKey'),
    mode: c.get('sync.mode'),
    excludeProjects: c.get('sync.excludeProjects'),
    intervalSeconds: c.get('sync.intervalSeconds'),
    interactionConflictKey: c.get('sync.interactionConflictKey'),
    interactionResolution: c.get('sync.interactionResolution'),
  });
}

/** Identifies the settings that decide how text is masked: two equal keys mask alike. */
export function privacyKey(s: Settings): string {
  return JSON.stringify([s.privacyLevel, s.customRules]);
}
