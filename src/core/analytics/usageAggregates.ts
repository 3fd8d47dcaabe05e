import type { LocalCalendar } from '../reports/timeBuckets';
import type { ToolStats } from './efficiency';
import type { SessionFacts } from './rows';
import { SESSION_LENGTH_BOUNDS_MIN } from './sessionLengths';
import type { SessionUsage } from './sessionUsage';
import { SortedNumbers } from './sortedNumbers';
import type { UsageTotals } from './totals';

/** Totals kept by adding and subtracting sessions: the cost is a number while any priced session contributes. */
export interface Sums extends Omit<UsageTotals, 'costUsd'> {
  cost: number;
  /** Contributions with a priced cost (0: costUsd is null). */
  priced: number;
  /** Sessions contributing. */
  sessions: number;
}

export interface DaySums extends Sums {
  cacheNetSavedUsd: number;
}

export interface ModelSums extends Sums {
  pricedCostUsd: number;
  pricedTokens: number;
}

/**
 * One session as the aggregates saw it, less its usage digest (what is subtracted when it changes or goes; the digest
 * is computed again from the same rows then, rather than kept: 20,000 of them weigh ~20 MB).
 */
export interface SessionEntry {
  sessionId: string;
  /** Its first API message (rows or cells); undefined without usage. */
  usageFirstTs: number | undefined;
  facts: SessionFacts | undefined;
  /** The session's project path (null: none). */
  projectPath: string | null;
  /** Its entrypoint, '(unknown)' when not recorded. */
  entrypoint: string;
  /** First to last prompt or API message; undefined when the session has neither with a time. */
  span: [number, number] | undefined;
  /** Local dates with a prompt or API message of this session. */
  dates: string[];
}

const emptySums = (): Sums => ({
  apiMessages: 0,
  input: 0,
  output: 0,
  cacheCreation: 0,
  cacheRead: 0,
  totalTokens: 0,
  cost: 0,
  priced: 0,
  unpricedTokens: 0,
  sessions: 0,
});

function addSums(s: Sums, t: UsageTotals, sign: number): void {
  s.apiMessages += sign * t.apiMessages;
  s.input += sign * t.input;
  s.output += sign * t.output;
  s.cacheCreation += sign * t.cacheCreation;
  s.cacheRead += sign * t.cacheRead;
  s.totalTokens += sign * t.totalTokens;
  s.unpricedTokens += sign * t.unpricedTokens;
  if (t.costUsd !== null) {
    s.cost += sign * t.costUsd;
    s.priced += sign;
  }
  s.sessions += sign;
}

/** The summed cost, 0 when nothing priced contributes (no residue of added and subtracted costs). */
export const costOf = (s: Sums) => (s.priced > 0 ? s.cost : 0);

/** Sums as the UsageTotals every view returns. */
export function totalsOf(s: Sums): UsageTotals {
  return {
    apiMessages: s.apiMessages,
    input: s.input,
    output: s.output,
    cacheCreation: s.cacheCreation,
    cacheRead: s.cacheRead,
    totalTokens: s.totalTokens,
    costUsd: s.priced > 0 ? s.cost : null,
    unpricedTokens: s.unpricedTokens,
  };
}

/** Adds `t` into the keyed sums of `map` (sign -1 subtracts; a key no session contributes to any more is dropped). */
function addKeyed<S extends Sums>(map: Map<string, S>, key: string, t: UsageTotals, sign: number, make: () => S): S {
  let s = map.get(key);
  if (!s) {
    s = make();
    map.set(key, s);
  }
  addSums(s, t, sign);
  if (s.sessions === 0) map.delete(key);
  return s;
}

/**
 * Every additive figure of analytics over all sessions, kept by adding a session's contribution and subtracting it
 * again when the session changes or goes: after one new session the views read these (a few hundred days, models,
 * projects) instead of 20,000 sessions or 200,000 cells. Integers stay exact; a cost may differ from a fresh sum in
 * the last bits (the equivalence test allows 1e-9 relative).
 */
