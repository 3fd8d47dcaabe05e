import type { SearchGroup } from '../../shared/protocol';
import { makeSnippet, queryTerms } from './snippet';

/** One matching text as the store returns it, best first (src/infra/sqlite/searchReads.ts TextMatch). */
export interface TextMatchLike {
  interactionId: string;
  sessionId: string;
  projectPath: string | null;
  firstPrompt: string | null;
  sessionStartMs: number | null;
  role: 'prompt' | 'response';
  at: number | null;
  text: string;
}

/** One hit per prompt or response (several text blocks of one response count once, its best), in rank order. */
export function bestPerInteraction<T extends TextMatchLike>(matches: readonly T[]): T[] {
  const seen = new Set<string>();
  return matches.filter((m) => !seen.has(m.interactionId) && seen.add(m.interactionId));
}

/** Hits grouped by session, groups in the order of their best hit, each hit with a highlighted snippet. */
export function groupHits(matches: readonly TextMatchLike[], query: string): SearchGroup[] {
  const terms = queryTerms(query);
  const groups = new Map<string, SearchGroup>();
  for (const m of bestPerInteraction(matches)) {
    let g = groups.get(m.sessionId);
    if (!g) {
      g = {
        sessionId: m.sessionId,
        projectPath: m.projectPath,
        firstPrompt: m.firstPrompt,
        startMs: m.sessionStartMs,
        hits: [],
      };
      groups.set(m.sessionId, g);
    }
    g.hits.push({ interactionId: m.interactionId, role: m.role, at: m.at, snippet: makeSnippet(m.text, terms) });
  }
  return [...groups.values()];
}

/** The `cct search --json` element: one per matching prompt or response, best first (a contract: add, never rename). */
export interface SearchRowJson {
  sessionId: string;
  projectPath: string | null;
  /** ISO 8601 UTC, null when the line had no timestamp. */
  at: string | null;
  role: 'prompt' | 'response';
  snippet: string;
}

export function searchRows(matches: readonly TextMatchLike[], query: string): SearchRowJson[] {
  const terms = queryTerms(query);
  return bestPerInteraction(matches).map((m) => ({
    sessionId: m.sessionId,
    projectPath: m.projectPath,
    at: m.at === null ? null : new Date(m.at).toISOString(),
    role: m.role,
    snippet: makeSnippet(m.text, terms).text,
  }));
}
