import type { DataScope, MethodDescriptor, MetricsRange, ResultOf } from '../../../src/shared/protocol';
import { onNotify, request } from '../rpc';
import { ui } from './app.svelte';

/** The range the Metrics and Privacy views share (30 days at first), kept with the UI state (vscode.setState). */
class SharedRange {
  get value(): MetricsRange {
    return ui.metricsRange;
  }
  set value(v: MetricsRange) {
    ui.metricsRange = v;
  }
}
export const sharedRange = new SharedRange();

/** The user's IANA time zone (the OS zone, as the browser reports it). */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * A view's data for one range: requested from the host when the range changes and again when the host says the data
 * changed (dataChanged with `scope`). Host data is replaced whole ($state.raw); a stale answer (the range moved on)
 * is dropped.
 */
export class RangeQuery<M extends MethodDescriptor> {
  data = $state.raw<ResultOf<M> | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  private seq = 0;

  constructor(
    private readonly method: M,
    /** The dataChanged scope that refetches (read at each notification: Metrics' remote scopes listen to 'remote'). */
    private readonly scope: DataScope | (() => DataScope),
    /** More parameters of each request (Metrics: its scope). */
    private readonly params: () => Record<string, unknown> = () => ({}),
    /**
     * At most one refetch per this many ms on notifications (0: each one at once); later ones within it collapse into
     * one at its end. Metrics' remote scopes re-read every synced row, and every sync of any machine notifies.
     */
    private readonly notifyIntervalMs: () => number = () => 0,
  ) {}
  private lastNotified = Number.NEGATIVE_INFINITY;
  private deferred: ReturnType<typeof setTimeout> | undefined;

  async load(): Promise<void> {
    const mine = ++this.seq;
    this.loading = true;
    try {
      const result = await request(this.method, {
        range: sharedRange.value,
        timeZone: userTimeZone(),
        ...this.params(),
      } as never);
      if (mine !== this.seq) return;
      this.data = result;
      this.error = null;
    } catch (e) {
      if (mine !== this.seq) return;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === this.seq) this.loading = false;
    }
  }

  /** Forgets the shown data and drops any answer in flight (Metrics: another scope, or one that cannot run now). */
  reset(): void {
    this.seq++;
    this.data = null;
    this.error = null;
    this.loading = false;
  }

  /** Subscribes to the host's dataChanged notifications; returns the unsubscribe function. */
  watch(): () => void {
    const off = onNotify((n) => {
      if (n.scope.includes(typeof this.scope === 'function' ? this.scope() : this.scope)) this.notified();
    });
    return () => {
      off();
      clearTimeout(this.deferred);
      this.deferred = undefined;
    };
  }

  private notified(): void {
    const wait = this.lastNotified + this.notifyIntervalMs() - performance.now();
    if (wait <= 0) {
      this.lastNotified = performance.now();
      void this.load();
    } else
      this.deferred ??= setTimeout(() => {
        this.deferred = undefined;
        this.notified();
      }, wait);
  }
}