export class UsageAggregates {
  readonly totals = emptySums();
  cacheReadSavedUsd = 0;
  cacheWritePremiumUsd = 0;
  sidechainCostUsd = 0;
  /** Sessions with usage. */
  usageSessions = 0;
  readonly days = new Map<string, DaySums>();
  /** Per local date, each session's cost and tokens that day (anomaly explanations). */
  readonly sessionDays = new Map<string, Map<string, { cost: number; tokens: number }>>();
  readonly dayModels = new Map<string, DaySums & { date: string; model: string }>();
  readonly hours = Array.from({ length: 7 * 24 }, () => ({ apiMessages: 0, totalTokens: 0, costUsd: 0 }));
  readonly models = new Map<string, ModelSums>();
  /** Per model, the sessions with unpriced tokens of it. */
  readonly unpricedSessions = new Map<string, Set<string>>();
  readonly projects = new Map<string, Sums>();
  readonly entrypoints = new Map<string, Sums>();
  /** Per project, API messages per model (the model a project usually uses). */
  readonly projectModels = new Map<string, Map<string, number>>();
  readonly tools = new Map<string, ToolStats>();
  /** Per tool, the sessions where it failed at least once. */
  readonly toolErrorSessions = new Map<string, Set<string>>();
  prompts = 0;
  toolCalls = 0;
  /** Every session's first-response delays (efficiency's median). */
  readonly firstResponseMs = new SortedNumbers();
  /** Every session's turn durations (efficiency's median and 90th percentile). */
  readonly turnMs = new SortedNumbers();
  /** Main-thread compactions: sessions with facts that cannot tell (unknown), sessions that compacted and their cost. */
  readonly compaction = { unknown: 0, sessions: 0, sessionsWithoutUsage: 0, compactions: 0, costUsd: 0 };
  /** Sessions per SESSION_LENGTH_BOUNDS_MIN bucket (the last: longer). */
  readonly lengthCounts = new Array<number>(SESSION_LENGTH_BOUNDS_MIN.length + 1).fill(0);
  /** Sessions active per local date. */
  readonly activeDates = new Map<string, number>();

  /** Adds (sign 1) or subtracts (sign -1) one session's contribution: its entry and its usage digest. */
  apply(e: SessionEntry, u: SessionUsage | undefined, sign: 1 | -1): void {
    if (u) this.applyUsage(e, u, sign);
    const f = e.facts;
    if (f) {
      this.prompts += sign * f.prompts;
      if (sign > 0) {
        this.firstResponseMs.add(f.firstResponseMs);
        this.turnMs.add(f.turnMs);
      } else {
        this.firstResponseMs.remove(f.firstResponseMs);
        this.turnMs.remove(f.turnMs);
      }
      const c = this.compaction;
      if (f.compactions === null) c.unknown += sign;
      else if (f.compactions > 0) {
        c.sessions += sign;
        c.compactions += sign * f.compactions;
        if (u) c.costUsd += sign * (u.totals.costUsd ?? 0);
        else c.sessionsWithoutUsage += sign;
      }
      for (const t of f.tools) {
        this.toolCalls += sign * t.calls;
        let s = this.tools.get(t.tool);
        if (!s) {
          s = { tool: t.tool, calls: 0, withResult: 0, errors: 0, errorRate: null, retries: 0 };
          this.tools.set(t.tool, s);
        }
        s.calls += sign * t.calls;
        s.withResult += sign * t.withResult;
        s.errors += sign * t.errors;
        s.retries += sign * t.retries;
        if (s.calls === 0 && s.withResult === 0) this.tools.delete(t.tool);
        if (t.errors > 0) setMember(this.toolErrorSessions, t.tool, e.sessionId, sign);
      }
    }
    if (e.span) {
      const minutes = (e.span[1] - e.span[0]) / 60_000;
      const i = SESSION_LENGTH_BOUNDS_MIN.findIndex((bound) => minutes < bound);
      this.lengthCounts[i < 0 ? this.lengthCounts.length - 1 : i]! += sign;
    }
    for (const d of e.dates) {
      const n = (this.activeDates.get(d) ?? 0) + sign;
      if (n === 0) this.activeDates.delete(d);
      else this.activeDates.set(d, n);
    }
  }

