import type { ExpensiveReason, InsightMessage } from '../../shared/analyticsMessages';
import { firstAtOrAfter, type IndexedUsage } from './analyticsIndex';
import { sortedMedian, type ToolStats, toolList } from './efficiency';
import { lastTsOf, type SessionFacts, type UsageRow } from './rows';
import type { Anomaly } from './timeSeries';
import { costOf, type UsageAggregates } from './usageAggregates';

export type InsightKind =
  | 'expensive_session'
  | 'failing_tool'
  | 'unpriced_model'
  | 'cache_ratio_drop'
  | 'cost_anomaly'
  | 'repeated_compaction';
export type Severity = 'high' | 'medium' | 'low';

interface InsightBase {
  kind: InsightKind;
  severity: Severity;
  /** Orders insights of the same severity (larger first): a share of cost, an error rate, a ratio. */
  score: number;
  /** In English; messageId and params say the same for formatAnalyticsMessage (src/shared/analyticsText.ts). */
  message: string;
  evidence: { sessionIds: string[]; numbers: Record<string, number | string | null> };
}
export type Insight = InsightBase & InsightMessage;

export interface InsightOptions {
  /** How many expensive sessions to explain (default 3). */
  topSessions?: number;
  /** A tool is "failing often" with at least this many errors (default 2) … */
  minToolErrors?: number;
  /** … and at least this error rate (default 0.25). */
  minToolErrorRate?: number;
  /** A session reads "long context without cache" above this many prompt tokens per API message (default 20,000) … */
  longContextTokens?: number;
  /** … with a cache hit ratio below this (default 0.5). */
  lowCacheRatio?: number;
  /** A project's cache ratio "dropped" when the last 7 days are this much below the 28 before (default 0.15) … */
  cacheDrop?: number;
  /** … with at least this many prompt tokens in each window (default 100,000). */
  cacheDropMinTokens?: number;
  /** A session "compacted repeatedly" with at least this many main-thread compactions (default 2). */
  minCompactions?: number;
}

/** A session's project path (null: none). */
type ProjectOf = { get(sessionId: string): string | null };

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const DAY = 86_400_000;
/** The rollups' cell width: a UTC quarter-hour. */
const SLOT_MS = 900_000;

/**
 * The ranked findings, each with the session ids and numbers it rests on, from the indexed usage (its time-ordered
 * rows serve the cache-ratio windows, which read only the last 35 days).
 */
export function insights(
  usage: Pick<IndexedUsage, 'aggregates' | 'bySession' | 'ordered' | 'usageOf' | 'costOf' | 'metaOf'>,
  facts: readonly SessionFacts[],
  anomalies: readonly Anomaly[],
  opts: InsightOptions = {},
  rowsBetween?: (fromMs: number, toMs: number) => UsageRow[],
): Insight[] {
  const out: Insight[] = [];
  const projectOf = { get: (sid: string) => usage.metaOf(sid)?.projectPath ?? null };
  const toolsOf = (sid: string) => facts.find((f) => f.sessionId === sid)?.tools ?? [];
  out.push(...expensiveSessions(usage, projectOf, toolsOf, opts));
  out.push(...failingTools(usage.aggregates, opts));
  out.push(...unpricedModels(usage.aggregates));
  out.push(...cacheRatioDrops(usage.ordered.rows, projectOf, opts, rowsBetween));
  out.push(
    ...repeatedCompactions(facts, (sid) => usage.costOf(sid) ?? 0, projectOf, costOf(usage.aggregates.totals), opts),
  );
  for (const a of anomalies)
    out.push({
      kind: 'cost_anomaly',
      severity: a.ratio >= 5 ? 'high' : 'medium',
      score: Number.isFinite(a.ratio) ? a.ratio : Number.MAX_VALUE,
      message: a.explanation,
      messageId: a.messageId,
      params: a.params,
      evidence: {
        sessionIds: a.evidence.sessionIds,
        numbers: { date: a.date, costUsd: a.costUsd, baselineCostUsd: a.baselineCostUsd, thresholdUsd: a.thresholdUsd },
      },
    });
  return out.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.score - a.score || a.message.localeCompare(b.message),
  );
}

