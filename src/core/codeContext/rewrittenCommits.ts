/**
 * Commits a session recorded that a rebase, an amend or a cherry-pick rewrote: the recorded sha is no longer on
 * the branch, and a commit on the branch in the session's window carries the same change. "The same change" is
 * `git patch-id --stable` (the diff with whitespace and line numbers ignored, file order irrelevant): equal ids,
 * equal change. A recorded commit whose id nobody on the branch shares stays unmatched (its change was edited
 * or dropped): better no link than a wrong one.
 */
export interface CommitPatch {
  sha: string;
  /** null when it could not be computed (the object is gone and no id was recorded, or a merge/empty commit). */
  patchId: string | null;
}

/** How a rewritten commit was found again. */
export type RewriteMatch = 'patch-id';

/**
 * For each commit of `fresh` that replaces a vanished `recorded` one, the recorded sha it replaces. Each recorded
 * commit is matched at most once, and only to a fresh commit that is not itself a recorded one; when several
 * fresh commits share an id (the same change applied twice), the first unused one (oldest first) is taken.
 */
export function matchRewritten(recorded: readonly CommitPatch[], fresh: readonly CommitPatch[]): Map<string, string> {
  const freshShas = new Set(fresh.map((c) => c.sha));
  const recordedShas = new Set(recorded.map((c) => c.sha));
  const byId = new Map<string, string[]>();
  for (const c of fresh) {
    if (!c.patchId || recordedShas.has(c.sha)) continue;
    const list = byId.get(c.patchId) ?? [];
    list.push(c.sha);
    byId.set(c.patchId, list);
  }
  const out = new Map<string, string>();
  for (const old of recorded) {
    if (freshShas.has(old.sha) || !old.patchId) continue; // still there, or nothing to compare
    const next = byId.get(old.patchId)?.find((sha) => !out.has(sha));
    if (next) out.set(next, old.sha);
  }
  return out;
}
