import * as z from 'zod';
import type { AnalyticsSource } from '../../core/analytics/analytics';
import type { AnalyticsFilter, AnalyticsInput } from '../../core/analytics/rows';
import { syncedInput } from '../../core/analytics/syncedInput';
import {
  SYNCED_INTERACTION_COLUMNS,
  SYNCED_SESSION_COLUMNS,
  type SyncedInteraction,
  SyncedInteractionSchema,
  type SyncedSession,
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

/** Where readPages delivers each validated page (the sessions' pages all come before the interactions'). */
export interface SyncedPageSink {
  sessions(rows: SyncedSession[]): void;
  interactions(rows: SyncedInteraction[]): void;
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
    const sessions: SyncedSession[] = [];
    const interactions: SyncedInteraction[] = [];
    await this.readPages(filter, {
      sessions: (rows) => sessions.push(...rows),
      interactions: (rows) => interactions.push(...rows),
    });
    return syncedInput(sessions, interactions, {
      userScoped: this.opts.userId !== undefined,
      topics: this.opts.topics,
    });
  }

  /**
   * The same rows, page by page as they arrive, each validated, to a sink that keeps them (the Metrics view streams
   * them to the analytics worker, so the host never holds or maps them all); nothing is kept here.
   */
  async readPages(filter: AnalyticsFilter, sink: SyncedPageSink): Promise<void> {
    const keep = filter.project ? new Set<string>() : undefined;
    await this.pages(
      'claude_sessions',
      SYNCED_SESSION_COLUMNS,
      SyncedSessionSchema,
      filter.project ? [['ilike', 'project_path', `%${escapeLike(filter.project)}%`]] : [],
      (rows) => {
        for (const s of rows) keep?.add(`${s.user_id}\u0000${s.session_id}`);
        sink.sessions(rows);
      },
    );
    const where: Condition[] = [['in', 'message_type', ['user', 'assistant']]];
    if (filter.sinceMs !== undefined) where.push(['gte', 'occurred_at', new Date(filter.sinceMs).toISOString()]);
    if (filter.untilMs !== undefined) where.push(['lt', 'occurred_at', new Date(filter.untilMs).toISOString()]);
    await this.pages('claude_interactions', SYNCED_INTERACTION_COLUMNS, SyncedInteractionSchema, where, (rows) =>
      sink.interactions(keep ? rows.filter((i) => keep.has(`${i.user_id}\u0000${i.session_id}`)) : rows),
    );
  }

  /** Every row of `table` the conditions and RLS allow, page by page in a stable order (by primary key). */
  private async pages<T>(
    table: 'claude_sessions' | 'claude_interactions',
    columns: string,
    schema: z.ZodType<T>,
    where: readonly Condition[],
    onPage: (rows: T[]) => void,
  ): Promise<void> {
    const size = this.opts.pageSize ?? 1000;
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
      if (rows.length) onPage(rows);
      if (rows.length < size) return;
    }
  }
}

/** A PostgREST filter on a column. */
type Condition = ['ilike' | 'gte' | 'lt', string, string] | ['in', string, string[]];

/** `cct sessions --project` matches a substring: LIKE's wildcards in it are literal. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