function expensiveSessions(
  usage: Pick<IndexedUsage, 'aggregates' | 'bySession' | 'usageOf'>,
  projectOf: ProjectOf,
  toolsOf: (sid: string) => readonly ToolStats[],
  opts: InsightOptions,
): Insight[] {
  const agg = usage.aggregates;
  const totalCost = costOf(agg.totals);
  if (totalCost <= 0) return [];
  // bySession is sorted by cost, most expensive first: its middle is the median, its head the candidates.
  const med = sortedMedian(usage.bySession, (g) => g.costUsd ?? 0) ?? 0;
  const n = opts.topSessions ?? 3;
  const candidates: [string, number][] = [];
  for (const g of usage.bySession) {
    const cost = g.costUsd ?? 0;
    if (!(cost > 0 && cost >= 2 * med)) break;
    // Past the n-th, only sessions tied with it (ties are ordered by id below).
    if (candidates.length >= n && cost !== candidates[candidates.length - 1]![1]) break;
    candidates.push([g.key, cost]);
  }
  const top = candidates.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  const perToken = (model: string) => {
    const t = agg.models.get(model);
    return t && t.pricedTokens > 0 ? t.pricedCostUsd / t.pricedTokens : undefined;
  };
  return top.map(([sid]) => {
    const u = usage.usageOf(sid)!;
    const t = u.totals;
    const s = {
      cost: t.costUsd ?? 0,
      tokens: t.totalTokens,
      promptTokens: t.input + t.cacheCreation + t.cacheRead,
      cacheRead: t.cacheRead,
      messages: t.apiMessages,
    };
    const share = s.cost / totalCost;
    const reasons: string[] = [];
    const reasonIds: ExpensiveReason[] = [];
    const numbers: Record<string, number | string | null> = {
      costUsd: s.cost,
      shareOfCost: share,
      medianSessionCostUsd: med,
      apiMessages: s.messages,
      totalTokens: s.tokens,
    };
    const cacheRatio = s.promptTokens > 0 ? s.cacheRead / s.promptTokens : null;
    numbers.cacheHitRatio = cacheRatio;
    const perMessage = s.promptTokens / s.messages;
    if (
      cacheRatio !== null &&
      perMessage >= (opts.longContextTokens ?? 20_000) &&
      cacheRatio < (opts.lowCacheRatio ?? 0.5)
    ) {
      reasons.push(
        `long context without cache (${Math.round(perMessage).toLocaleString('en-US')} prompt tokens per message, ${pct(cacheRatio)} from cache)`,
      );
      reasonIds.push({
        messageId: 'long_context_without_cache',
        params: { promptTokensPerMessage: perMessage, cacheHitRatio: cacheRatio },
      });
    }
    const failing = toolsOf(sid).filter((t) => t.retries > 0 || t.errors >= 2);
    for (const t of failing) {
      reasons.push(
        `${t.tool} failed ${t.errors} time${t.errors === 1 ? '' : 's'}${t.retries ? `, retried ${t.retries}×` : ''}`,
      );
      reasonIds.push({ messageId: 'tool_failed', params: { tool: t.tool, errors: t.errors, retries: t.retries } });
      numbers[`errors.${t.tool}`] = t.errors;
      numbers[`retries.${t.tool}`] = t.retries;
    }
    const project = projectOf.get(sid) ?? '';
    // The model the project uses most (by API messages), for "a model pricier than the project usually uses".
    const usual = [...(agg.projectModels.get(project) ?? new Map<string, number>()).entries()].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    )[0]?.[0];
    const main = u.models
      .map((m) => [m.model, m.pricedCostUsd] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    if (usual && main && main !== usual) {
      const a = perToken(main);
      const b = perToken(usual);
      if (a !== undefined && b !== undefined && a > b * 1.5) {
        reasons.push(`${main} costs ${(a / b).toFixed(1)}× per token what this project usually uses (${usual})`);
        reasonIds.push({
          messageId: 'pricier_model',
          params: { model: main, usualModel: usual, costRatio: Number.isFinite(a / b) ? a / b : null },
        });
        numbers.model = main;
        numbers.projectUsualModel = usual;
      }
    }
    if (reasons.length === 0) {
      reasons.push(`its size: ${s.messages} API messages, ${s.tokens.toLocaleString('en-US')} tokens`);
      reasonIds.push({ messageId: 'session_size', params: { apiMessages: s.messages, totalTokens: s.tokens } });
    }
    return {
      kind: 'expensive_session' as const,
      severity: share >= 0.25 ? ('high' as const) : share >= 0.1 ? ('medium' as const) : ('low' as const),
      score: share,
      message: `session ${sid}${project ? ` (${baseName(project)})` : ''} cost $${s.cost.toFixed(2)}, ${pct(share)} of all: ${reasons.join('; ')}`,
      messageId: 'expensive_session' as const,
      params: {
        sessionId: sid,
        project: project ? baseName(project) : null,
        costUsd: s.cost,
        shareOfCost: share,
        reasons: reasonIds,
      },
      evidence: { sessionIds: [sid], numbers },
    };
  });
}

