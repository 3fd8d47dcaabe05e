import type { Weekday } from '../../core/reports/timeBuckets';
import { SupabaseAnalyticsSource } from '../../infra/supabase/analyticsSource';
import type { SyncedMetricsRequest, SyncedMetricsStream } from '../../infra/worker/analyticsService';
import type { MetricsRange, MetricsReport, RemoteStatus } from '../../shared/protocol';
import { analyticsRequestOf } from './metricsFromStore';
import { remoteFailure, signedIn } from './remoteHandlers';
import type { RemoteLink } from './remoteLink';
import { RpcFailure } from './requestRouter';

export interface RemoteMetricsDeps {
  /** Undefined until the sync bundle has loaded (or when it failed to). */
  link(): RemoteLink | undefined;
  /** remote/status as the view sees it (whether the user administers a team: "My team"). */
  status(): Promise<RemoteStatus>;
  /** Where the rows go as they are read, and where the DTO is computed (AnalyticsService.metricsOfSynced: the worker). */
  stream(request: SyncedMetricsRequest): SyncedMetricsStream;
}

export interface RemoteMetricsParams {
  scope: 'mine' | 'team';
  range: MetricsRange;
  timeZone: string;
  weekStartsOn: Weekday;
  nowMs: number;
}

/**
 * metrics/get for the remote scopes: "All my machines" (the signed-in user's synced rows) and "My team" (every row RLS
 * lets a team owner/admin read: theirs and their accepted members', sessions keyed user/session). The rows are read
 * here (network-bound, through SupabaseAnalyticsSource, zod-validated page by page) and streamed to the analytics
 * worker, which maps and computes them with the same analytics as the local scope. Not connected, signed out or not an admin is
 * a failure the view shows as a state; a Supabase outage fails this scope only.
 */
export class RemoteMetrics {
  /** Reads in flight by what they read: the sidebar and the editor panel asking at once share one. */
  private readonly inFlight = new Map<string, Promise<MetricsReport>>();

  constructor(private readonly deps: RemoteMetricsDeps) {}

  async report(p: RemoteMetricsParams): Promise<MetricsReport> {
    const link = this.deps.link();
    const cur = await signedIn(link, 'see the usage of all your machines');
    const key = JSON.stringify([
      cur.userId,
      p.scope,
      p.range,
      p.timeZone,
      p.weekStartsOn,
      Math.floor(p.nowMs / 60_000),
    ]);
    const running = this.inFlight.get(key);
    if (running) return running;
    const answer = this.read(p, cur, link).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, answer);
    return answer;
  }

  private async read(
    p: RemoteMetricsParams,
    cur: Awaited<ReturnType<typeof signedIn>>,
    link: RemoteLink | undefined,
  ): Promise<MetricsReport> {
    if (p.scope === 'team' && !(await this.deps.status()).teamAdmin)
      throw new RpcFailure('only an owner or admin of a team can see its members’ usage', 'unavailable');
    const { filter, options } = analyticsRequestOf(p);
    // only full sync sends the masked prompts topics are made of
    const topics = link?.syncMode() === 'full';
    const source = new SupabaseAnalyticsSource(cur.client, {
      userId: p.scope === 'mine' ? cur.userId : undefined,
      topics,
    });
    // each validated page goes to the worker as it arrives: this thread never holds, maps or computes them all
    const stream = this.deps.stream({
      options,
      range: p.range,
      scope: p.scope,
      userScoped: p.scope === 'mine',
      topics,
    });
    try {
      await source.readPages(filter ?? {}, stream);
    } catch (e) {
      stream.abort();
      throw remoteFailure(e);
    }
    return (await stream.end()).report;
  }
}
