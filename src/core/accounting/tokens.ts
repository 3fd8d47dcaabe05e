import type { Usage } from '../transcript/records';

/** Token buckets as billed. cacheCreation = cache5m + cache1h whenever the split is known. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cache5m: number;
  cache1h: number;
  cacheRead: number;
}

export const ZERO_TOKENS: TokenCounts = Object.freeze({
  input: 0,
  output: 0,
  cacheCreation: 0,
  cache5m: 0,
  cache1h: 0,
  cacheRead: 0,
});

const n = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Usage → buckets. Since CLI 2.1.152 `cache_creation_input_tokens` can be 0 while the nested 5m/1h breakdown is
 * not: then the breakdown sum is the truth. Without any breakdown, creation is treated as 5-minute writes
 * (the only kind before 1-hour caching existed).
 */
export function tokensFromUsage(u: Usage | null | undefined): TokenCounts {
  if (!u) return { ...ZERO_TOKENS };
  const b5 = n(u.cache_creation?.ephemeral_5m_input_tokens);
  const b1 = n(u.cache_creation?.ephemeral_1h_input_tokens);
  const flat = n(u.cache_creation_input_tokens);
  const hasSplit = u.cache_creation != null && b5 + b1 > 0;
  const cacheCreation = flat > 0 ? flat : b5 + b1;
  let cache5m: number;
  let cache1h: number;
  if (hasSplit) {
    cache1h = Math.min(b1, cacheCreation);
    cache5m = cacheCreation - cache1h;
  } else {
    cache5m = cacheCreation;
    cache1h = 0;
  }
  return {
    input: n(u.input_tokens),
    output: n(u.output_tokens),
    cacheCreation,
    cache5m,
    cache1h,
    cacheRead: n(u.cache_read_input_tokens),
  };
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheCreation: a.cacheCreation + b.cacheCreation,
    cache5m: a.cache5m + b.cache5m,
    cache1h: a.cache1h + b.cache1h,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}