function failingTools(agg: UsageAggregates, opts: InsightOptions): Insight[] {
  const minErrors = opts.minToolErrors ?? 2;
  const minRate = opts.minToolErrorRate ?? 0.25;
  return toolList(agg.tools.values())
    .filter((t) => t.errors >= minErrors && (t.errorRate ?? 0) >= minRate)
    .map((t) => {
      const sessionIds = [...(agg.toolErrorSessions.get(t.tool) ?? [])].sort();
      return {
        kind: 'failing_tool' as const,
        severity: (t.errorRate ?? 0) >= 0.5 ? ('high' as const) : ('medium' as const),
        score: t.errorRate ?? 0,
        message: `${t.tool} failed ${t.errors} of ${t.withResult} calls (${pct(t.errorRate ?? 0)})${t.retries ? `, ${t.retries} retried with the same input` : ''}, in ${sessionIds.length} session${sessionIds.length === 1 ? '' : 's'}`,
        messageId: 'failing_tool' as const,
        params: {
          tool: t.tool,
          errors: t.errors,
          withResult: t.withResult,
          errorRate: t.errorRate ?? 0,
          retries: t.retries,
          sessions: sessionIds.length,
        },
        evidence: {
          sessionIds,
          numbers: { tool: t.tool, calls: t.calls, errors: t.errors, errorRate: t.errorRate, retries: t.retries },
        },
      };
    });
}

/** Sessions listed by count in a repeated-compaction insight's numbers (all are in its session ids). */
const COUNTED_SESSIONS = 10;

/**
 * Sessions whose context was compacted again and again: each compaction replaces the conversation with a summary, so
 * such a session works from summaries of summaries while it pays for a long context every turn.
 */
function repeatedCompactions(
  facts: readonly SessionFacts[],
  costOfSession: (sessionId: string) => number,
  projectOf: ProjectOf,
  totalCost: number,
  opts: InsightOptions,
): Insight[] {
  const min = opts.minCompactions ?? 2;
  const hit = facts
    .flatMap((f) => (f.compactions !== null && f.compactions >= min ? [[f.sessionId, f.compactions] as const] : []))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (hit.length === 0) return [];
  const [topId, max] = hit[0]!;
  const compactions = hit.reduce((n, [, c]) => n + c, 0);
  const cost = hit.reduce((n, [sid]) => n + costOfSession(sid), 0);
  const share = totalCost > 0 ? cost / totalCost : null;
  const numbers: Record<string, number | string | null> = {
    sessions: hit.length,
    compactions,
    maxCompactions: max,
    costUsd: cost,
    shareOfCost: share,
  };
  for (const [sid, c] of hit.slice(0, COUNTED_SESSIONS)) numbers[`compactions.${sid}`] = c;
  const project = projectOf.get(topId);
  const top = `session ${topId}${project ? ` (${baseName(project)})` : ''}`;
  const what =
    hit.length === 1
      ? `${top} compacted ${max} times`
      : `${hit.length} sessions compacted repeatedly: ${compactions} compactions, up to ${max} in ${top}`;
  return [
    {
      kind: 'repeated_compaction',
      severity: max >= 3 ? 'medium' : 'low',
      score: share ?? 0,
      message:
        `${what}${share === null ? '' : `, ${pct(share)} of all cost`}; each compaction replaces the conversation ` +
        'with a summary: a new session per task keeps the context small',
      messageId: 'repeated_compaction',
      params: {
        sessions: hit.length,
        compactions,
        maxCompactions: max,
        sessionId: topId,
        project: project ? baseName(project) : null,
        shareOfCost: share,
      },
      evidence: { sessionIds: hit.map(([sid]) => sid), numbers },
    },
  ];
}

