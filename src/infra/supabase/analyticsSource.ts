import * as z from 'zod';
import type { AnalyticsSource } from '../../core/analytics/analytics';
import type { AnalyticsFilter, AnalyticsInput } from '../../core/analytics/rows';
import { inputOfRows } from '../../core/analytics/sessionFacts';
import {
  analyticsRowsOfSynced,
  SYNCED_INTERACTION_COLUMNS,
  SYNCED_NOT_COMPUTED,
  SYNCED_SESSION_COLUMNS,
  SyncedInteractionSchema,
  SyncedSessionSchema,
} from '../../core/analytics/syncedRows';
import type { CctSupabaseClient } from './client';
import { parseRemoteReply } from './remoteSearch';

export interface SupabaseSourceOptions {
  /**
   * Only this user's rows ("all my machines"): session ids stay plain. Without it, every row RLS lets the caller read
   * (a team admin: their members' too), keyed `${user_id}/${session_id}` since session ids are unique per user only.
   */
  userId?: string;
  /** Topic documents from the masked prompts (full sync mode only has them); default false. */
  topics?: boolean;
  /** Rows per request (PostgREST caps a reply at max_rows, 1000 in supabase/config.toml). */
  pageSize?: number;
  timeoutMs?: number;
}

/**
 * Synced rows as an analytics source, read with the signed-in client so RLS decides what comes back. Every page is
 * zod-validated (core/analytics/syncedRows.ts, which also says what synced rows cannot tell); the rows then go
 * through the same inputOfRows as any other row source, so computeAnalytics gives the same figures as over the store.
 */
export class SupabaseAnalyticsSource implements AnalyticsSource {
  constructor(
    private readonly client: CctSupabaseClient,
    private readonly opts: SupabaseSourceOptions = {},
  ) {}

  async read(filter: AnalyticsFilter): Promise<AnalyticsInput> {
    const sessions = await this.pages(
      'claude_sessions',
      SYNCED_SESSION_COLUMNS,
      SyncedSessionSchema,
      filter.project ? [['ilike', 'project_path', `%${escapeLike(filter.project)}%`]] : [],
    );
    const where: Condition[] = [['in', 'message_type', ['user', 'assistant']]];
    if (filter.sinceMs !== undefined) where.push(['gte', 'occurred_at', new Date(filter.sinceMs).toISOString()]);
    if (filter.untilMs !== undefined) where.push(['lt', 'occurred_at', new Date(filter.untilMs).toISOString()]);
    let interactions = await this.pages(
      'claude_interactions',
      SYNCED_INTERACTION_COLUMNS,
      SyncedInteractionSchema,
      where,
    );
    if (filter.project) {
      const keep = new Set(sessions.map((s) => `${s.user_id}\u0000${s.session_id}`));
      interactions = interactions.filter((i) => keep.has(`${i.user_id}\u0000${i.session_id}`));
    }
    const keyOf = this.opts.userId ? undefined : (u: string, s: string) => `${u}/${s}`;
    const input = inputOfRows(analyticsRowsOfSynced(sessions, interactions, { keyOf, topics: this.opts.topics }));
    input.notComputed = SYNCED_NOT_COMPUTED;
    return input;
  }

  /** Every row of `table` the conditions and RLS allow, page by page in a stable order (by primary key). */
  private async pages<T>(
    table: 'claude_sessions' | 'claude_interactions',
    columns: string,
    schema: z.ZodType<T>,
    where: readonly Condition[],
  ): Promise<T[]> {
    const size = this.opts.pageSize ?? 1000;
    const out: T[] = [];
    for (let from = 0; ; from += size) {
      let q = this.client.from(table).select(columns);
      if (this.opts.userId) q = q.eq('user_id', this.opts.userId);
      for (const [op, column, value] of where)
        q = op === 'in' ? q.in(column, value as string[]) : q[op](column, value as string);
      const r = await q
        .order('id')
        .range(from, from + size - 1)
        .abortSignal(AbortSignal.timeout(this.opts.timeoutMs ?? 30_000));
      const rows = parseRemoteReply(z.array(schema), r, table) as T[];
      out.push(...rows);
      if (rows.length < size) return out;
    }
  }
}

/** A PostgREST filter on a column. */
type Condition = ['ilike' | 'gte' | 'lt', string, string] | ['in', string, string[]];

/** `cct sessions --project` matches a substring: LIKE's wildcards in it are literal. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
