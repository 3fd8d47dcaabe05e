/** Format drift under one Claude Code version, as the editor's warning shows it. */
export interface DriftWarning {
  version: string;
  reasons: { reason: string; count: number }[];
}

/** One warning per Claude Code version whose lines ingest could not read (the editor and `cct scan` say the same). */
export function driftWarning(version: string, reasons: readonly { reason: string; count: number }[]): string {
  const total = reasons.reduce((a, r) => a + r.count, 0);
  const top = [...reasons]
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, 4)
    .map((r) => `${r.reason} ×${r.count}`)
    .join(', ');
  const who = version === 'unknown' ? 'a Claude Code version that did not say which' : `Claude Code ${version}`;
  return `${total} lines written by ${who} could not be read (${top}${reasons.length > 4 ? ', …' : ''})`;
}

/** The store's drift counts grouped by version, for one warning each. */
export function groupDriftByVersion<T extends { version: string; reason: string; count: number }>(
  counts: readonly T[],
): Map<string, T[]> {
  const by = new Map<string, T[]>();
  for (const c of counts) {
    const list = by.get(c.version) ?? [];
    list.push(c);
    by.set(c.version, list);
  }
  return by;
}
