import type { SessionGitJson } from '../core/codeContext/gitContext';

/**
 * Adds the `git` field (issue 13) to `cct sessions --json` rows: the cached context, or null outside a
 * repository / not computed yet (`cct scan` computes it).
 */
export function withGitField<T extends { sessionId: string }>(
  rows: readonly T[],
  store: { gitJsonBySession(): Map<string, SessionGitJson> },
): (T & { git: SessionGitJson | null })[] {
  const git = store.gitJsonBySession();
  return rows.map((r) => ({ ...r, git: git.get(r.sessionId) ?? null }));
}
