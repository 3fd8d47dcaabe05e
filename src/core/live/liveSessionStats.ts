import { apiMessageKey, isNonBillable } from '../accounting/dedupeKey';
import { addTokens, type TokenCounts, tokensFromUsage, ZERO_TOKENS } from '../accounting/tokens';
import { costUsd } from '../pricing/cost';
import type { PriceTable } from '../pricing/priceTable';
import type { TranscriptRecord } from '../transcript/records';
import type { RunningTool } from './toolStall';

/**
 * What the status bar shows of a running session, folded from its transcript as lines arrive. Numbers, model ids,
 * the branch and times only: no text of the conversation is kept.
 */
export interface LiveStatsSnapshot {
  /** Prompts the user typed (not tool results, meta lines, slash-command echoes or subagent prompts). */
  turns: number;
  tokens: TokenCounts;
  /** API-equivalent cost from our price table; undefined while any message's model is unpriced. */
  costUsd: number | undefined;
  unpricedMessages: number;
  /** Claude Code's own figure (its `cost-state` record), when it wrote one. */
  claudeCostUsd: number | undefined;
  models: string[];
  gitBranch: string | undefined;
  firstTs: number | undefined;
  lastTs: number | undefined;
  /** The oldest tool call of the main thread that has no result yet (for the stalled rule). */
  runningTool: RunningTool | undefined;
}

/** One API response's usage, by its dedupe key: the streamed lines of a message repeat it, the last one counts. */
interface MessageUsage {
  tokens: TokenCounts;
  cost: number | undefined;
}

export class LiveSessionStats {
  private turns = 0;
  private readonly messages = new Map<string, MessageUsage>();
  private claudeCost: number | undefined;
  private readonly models = new Set<string>();
  private gitBranch: string | undefined;
  private firstTs: number | undefined;
  private lastTs: number | undefined;
  /** Main-thread tool calls without a result yet, by tool_use id, in call order. */
  private readonly openTools = new Map<string, RunningTool>();

  constructor(private readonly prices: PriceTable) {}

  apply(r: TranscriptRecord): void {
    if ('timestamp' in r && typeof r.timestamp === 'string') {
      const ts = Date.parse(r.timestamp);
      if (Number.isFinite(ts)) {
        this.firstTs = Math.min(this.firstTs ?? ts, ts);
        this.lastTs = Math.max(this.lastTs ?? ts, ts);
      }
    }
    if ('gitBranch' in r && typeof r.gitBranch === 'string' && r.gitBranch) this.gitBranch = r.gitBranch;
    switch (r.type) {
      case 'user':
        if (r.isSidechain) return;
        for (const id of toolResultIds(r.message.content)) this.openTools.delete(id);
        if (isTypedPrompt(r)) {
          this.turns++;
          this.openTools.clear(); // a new prompt: whatever the last turn left open is over
        }
        return;
      case 'assistant': {
        const m = r.message;
        if (isNonBillable(m.model, r.isApiErrorMessage)) return;
        if (!r.isSidechain) this.noteToolCalls(m.content, r.timestamp);
        const key = apiMessageKey(m.id, r.requestId);
        if (!key || !m.usage) return;
        if (m.model) this.models.add(m.model);
        const tokens = tokensFromUsage(m.usage);
        const ts = r.timestamp ? Date.parse(r.timestamp) : Date.now();
        const cost = costUsd(this.prices, { model: m.model, ts, speed: m.usage.speed }, tokens);
        this.messages.set(key, { tokens, cost });
        return;
      }
      case 'cost-state':
        this.claudeCost = r.totalCostUSD;
        return;
      default:
        return;
    }
  }

  private noteToolCalls(content: unknown, timestamp: string | null | undefined): void {
    if (!Array.isArray(content)) return;
    const ts = timestamp ? Date.parse(timestamp) : Number.NaN;
    for (const b of content as { type?: unknown; id?: unknown; name?: unknown }[]) {
      if (b?.type !== 'tool_use' || typeof b.id !== 'string' || this.openTools.has(b.id)) continue;
      this.openTools.set(b.id, { name: typeof b.name === 'string' ? b.name : '?', startedAt: ts || Date.now() });
    }
  }

  snapshot(): LiveStatsSnapshot {
    let tokens: TokenCounts = { ...ZERO_TOKENS };
    let cost = 0;
    let unpriced = 0;
    for (const m of this.messages.values()) {
      tokens = addTokens(tokens, m.tokens);
      if (m.cost === undefined) unpriced++;
      else cost += m.cost;
    }
    return {
      turns: this.turns,
      tokens,
      costUsd: unpriced > 0 ? undefined : cost,
      unpricedMessages: unpriced,
      claudeCostUsd: this.claudeCost,
      models: [...this.models].sort(),
      gitBranch: this.gitBranch,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      runningTool: this.openTools.values().next().value,
    };
  }
}

function toolResultIds(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  return (content as { type?: unknown; tool_use_id?: unknown }[])
    .filter((b) => b?.type === 'tool_result' && typeof b.tool_use_id === 'string')
    .map((b) => b.tool_use_id as string);
}

/** A prompt the human typed: not a tool result, harness meta line, compact summary, subagent prompt or command echo. */
function isTypedPrompt(r: Extract<TranscriptRecord, { type: 'user' }>): boolean {
  if (r.isMeta || r.isSidechain || r.isCompactSummary) return false;
  const c = r.message.content;
  if (typeof c === 'string') return !/^\s*<(command-|local-command-)/.test(c);
  const blocks = c as { type?: unknown; text?: unknown }[];
  if (blocks.some((b) => b?.type === 'tool_result')) return false;
  return blocks.some(
    (b) => b?.type === 'text' && typeof b.text === 'string' && !/^\s*<(command-|local-command-)/.test(b.text),
  );
}
