import type { ExpensiveReason, InsightMessage } from '../../shared/analyticsMessages';
import { median, mergeToolStats, type ToolStats } from './efficiency';
import type { PricedUsage } from './pricedUsage';
import { lastTsOf, messagesOf, type SessionFacts, type SessionMeta, type UsageRow } from './rows';
import type { Anomaly } from './timeSeries';

export type InsightKind = 'expensive_session' | 'failing_tool' | 'unpriced_model' | 'cache_ratio_drop' | 'cost_anomaly';
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
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const DAY = 86_400_000;
/** The rollups' cell width: a UTC quarter-hour. */
const SLOT_MS = 900_000;

interface SessionAgg {
  cost: number;
  tokens: number;
  promptTokens: number;
  cacheRead: number;
  messages: number;
  modelCost: Map<string, number>;
  modelMessages: Map<string, number>;
}

/** The ranked findings, each with the session ids and numbers it rests on. */
export function insights(
  usage: readonly PricedUsage[],
  sessions: readonly SessionMeta[],
  facts: readonly SessionFacts[],
  anomalies: readonly Anomaly[],
  opts: InsightOptions = {},
  rowsBetween?: (fromMs: number, toMs: number) => UsageRow[],
): Insight[] {
  const out: Insight[] = [];
  const projectOf = new Map(sessions.map((s) => [s.sessionId, s.projectPath]));
  const bySession = new Map<string, SessionAgg>();
  const modelTotals = new Map<string, { cost: number; tokens: number; priced: boolean }>();
  let totalCost = 0;
  for (const p of usage) {
    const r = p.row;
    const model = r.model ?? '(unknown)';
    let s = bySession.get(r.sessionId);
    if (!s) {
      s = {
        cost: 0,
        tokens: 0,
        promptTokens: 0,
        cacheRead: 0,
        messages: 0,
        modelCost: new Map(),
        modelMessages: new Map(),
      };
      bySession.set(r.sessionId, s);
    }
    const prompt = r.input + r.cacheCreation + r.cacheRead;
    s.cost += p.costUsd ?? 0;
    s.tokens += prompt + r.output;
    s.promptTokens += prompt;
    s.cacheRead += r.cacheRead;
    const n = messagesOf(r);
    s.messages += n;
    s.modelCost.set(model, (s.modelCost.get(model) ?? 0) + (p.costUsd ?? 0));
    s.modelMessages.set(model, (s.modelMessages.get(model) ?? 0) + n);
    const m = modelTotals.get(model) ?? { cost: 0, tokens: 0, priced: true };
    if (p.costUsd === undefined) {
      if (prompt + r.output > 0) m.priced = false;
    } else {
      m.cost += p.costUsd;
      m.tokens += prompt + r.output;
    }
    modelTotals.set(model, m);
    totalCost += p.costUsd ?? 0;
  }

  const toolsOf = new Map(facts.map((f) => [f.sessionId, f.tools]));
  out.push(...expensiveSessions(bySession, projectOf, modelTotals, toolsOf, totalCost, opts));
  out.push(...failingTools(facts, opts));
  out.push(...unpricedModels(usage));
  out.push(...cacheRatioDrops(usage, projectOf, opts, rowsBetween));
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
  bySession: Map<string, SessionAgg>,
  projectOf: Map<string, string | null>,
  modelTotals: Map<string, { cost: number; tokens: number }>,
  toolsOf: Map<string, ToolStats[]>,
  totalCost: number,
  opts: InsightOptions,
): Insight[] {
  if (totalCost <= 0) return [];
  const med = median([...bySession.values()].map((s) => s.cost)) ?? 0;
  const top = [...bySession.entries()]
    .filter(([, s]) => s.cost > 0 && s.cost >= 2 * med)
    .sort((a, b) => b[1].cost - a[1].cost || a[0].localeCompare(b[0]))
    .slice(0, opts.topSessions ?? 3);
  // The model each project uses most (by API messages), for "a model pricier than the project usually uses".
  const projectModels = new Map<string, Map<string, number>>();
  for (const [sid, s] of bySession) {
    const p = projectOf.get(sid) ?? '';
    const m = projectModels.get(p) ?? new Map<string, number>();
    for (const [model, n] of s.modelMessages) m.set(model, (m.get(model) ?? 0) + n);
    projectModels.set(p, m);
  }
  const perToken = (model: string) => {
    const t = modelTotals.get(model);
    return t && t.tokens > 0 ? t.cost / t.tokens : undefined;
  };
  return top.map(([sid, s]) => {
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
    const stats = toolsOf.get(sid) ?? [];
    const failing = stats.filter((t) => t.retries > 0 || t.errors >= 2);
    for (const t of failing) {
      reasons.push(
        `${t.tool} failed ${t.errors} time${t.errors === 1 ? '' : 's'}${t.retries ? `, retried ${t.retries}×` : ''}`,
      );
      reasonIds.push({ messageId: 'tool_failed', params: { tool: t.tool, errors: t.errors, retries: t.retries } });
      numbers[`errors.${t.tool}`] = t.errors;
      numbers[`retries.${t.tool}`] = t.retries;
    }
    const project = projectOf.get(sid) ?? '';
    const usual = [...(projectModels.get(project) ?? new Map<string, number>()).entries()].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    )[0]?.[0];
    const main = [...s.modelCost.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
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

function failingTools(facts: readonly SessionFacts[], opts: InsightOptions): Insight[] {
  const minErrors = opts.minToolErrors ?? 2;
  const minRate = opts.minToolErrorRate ?? 0.25;
  return mergeToolStats(facts.map((f) => f.tools))
    .filter((t) => t.errors >= minErrors && (t.errorRate ?? 0) >= minRate)
    .map((t) => {
      const sessionIds = facts
        .filter((f) => f.tools.some((s) => s.tool === t.tool && s.errors > 0))
        .map((f) => f.sessionId)
        .sort();
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

function unpricedModels(usage: readonly PricedUsage[]): Insight[] {
  const by = new Map<string, { tokens: number; sessions: Set<string> }>();
  for (const p of usage) {
    if (p.costUsd !== undefined) continue;
    const r = p.row;
    const tokens = r.input + r.output + r.cacheCreation + r.cacheRead;
    if (tokens === 0) continue;
    const model = r.model ?? '(unknown)';
    const b = by.get(model) ?? { tokens: 0, sessions: new Set<string>() };
    b.tokens += tokens;
    b.sessions.add(r.sessionId);
    by.set(model, b);
  }
  return [...by.entries()].map(([model, b]) => ({
    kind: 'unpriced_model' as const,
    severity: 'medium' as const,
    score: b.tokens,
    message: `${model} has no price: ${b.tokens.toLocaleString('en-US')} tokens in ${b.sessions.size} session${b.sessions.size === 1 ? '' : 's'} are missing from every cost (add it with --prices)`,
    messageId: 'unpriced_model' as const,
    params: { model: model === '(unknown)' ? null : model, tokens: b.tokens, sessions: b.sessions.size },
    evidence: { sessionIds: [...b.sessions].sort(), numbers: { model, tokens: b.tokens } },
  }));
}

function cacheRatioDrops(
  usage: readonly PricedUsage[],
  projectOf: Map<string, string | null>,
  opts: InsightOptions,
  rowsBetween?: (fromMs: number, toMs: number) => UsageRow[],
): Insight[] {
  if (usage.length === 0) return [];
  let end = Number.NEGATIVE_INFINITY;
  for (const p of usage) end = Math.max(end, lastTsOf(p.row));
  const [recentFrom, baseFrom] = cacheWindowStarts(end);
  // The windows split inside a quarter-hour that a rollup cell cannot split: those two quarter-hours are counted
  // from their plain rows (a plain row lies in one quarter-hour, so the same rule serves rows and cells).
  const splitSlots = [...new Set([recentFrom, baseFrom].map((t) => Math.floor(t / SLOT_MS) * SLOT_MS))];
  const inSplit = (ts: number) => splitSlots.some((s) => ts >= s && ts < s + SLOT_MS);
  const plain = usage.filter((p) => p.row.n === undefined).map((p) => p.row);
  const between = rowsBetween ?? ((from: number, to: number) => plain.filter((r) => r.ts >= from && r.ts < to));
  const rows: UsageRow[] = splitSlots.flatMap((s) => between(s, s + SLOT_MS));
  for (const p of usage) if (!inSplit(p.row.ts)) rows.push(p.row);
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
