/**
 * Canonical model ids for price lookup. Strips only what never changes the price:
 * provider prefixes/suffixes, dates, the `[1m]` context suffix, a gateway route, `-latest`. It never maps a
 * model to another VERSION of its family (opus-4-6 must not become opus-4: priced 3× in the wild).
 */
export interface NormalizedModel {
  id: string;
  /** `-fast` suffix (ccusage convention) or speed:"fast" on the usage. */
  fast: boolean;
}

export function normalizeModelId(raw: string): NormalizedModel {
  let id = raw.trim().toLowerCase();
  id = id.replace(/\[[12]m\]$/, ''); // 1M-context selector, not a different model
  const slash = id.lastIndexOf('/');
  if (slash !== -1) id = id.slice(slash + 1); // gateway route / Vertex publisher path
  id = id.replace(/^(?:us-gov|us|eu|apac|jp|au|global)\./, ''); // Bedrock cross-region inference profiles
  id = id.replace(/^anthropic\./, ''); // Bedrock provider prefix
  id = id.replace(/-v\d+(?::\d+)?$/, ''); // Bedrock version suffix
  id = id.replace(/@(?:\d{8}|latest)$/, ''); // Vertex @date
  let fast = false;
  if (id.endsWith('-fast')) {
    fast = true;
    id = id.slice(0, -5);
  }
  id = id.replace(/-(?:\d{8}|latest)$/, ''); // dated snapshot
  id = id.replace(/^claude-(\d)-(opus|sonnet|haiku)$/, 'claude-$2-$1'); // claude-4-opus → claude-opus-4
  id = id.replace(/^(claude-(?:opus|sonnet|haiku|fable|mythos)-\d)-0$/, '$1'); // -4-0 is the 4 launch id
  return { id, fast };
}
