import type { PostgrestError } from '@supabase/supabase-js';
import * as z from 'zod';
import type { RemoteMatch } from '../../core/search/remoteHits';
import type { CctSupabaseClient } from './client';

/**
 * Why a remote read failed: 'auth' (the session expired or was refused: sign in again), 'outage' (network or a 5xx:
 * Supabase cannot be reached right now), 'refused' (anything else the server answered, e.g. a missing migration).
 */
export class RemoteReadError extends Error {
  constructor(
    message: string,
    readonly kind: 'auth' | 'outage' | 'refused',
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RemoteReadError';
  }
}

const Time = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
  return ms;
});

/** One row of public.search_synced as PostgREST sends it (numeric may come as a number or a string). */
const SearchSyncedRowSchema = z.object({
  owner_id: z.string().max(100),
  mine: z.boolean(),
  session_id: z.string().min(1).max(200),
  project_path: z.string().nullable(),
  start_time: Time.nullable(),
  total_cost_usd: z.union([z.number(), z.string()]).nullable(),
  machine: z.string().max(200).nullable(),
  hit_id: z.string().max(300),
  role: z.enum(['prompt', 'response', 'session']),
  occurred_at: Time.nullable(),
  excerpt: z.string().nullable(),
});

export interface RemoteSearchParams {
  query: string;
  scope: 'mine' | 'team';
  project?: string;
  limit: number;
}

/**
 * The dashboard's remote search scopes over supabase-js: public.search_synced (SECURITY INVOKER: the server's RLS
 * decides what comes back) and whether the caller administers a team. Only types come from supabase-js here: the
 * dashboard's data bundle calls it with the sync bundle's client, without a second copy of the library.
 */
export class SupabaseRemoteSearch {
  constructor(
    private readonly client: CctSupabaseClient,
    private readonly timeoutMs = 15_000,
  ) {}

  async search(p: RemoteSearchParams): Promise<RemoteMatch[]> {
    const r = await this.client
      .rpc('search_synced', {
        p_query: p.query,
        p_scope: p.scope,
        ...(p.project ? { p_project: p.project } : {}),
        p_limit: p.limit,
      })
      .abortSignal(AbortSignal.timeout(this.timeoutMs));
    const rows = parseRemoteReply(z.array(SearchSyncedRowSchema), r, 'search_synced');
    return rows.map((x) => ({
      ownerId: x.owner_id,
      mine: x.mine,
      sessionId: x.session_id,
      projectPath: x.project_path,
      startMs: x.start_time,
      costUsd: costOf(x.total_cost_usd),
      machine: x.machine,
      hitId: x.hit_id,
      role: x.role,
      at: x.occurred_at,
      excerpt: x.excerpt ?? '',
    }));
  }

  /** True when the signed-in user is an accepted owner or admin of some team (RLS shows their own memberships). */
  async isTeamAdmin(userId: string): Promise<boolean> {
    const r = await this.client
      .from('team_members')
      .select('role,accepted_at')
      .eq('user_id', userId)
      // no backoff of 1 + 2 + 4 s on a 503 or a network error: the dashboard asks this on every status check
      .retry(false)
      .abortSignal(AbortSignal.timeout(this.timeoutMs));
    const rows = parseRemoteReply(
      z.array(z.object({ role: z.string(), accepted_at: z.string().nullable() })),
      r,
      'team_members',
    );
    return rows.some((m) => (m.role === 'owner' || m.role === 'admin') && m.accepted_at !== null);
  }
}

function costOf(v: number | string | null): number | null {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** A PostgREST reply validated by `schema`, or a RemoteReadError saying whether to sign in, retry or give up. */
export function parseRemoteReply<S extends z.ZodType>(
  schema: S,
  r: { data: unknown; error: PostgrestError | null; status: number },
  what: string,
): z.infer<S> {
  if (r.error) {
    const code = r.error.code || undefined;
    const kind =
      r.status === 401 || r.status === 403 || code === 'PGRST301' || code === 'PGRST303' || code === '42501'
        ? 'auth'
        : r.status === 0 || r.status >= 500 || r.status === 429
          ? 'outage'
          : 'refused';
    throw new RemoteReadError(`${what}: ${r.error.message || `HTTP ${r.status}`}`, kind, code);
  }
  const p = schema.safeParse(r.data);
  if (!p.success) throw new RemoteReadError(`unexpected reply from ${what}: ${p.error.message}`, 'refused');
  return p.data;
}
