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

  /** Scans now (or right after the running scan); resolves when that scan is over. */
  async scanNow(reason: string): Promise<void> {
    this.addReason(reason);
    await this.kick();
    await this.running;
  }

  private addReason(reason: string): void {
    this.pendingReason = this.pendingReason === undefined ? reason : (this.o.mergeReasons?.(this.pendingReason, reason) ?? this.pendingReason);
  }

  private async kick(): Promise<void> {
    if (this.running) return; // the running scan's loop picks the pending reason up
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async loop(): Promise<void> {
    while (this.pendingReason !== undefined && !this.disposed) {
      const reason = this.pendingReason;
      this.pendingReason = undefined;
      const { last, lastAt } = this.state;
      this.set({ kind: 'scanning', reason, last, lastAt });
      try {
        const r = await this.o.runScan(reason);
        if (r.status === 'busy') {
          this.set({ kind: 'busy', holder: r.holder, last, lastAt });
          this.retryLater();
          return;
        }
        this.set({ kind: 'idle', last: r.stats ?? last, lastAt: Date.now() });
      } catch (e) {
        this.o.onError?.(e);
        this.set({ kind: 'error', message: e instanceof Error ? e.message : String(e), last, lastAt });
        this.retryLater();
        return;
      }
    }
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
