import { Worker } from 'node:worker_threads';
import type { AnalyticsResult } from '../../core/analytics/analytics';
import type { SyncedInteraction, SyncedSession } from '../../core/analytics/syncedRows';
import { Disposable, toDisposable } from '../../shared/disposable';
import { Emitter } from '../../shared/event';
import type { MetricsRange, MetricsReport } from '../../shared/protocol';
import type {
  AnalyticsRequest,
  AnalyticsWorkerToHost,
  HostToAnalyticsWorker,
  SyncedMetricsRequest,
} from './analyticsProtocol';
import { workerEntry } from './workerEntry';

export type { AnalyticsRequest, SyncedMetricsRequest } from './analyticsProtocol';

interface ComputedBy {
  /** How the worker read the store: its rollups (reloading this many sessions) or the rows themselves. */
  read: { path: 'rollups' | 'rows'; reloadedSessions: number } | undefined;
  /** Time in the worker, read and compute. */
  ms: number;
}

export interface AnalyticsComputed extends ComputedBy {
  result: AnalyticsResult;
}

/** The Metrics view's DTO, built in the worker from the result (which stays there). */
export interface MetricsComputed extends ComputedBy {
  report: MetricsReport;
}

type Computed = AnalyticsComputed | MetricsComputed;

/** Synced rows on their way to the worker (AnalyticsService.metricsOfSynced): pages, then end() or abort(). */
export interface SyncedMetricsStream {
  sessions(rows: SyncedSession[]): void;
  interactions(rows: SyncedInteraction[]): void;
  /** The last page was sent: the worker computes the DTO. */
  end(): Promise<MetricsComputed>;
  /** The read failed: the worker drops the pages. */
  abort(): void;
}

/**
 * Analytics for the dashboard's Metrics view and the status bar, computed in a worker thread (never on the extension
 * host's main thread). The worker keeps the store's rollups in memory: after a scan, `storeChanged()` recomputes the
 * last request from the sessions refreshed since and fires onDidChange. A worker that dies fails the pending
 * requests; the next request starts a new one.
 */
export class AnalyticsService extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<Computed>());
  /** A recomputation after storeChanged() finished (of the last request's kind). */
  readonly onDidChange = this._onDidChange.event;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Computed) => void; reject: (e: Error) => void }>();
  private last: AnalyticsRequest | undefined;
  /** The recomputation storeChanged() started, while it runs: a request for the same thing shares it. */
  private recomputing: { request: AnalyticsRequest; answer: Promise<Computed> } | undefined;

  constructor(private readonly dbPath: string) {
    super();
    this._register(toDisposable(() => this.stop(new Error('analytics service disposed'))));
  }

  /**
   * Computes analytics for this request (remembered as the one storeChanged() recomputes). While storeChanged()
   * recomputes the same request (its `now` in the same minute), this answers with that recomputation instead of
   * queueing a second one behind it: a scan's notification makes the Metrics view ask again right away.
   */
  compute(request: Omit<AnalyticsRequest, 'metrics'>): Promise<AnalyticsComputed> {
    return this.shared({ ...request, metrics: undefined }) as Promise<AnalyticsComputed>;
  }

  /** The same, answered with the Metrics view's DTO of `range` (at options.now) instead of the whole result. */
  metrics(request: Omit<AnalyticsRequest, 'metrics'>, range: MetricsRange): Promise<MetricsComputed> {
    return this.shared({ ...request, metrics: { range } }) as Promise<MetricsComputed>;
  }

  /**
   * The Metrics view's DTO of synced rows the caller reads (from Supabase): each page goes to the worker as it
   * arrives, end() computes there. Not remembered for storeChanged(): a scan does not change them.
   */
  metricsOfSynced(request: SyncedMetricsRequest): SyncedMetricsStream {
    if (this.isDisposed) throw new Error('analytics service disposed');
    const id = this.nextId++;
    const w = this.ensureWorker();
    const post = (m: HostToAnalyticsWorker) => {
      if (this.worker === w) w.postMessage(m);
    };
    post({ type: 'syncedBegin', id, request });
    return {
      sessions: (rows) => post({ type: 'syncedPage', id, table: 'sessions', rows }),
      interactions: (rows) => post({ type: 'syncedPage', id, table: 'interactions', rows }),
      end: () =>
        // a worker that died since began lost the pages: fail now rather than wait for an answer that never comes
        this.worker !== w
          ? Promise.reject(new Error('analytics worker exited while the synced rows were sent'))
          : (new Promise<Computed>((resolve, reject) => {
              this.pending.set(id, { resolve, reject });
              w.postMessage({ type: 'syncedEnd', id } satisfies HostToAnalyticsWorker);
            }) as Promise<MetricsComputed>),
      abort: () => post({ type: 'syncedAbort', id }),
    };
  }

  private shared(request: AnalyticsRequest): Promise<Computed> {
    if (this.isDisposed) return Promise.reject(new Error('analytics service disposed'));
    if (this.recomputing && sameMinuteRequest(this.recomputing.request, request)) return this.recomputing.answer;
    return this.post(request);
  }

  private post(request: AnalyticsRequest): Promise<Computed> {
    this.last = request;
    const id = this.nextId++;
    const w = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: HostToAnalyticsWorker = { type: 'compute', id, dbPath: this.dbPath, request };
      w.postMessage(msg);
    });
  }

  /** The store changed (a scan wrote): recompute the last request, at the current time, and tell the listeners. */
  async storeChanged(): Promise<void> {
    if (!this.last || this.isDisposed) return;
    const request = { ...this.last, options: { ...this.last.options, now: Date.now() } };
    const answer = this.post(request);
    const current = { request, answer };
    this.recomputing = current;
    try {
      const r = await answer;
      this._onDidChange.fire(r);
    } finally {
      if (this.recomputing === current) this.recomputing = undefined;
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerEntry('analyticsWorker');
    // A small young generation: the worker keeps ~100 MB of rollups alive between requests, and V8's default 16 MiB
    // semi-spaces add up to ~50 MiB of resident memory for a thread that allocates little per refresh (bench:analytics
    // runs with the same --max-semi-space-size=4; young generation = 3 semi-spaces).
    const w = new Worker(file, { execArgv, resourceLimits: { maxYoungGenerationSizeMb: 12 } });
    w.on('message', (m: AnalyticsWorkerToHost) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve({ ...m.answer, read: m.read, ms: m.ms });
      else p.reject(new Error(m.message));
    });
    w.on('error', (e) => this.stop(e));
    w.on('exit', (code) => {
      if (this.worker === w) this.stop(new Error(`analytics worker exited (${code})`));
    });
    // Idle between requests: the worker must not keep the host process alive.
    w.unref();
    this.worker = w;
    return w;
  }

  private stop(reason: Error): void {
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    void w?.terminate();
  }
}

/** The same request but for `now`, which may differ within the same minute (the Metrics view's cache granularity). */
function sameMinuteRequest(a: AnalyticsRequest, b: AnalyticsRequest): boolean {
  const minute = (r: AnalyticsRequest) =>
    JSON.stringify({ ...r, options: { ...r.options, now: Math.floor(r.options.now / 60_000) } });
  return minute(a) === minute(b);
}