function unpricedModels(agg: UsageAggregates): Insight[] {
  return [...agg.unpricedSessions].map(([model, sessions]) => {
    const tokens = agg.models.get(model)?.unpricedTokens ?? 0;
    return {
      kind: 'unpriced_model' as const,
      severity: 'medium' as const,
      score: tokens,
      message: `${model} has no price: ${tokens.toLocaleString('en-US')} tokens in ${sessions.size} session${sessions.size === 1 ? '' : 's'} are missing from every cost (add it with --prices)`,
      messageId: 'unpriced_model' as const,
      params: { model: model === '(unknown)' ? null : model, tokens, sessions: sessions.size },
      evidence: { sessionIds: [...sessions].sort(), numbers: { model, tokens } },
    };
  });
}

function cacheRatioDrops(
  ordered: readonly UsageRow[],
  projectOf: ProjectOf,
  opts: InsightOptions,
  rowsBetween?: (fromMs: number, toMs: number) => UsageRow[],
): Insight[] {
  if (ordered.length === 0) return [];
  // The last instant: a row ends at most a quarter-hour after it starts (a cell's span), so only the tail is read.
  let end = Number.NEGATIVE_INFINITY;
  for (let i = ordered.length - 1; i >= 0 && ordered[i]!.ts > end - SLOT_MS; i--)
    end = Math.max(end, lastTsOf(ordered[i]!));
  const [recentFrom, baseFrom] = cacheWindowStarts(end);
  // The windows split inside a quarter-hour that a rollup cell cannot split: those two quarter-hours are counted
  // from their plain rows (a plain row lies in one quarter-hour, so the same rule serves rows and cells).
  const splitSlots = [...new Set([recentFrom, baseFrom].map((t) => Math.floor(t / SLOT_MS) * SLOT_MS))];
  const inSplit = (ts: number) => splitSlots.some((s) => ts >= s && ts < s + SLOT_MS);
  // Rows before the earlier window (less its split quarter-hour) count nowhere: start at the first one after.
  const recent = ordered.slice(firstAtOrAfter(ordered, Math.min(...splitSlots, baseFrom)));
  const plain = recent.filter((r) => r.n === undefined);
  const between = rowsBetween ?? ((a: number, b: number) => plain.filter((r) => r.ts >= a && r.ts < b));
  const rows: UsageRow[] = splitSlots.flatMap((s) => between(s, s + SLOT_MS));
  for (const r of recent) if (!inSplit(r.ts)) rows.push(r);
  const acc = new Map<string, { recent: [number, number]; base: [number, number]; sessions: Set<string> }>();
  for (const r of rows) {
    if (r.ts < baseFrom) continue;
    const project = projectOf.get(r.sessionId) ?? '(no project)';
    const a = acc.get(project) ?? { recent: [0, 0], base: [0, 0], sessions: new Set<string>() };
    const w = r.ts > recentFrom ? a.recent : a.base;
    w[0] += r.cacheRead;
    w[1] += r.input + r.cacheCreation + r.cacheRead;
    if (r.ts > recentFrom) a.sessions.add(r.sessionId);
    acc.set(project, a);
  }
  const minTokens = opts.cacheDropMinTokens ?? 100_000;
  const drop = opts.cacheDrop ?? 0.15;
  const out: Insight[] = [];
  for (const [project, a] of acc) {
    if (a.recent[1] < minTokens || a.base[1] < minTokens) continue;
    const recent = a.recent[0] / a.recent[1];
    const base = a.base[0] / a.base[1];
    if (base - recent < drop) continue;
    out.push({
      kind: 'cache_ratio_drop',
      severity: base - recent >= 0.3 ? 'high' : 'medium',
      score: base - recent,
      message: `${baseName(project)}: cache hit ratio fell to ${pct(recent)} in the last 7 days from ${pct(base)} in the 28 before`,
      messageId: 'cache_ratio_drop',
      params: {
        project: project === '(no project)' ? null : baseName(project),
        recentRatio: recent,
        previousRatio: base,
      },
      evidence: { sessionIds: [...a.sessions].sort(), numbers: { project, recentRatio: recent, previousRatio: base } },
    });
  }
  return out;
}

/** Where the cache-ratio windows start, given the last usage instant: the last 7 days, and the 28 before them. */
export function cacheWindowStarts(lastUsageMs: number): [recentFrom: number, baseFrom: number] {
  const recentFrom = lastUsageMs - 7 * DAY;
  return [recentFrom, recentFrom - 28 * DAY];
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;
