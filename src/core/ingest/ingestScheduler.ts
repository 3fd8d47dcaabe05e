import { Disposable, toDisposable } from '../../shared/disposable';
import { Emitter } from '../../shared/event';

export interface ScanOutcome<S> {
  status: 'done' | 'busy';
  stats?: S;
  /** Who holds the ingest lease when status is 'busy' (another window or a `cct scan`). */
  holder?: string;
}

export interface IngestSchedulerOptions<S> {
  /** Runs one scan (in a worker); resolves when it has committed. */
  runScan(reason: string): Promise<ScanOutcome<S>>;
  /** Changes within this window are coalesced into one scan. */
  debounceMs?: number;
  /** Safety-net rescan period (file watchers miss events on some file systems). */
  pollMs?: number;
  /** Retry period while another process holds the lease. */
  busyRetryMs?: number;
  /**
   * Several requests before a scan starts become one scan with one reason: by default the first; return
   * `incoming` for reasons that change what the scan does (e.g. a rebuild must not be lost to a 'change').
   */
  mergeReasons?(pending: string, incoming: string): string;
  onError?(err: unknown): void;
}

export type IngestState<S> =
  | { kind: 'idle'; last?: S; lastAt?: number }
  | { kind: 'scanning'; reason: string; last?: S; lastAt?: number }
  | { kind: 'busy'; holder: string | undefined; last?: S; lastAt?: number }
  | { kind: 'error'; message: string; last?: S; lastAt?: number };

/**
 * Decides when to scan: once at start, after bursts of file changes (debounced), on a slow poll, and never
 * two at a time — a change during a scan schedules exactly one follow-up scan. The scan itself reads only
 * new bytes, so a rescan with nothing new is cheap.
 */
export class IngestScheduler<S> extends Disposable {
  private readonly _onDidChangeState = this._register(new Emitter<IngestState<S>>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private state: IngestState<S> = { kind: 'idle' };
  private running: Promise<void> | undefined;
  private pendingReason: string | undefined;
  /** Callers of scanNow waiting for the scan that will carry their request. */
  private waiters: ((stats: S | undefined) => void)[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly o: IngestSchedulerOptions<S>) {
    super();
    const poll = setInterval(() => this.request('poll'), o.pollMs ?? 30_000);
    poll.unref?.();
    this._register(
      toDisposable(() => {
        this.disposed = true;
        for (const w of this.waiters.splice(0)) w(undefined);
        clearInterval(poll);
        if (this.debounce) clearTimeout(this.debounce);
        if (this.retry) clearTimeout(this.retry);
      }),
    );
  }

  get current(): IngestState<S> {
    return this.state;
  }

  /** Asks for a scan soon (debounced). */
  request(reason: string): void {
    if (this.disposed) return;
    this.addReason(reason);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.kick();
    }, this.o.debounceMs ?? 400);
    this.debounce.unref?.();
  }

  /**
   * Scans now (or right after the running scan); resolves with the stats of the scan that carried this request
   * (undefined when it was refused by the lease or failed: the state says which) — not of any later one.
   */
  scanNow(reason: string): Promise<S | undefined> {
    this.addReason(reason);
    const done = new Promise<S | undefined>((resolve) => this.waiters.push(resolve));
    void this.kick();
    return done;
  }

  private addReason(reason: string): void {
    this.pendingReason =
      this.pendingReason === undefined
        ? reason
        : (this.o.mergeReasons?.(this.pendingReason, reason) ?? this.pendingReason);
  }

  private async kick(): Promise<void> {
    if (this.running) return; // the running scan's loop picks the pending reason up
    this.running = this.loop().then((stoppedForRetry) => {
      this.running = undefined;
      // A request that arrived after the loop's last check (e.g. from a caller resumed by the last scan) still
      // gets its scan — unless the loop stopped to back off, then the retry timer brings it.
      if (!stoppedForRetry && this.pendingReason !== undefined && !this.disposed) void this.kick();
    });
    await this.running;
  }

  /** Scans while requests are pending; true when it stopped to back off (lease held elsewhere, or an error). */
  private async loop(): Promise<boolean> {
    while (this.pendingReason !== undefined && !this.disposed) {
      const reason = this.pendingReason;
      this.pendingReason = undefined;
      const waiters = this.waiters.splice(0);
      const settle = (stats: S | undefined) => {
        for (const w of waiters) w(stats);
      };
      const { last, lastAt } = this.state;
      this.set({ kind: 'scanning', reason, last, lastAt });
      try {
        const r = await this.o.runScan(reason);
        if (r.status === 'busy') {
          this.set({ kind: 'busy', holder: r.holder, last, lastAt });
          settle(undefined);
          this.retryLater();
          return true;
        }
        this.set({ kind: 'idle', last: r.stats ?? last, lastAt: Date.now() });
        settle(r.stats);
      } catch (e) {
        this.o.onError?.(e);
        this.set({ kind: 'error', message: e instanceof Error ? e.message : String(e), last, lastAt });
        settle(undefined);
        this.retryLater();
        return true;
      }
    }
    return false;
  }

  private retryLater(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.request('retry');
    }, this.o.busyRetryMs ?? 15_000);
    this.retry.unref?.();
  }

  private set(s: IngestState<S>): void {
    if (this.disposed) return;
    this.state = s;
    this._onDidChangeState.fire(s);
  }
}
