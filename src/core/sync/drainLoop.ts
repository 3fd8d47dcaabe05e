/** Timers the loop runs on; injectable so tests need no real waiting. */
export interface DrainLoopTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: DrainLoopTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // background sync never keeps the process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What one drain tells the loop about the next one. */
export interface DrainRun {
  /** Earliest useful time for the next run (epoch ms), e.g. DrainReport.retryAt; undefined: the normal interval. */
  retryAt?: number;
  /** Nothing can be done until someone asks again (not signed in, no store): schedule nothing. */
  idle?: boolean;
}

export interface DrainLoopOptions {
  /**
   * One drain; `manual` when a runNow() request is part of this run. A throw is reported and retried later.
   * `signal` (one per run) is aborted by stop() and dispose(): stop before the next request and keep the rows.
   */
  drain(manual: boolean, signal: AbortSignal): Promise<DrainRun>;
  /** Read at every scheduling decision (settings change between runs). `enabled: false` stops the timer. */
  settings(): { enabled: boolean; intervalMs: number };
  /**
   * Every error a drain throws (timer runs and manual ones; a manual caller also gets it from runNow). Called once
   * the next run is scheduled: `nextRunAt` then says when (undefined: a follow-up runs now, or nothing is scheduled).
   */
  onError?(err: unknown, manual: boolean): void;
  timers?: DrainLoopTimers;
  /** No timer run sooner than this after scheduling (default 5 s). */
  minDelayMs?: number;
  /** First retry after a thrown drain; doubles per consecutive throw up to the interval (default 15 s). */
  errorBackoffMs?: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Background sync timing: runs the drain on a timer, at min(interval, retryAt) but never sooner than the floor;
 * after a thrown drain at a backoff doubling from `errorBackoffMs` up to the interval (reset by a drain that
 * returns). Never two drains at once: requests while one runs become one follow-up run. Schedules nothing while
 * `settings().enabled` is false, after stop() (until the next schedule() or runNow()), or after dispose(); both
 * also abort the running drain's signal. setSignedIn() starts and stops the loop as the sign-in state turns.
 */
export class DrainLoop {
  private readonly timers: DrainLoopTimers;
  private readonly minDelayMs: number;
  private readonly errorBackoffMs: number;
  private timer: unknown;
  private timerDue: number | undefined;
  private active = false;
  private followUp: { manual: boolean; waiters: Waiter[] } | undefined;
  private failures = 0;
  private stopped = false;
  private disposed = false;
  private abort: AbortController | undefined;
  private signedIn: boolean | undefined;

  constructor(private readonly o: DrainLoopOptions) {
    this.timers = o.timers ?? systemTimers;
    this.minDelayMs = o.minDelayMs ?? 5_000;
    this.errorBackoffMs = o.errorBackoffMs ?? 15_000;
  }

  /** When the timer will run the drain next (epoch ms), if it is set. */
  get nextRunAt(): number | undefined {
    return this.timerDue;
  }

  get running(): boolean {
    return this.active;
  }

  /** Consecutive drains that threw. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Sets the timer (replacing a pending one) to run at `at` (epoch ms), clamped to [floor, interval] from now;
   * without `at`, one interval from now. Nothing when disabled.
   */
  schedule(at?: number): void {
    if (this.disposed) return;
    this.stopped = false;
    this.arm(this.delayFor(at), false);
  }

  /**
   * Drains now, or right after the running drain (requests meanwhile share one follow-up run). Resolves when the
   * run carrying this request has finished, rejects with its error; resolves without a run after dispose().
   * Runs even when disabled (the drain decides what that means); the next timer run is scheduled as usual.
   */
  runNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.stopped = false;
    return this.request(true);
  }

  /**
   * Cancels the timer and the rescheduling of a running drain, until the next schedule() or runNow(), and aborts
   * the running drain's signal. A follow-up requested meanwhile still runs (with a fresh signal).
   */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.abort?.abort();
  }

  /**
   * Follows the sign-in state (this window's, or one adopted from another window): turning signed in (from signed
   * out or unknown) schedules a run now, the floor applying; turning signed out stops the loop as stop() does. The
   * same state again (a token refresh, an adopted refresh) changes nothing.
   */
  setSignedIn(signedIn: boolean): void {
    if (this.disposed || signedIn === this.signedIn) return;
    this.signedIn = signedIn;
    if (signedIn) this.schedule(this.timers.now());
    else this.stop();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimer();
    this.abort?.abort();
    const f = this.followUp;
    this.followUp = undefined;
    for (const w of f?.waiters ?? []) w.resolve();
  }

  private request(manual: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject };
      if (this.active) {
        this.followUp ??= { manual: false, waiters: [] };
        this.followUp.manual ||= manual;
        this.followUp.waiters.push(w);
      } else {
        void this.run(manual, [w]);
      }
    });
  }

  private async run(manual: boolean, waiters: Waiter[]): Promise<void> {
    this.active = true;
    this.clearTimer(); // this run supersedes a pending timer; its end decides the next one
    let result: DrainRun | undefined;
    let error: unknown;
    let threw = false;
    const abort = new AbortController();
    this.abort = abort;
    try {
      result = await this.o.drain(manual, abort.signal);
      this.failures = 0;
    } catch (e) {
      threw = true;
      error = e;
      this.failures++;
    }
    this.abort = undefined;
    this.active = false;
    const f = this.disposed ? undefined : this.followUp;
    this.followUp = undefined;
    if (!f && !this.disposed && !this.stopped) {
      if (threw) this.arm(this.errorDelay(), true);
      else if (!result?.idle) this.arm(this.delayFor(result?.retryAt), true);
    }
    if (threw) {
      try {
        this.o.onError?.(error, manual); // after scheduling, so nextRunAt tells when the retry comes
      } catch {
        // a failing reporter must not stop the loop
      }
    }
    for (const w of waiters) {
      if (threw) w.reject(error);
      else w.resolve();
    }
    if (f) void this.run(f.manual, f.waiters);
  }

  /** Sets the timer `delay` ms from now; `keepEarlier`: a pending timer due sooner (set during a run) stays. */
  private arm(delay: number | undefined, keepEarlier: boolean): void {
    if (delay === undefined) {
      this.clearTimer();
      return;
    }
    const due = this.timers.now() + delay;
    if (keepEarlier && this.timerDue !== undefined && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = this.timers.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = undefined;
    if (this.disposed || this.stopped || !this.o.settings().enabled) return;
    this.request(false).catch(() => undefined); // reported through onError
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = undefined;
  }

  /** Delay to `at` clamped to [floor, interval]; undefined when disabled. */
  private delayFor(at: number | undefined): number | undefined {
    const s = this.o.settings();
    if (!s.enabled) return undefined;
    const until = at === undefined ? Number.POSITIVE_INFINITY : at - this.timers.now();
    return Math.max(this.minDelayMs, Math.min(s.intervalMs, until));
  }

  private errorDelay(): number | undefined {
    const s = this.o.settings();
    if (!s.enabled) return undefined;
    const backoff = this.errorBackoffMs * 2 ** Math.min(this.failures - 1, 30);
    return Math.max(this.minDelayMs, Math.min(s.intervalMs, backoff));
  }
}
