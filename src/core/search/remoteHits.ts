import type { SearchGroup } from '../../shared/protocol';
import { makeSnippet, queryTerms } from './snippet';

/**
 * One row of the server's search over synced rows (public.search_synced), as src/infra/supabase/remoteSearch.ts
 * validates it: a hit (a prompt, a response, or a session matched by its project path) with its session and owner.
 */
export interface RemoteMatch {
  ownerId: string;
  /** The row is the caller's own (else a team member's). */
  mine: boolean;
  sessionId: string;
  projectPath: string | null;
  startMs: number | null;
  costUsd: number | null;
  /** metadata.machine of the session as the syncing machine recorded it; null when absent. */
  machine: string | null;
  hitId: string;
  role: 'prompt' | 'response' | 'session';
  at: number | null;
  /** Masked text around the first match (the server cuts ~600 characters); the snippet is cut from it here. */
  excerpt: string;
}

/**
 * Remote hits grouped by (owner, session) in the server's rank order, each hit with a snippet and highlight ranges
 * computed here (never HTML from text), each group marked with where it came from. `thisMachine` is this
 * machine's id (infra/sqlite/machineId.ts): the caller's groups synced from it say so. A session id can exist under two users (ids are unique
 * per user only), so a member's group keeps its own key.
 */
export function groupRemoteHits(matches: readonly RemoteMatch[], query: string, thisMachine: string): SearchGroup[] {
  const terms = queryTerms(query);
  const groups = new Map<string, SearchGroup>();
  const seen = new Set<string>();
  for (const m of matches) {
    const key = `${m.ownerId}\u0000${m.sessionId}`;
    if (seen.has(`${key}\u0000${m.hitId}`)) continue;
    seen.add(`${key}\u0000${m.hitId}`);
    let g = groups.get(key);
    if (!g) {
      g = {
        sessionId: m.sessionId,
        projectPath: m.projectPath,
        firstPrompt: null,
        startMs: m.startMs,
        hits: [],
        origin: {
          mine: m.mine,
          machine: m.machine,
          thisMachine: m.mine && m.machine !== null && sameMachine(m.machine, thisMachine),
          memberId: m.mine ? null : m.ownerId,
          costUsd: m.costUsd,
        },
      };
      groups.set(key, g);
    }
    g.hits.push({ interactionId: m.hitId, role: m.role, at: m.at, snippet: makeSnippet(m.excerpt, terms) });
  }
  return [...groups.values()];
}

/** Host names compare case-insensitively (DNS), and a name synced before a domain was added still matches. */
export function sameMachine(a: string, b: string): boolean {
  const short = (s: string) => s.trim().toLowerCase().split('.')[0] ?? '';
  return short(a) !== '' && short(a) === short(b);
}
