import { costUsd } from '../pricing/cost';
import type { PriceTable } from '../pricing/priceTable';

/** A ledger aggregate as the store returns it (see Store.usageGroups). */
export interface UsageGroupLike {
  sessionId: string;
  model: string | null;
  speed: string | null;
  /** The largest long-context threshold the request's prompt tokens exceeded (0 if none). */
  promptAbove: number;
  /** Start of the 15-minute UTC slot (ms) — fine enough for any real time zone offset. */
  slotMs: number;
  messages: number;
  input: number;
  output: number;
  cache5m: number;
  cache1h: number;
  cacheCreation: number;
  cacheRead: number;
  legacyCostUsd: number | null;
}

export interface TokenTotals {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

/** Totals of a set of ledger groups, priced per group (per model, speed, context tier and date). */
export interface PricedTotals {
  apiMessages: number;
  tokens: TokenTotals;
  cache5m: number;
  cache1h: number;
  /** Sum over priced groups; null when nothing could be priced. */
  costUsd: number | null;
  /** Pre-1.0.9 transcripts carried Claude Code's own per-line cost. */
  legacyCostUsd: number | null;
  models: string[];
  /**
   * What has usage but no price, exactly: the model id when the model has none, `<model> (fast mode)` when only its
   * speed:"fast" usage has none (no fast-mode multiplier known; its standard usage is priced).
   */
  unpricedModels: string[];
  /** Per model: tokens and cost (null when unpriced). */
  byModel: Map<string, { apiMessages: number; tokens: TokenTotals; costUsd: number | null }>;
}

/** The API-equivalent cost of one ledger group (undefined = unpriced). */
export function groupCost(g: UsageGroupLike, prices: PriceTable): number | undefined {
  return costUsd(prices, { model: g.model, ts: g.slotMs, speed: g.speed, promptAbove: g.promptAbove }, g);
}

/**
 * `costOf` lets a caller that prices the same groups twice (a report's rows, then its total) compute each
 * group's cost once; the sums are taken in the same order either way.
 */
export function priceGroups(
  groups: readonly UsageGroupLike[],
  prices: PriceTable,
  costOf: (g: UsageGroupLike) => number | undefined = (g) => groupCost(g, prices),
): PricedTotals {
  const out: PricedTotals = {
    apiMessages: 0,
    tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 },
    cache5m: 0,
    cache1h: 0,
    costUsd: null,
    legacyCostUsd: null,
    models: [],
    unpricedModels: [],
    byModel: new Map(),
  };
  const models = new Set<string>();
  const unpriced = new Set<string>();
  for (const g of groups) {
    const model = g.model ?? '(unknown)';
    models.add(model);
    out.apiMessages += g.messages;
    out.tokens.input += g.input;
    out.tokens.output += g.output;
    out.tokens.cacheCreation += g.cacheCreation;
    out.tokens.cacheRead += g.cacheRead;
    out.cache5m += g.cache5m;
    out.cache1h += g.cache1h;
    if (g.legacyCostUsd !== null) out.legacyCostUsd = (out.legacyCostUsd ?? 0) + g.legacyCostUsd;
    const c = costOf(g);
    const m = out.byModel.get(model) ?? {
      apiMessages: 0,
      tokens: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 },
      costUsd: null,
    };
    m.apiMessages += g.messages;
    m.tokens.input += g.input;
    m.tokens.output += g.output;
    m.tokens.cacheCreation += g.cacheCreation;
    m.tokens.cacheRead += g.cacheRead;
    if (c === undefined) {
      // Zero-token groups cost nothing whatever the price: do not flag them.
      if (g.input + g.output + g.cacheCreation + g.cacheRead > 0) unpriced.add(unpricedLabel(g, model, prices));
    } else {
      out.costUsd = (out.costUsd ?? 0) + c;
      m.costUsd = (m.costUsd ?? 0) + c;
    }
    out.byModel.set(model, m);
  }
  out.models = [...models].sort();
  out.unpricedModels = [...unpriced].sort();
  return out;
}

/** The unpricedModels entry for an unpriced group: says "fast mode" when the model is priced but not its fast mode. */
function unpricedLabel(g: UsageGroupLike, model: string, prices: PriceTable): string {
  const r = prices.lookup({ model: g.model, ts: g.slotMs, speed: g.speed, promptAbove: g.promptAbove });
  if (r.priced || r.reason !== 'no_fast_price') return model;
  return /-fast$/i.test(model) ? model : `${model} (fast mode)`;
}