  private applyUsage(e: SessionEntry, u: SessionUsage, sign: 1 | -1): void {
    addSums(this.totals, u.totals, sign);
    this.usageSessions += sign;
    this.cacheReadSavedUsd += sign * u.cacheReadSavedUsd;
    this.cacheWritePremiumUsd += sign * u.cacheWritePremiumUsd;
    this.sidechainCostUsd += sign * u.sidechainCostUsd;
    for (const d of u.days) {
      addKeyed(this.days, d.date, d, sign, () => ({ ...emptySums(), cacheNetSavedUsd: 0 })).cacheNetSavedUsd +=
        sign * d.cacheNetSavedUsd;
      let day = this.sessionDays.get(d.date);
      if (!day) {
        day = new Map();
        this.sessionDays.set(d.date, day);
      }
      if (sign > 0) day.set(u.sessionId, { cost: d.costUsd ?? 0, tokens: d.totalTokens });
      else {
        day.delete(u.sessionId);
        if (day.size === 0) this.sessionDays.delete(d.date);
      }
    }
    for (const d of u.dayModels)
      addKeyed(this.dayModels, `${d.date}\u0000${d.model}`, d, sign, () => ({
        ...emptySums(),
        cacheNetSavedUsd: 0,
        date: d.date,
        model: d.model,
      })).cacheNetSavedUsd += sign * d.cacheNetSavedUsd;
    for (const h of u.hours) {
      const c = this.hours[h.index]!;
      c.apiMessages += sign * h.apiMessages;
      c.totalTokens += sign * h.totalTokens;
      c.costUsd += sign * h.costUsd;
    }
    const projectKey = e.projectPath ?? '';
    let byModel = this.projectModels.get(projectKey);
    if (!byModel) {
      byModel = new Map();
      this.projectModels.set(projectKey, byModel);
    }
    for (const m of u.models) {
      const s = addKeyed(this.models, m.model, m, sign, () => ({ ...emptySums(), pricedCostUsd: 0, pricedTokens: 0 }));
      s.pricedCostUsd += sign * m.pricedCostUsd;
      s.pricedTokens += sign * m.pricedTokens;
      if (m.unpricedTokens > 0) setMember(this.unpricedSessions, m.model, u.sessionId, sign);
      const n = (byModel.get(m.model) ?? 0) + sign * m.apiMessages;
      if (n === 0) byModel.delete(m.model);
      else byModel.set(m.model, n);
    }
    if (byModel.size === 0) this.projectModels.delete(projectKey);
    addKeyed(this.projects, e.projectPath ?? '(no project)', u.totals, sign, emptySums);
    addKeyed(this.entrypoints, e.entrypoint, u.totals, sign, emptySums);
  }
}

function setMember(map: Map<string, Set<string>>, key: string, member: string, sign: number): void {
  let s = map.get(key);
  if (!s) {
    s = new Set();
    map.set(key, s);
  }
  if (sign > 0) s.add(member);
  else s.delete(member);
  if (s.size === 0) map.delete(key);
}

/** A session's entry: its usage and facts, where it belongs, its active span and local dates. */
export function sessionEntry(
  sessionId: string,
  usage: SessionUsage | undefined,
  facts: SessionFacts | undefined,
  projectPath: string | null,
  entrypoint: string,
  cal: LocalCalendar,
): SessionEntry {
  let span: [number, number] | undefined = usage ? [usage.firstTs, usage.lastTs] : undefined;
  const dates = new Set(usage?.activeDates);
  const spans = facts?.promptSpans ?? [];
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const first = spans[i]!;
    const last = spans[i + 1]!;
    dates.add(cal.date(first));
    dates.add(cal.date(last));
    if (!span) span = [first, last];
    else {
      if (first < span[0]) span[0] = first;
      if (last > span[1]) span[1] = last;
    }
  }
  return { sessionId, usageFirstTs: usage?.firstTs, facts, projectPath, entrypoint, span, dates: [...dates] };
}
