import assert from 'node:assert/strict';
import { DrainLoop, type DrainLoopTimers, type DrainRun } from '../../../src/core/sync/drainLoop';
import type { RemoteResult, SyncRemote } from '../../../src/core/sync/ports';
import type { InteractionRow, RemoteSessionRow } from '../../../src/core/sync/rows';
import { type DrainReport, SyncEngine } from '../../../src/core/sync/syncEngine';
import { FileOutbox } from './fileOutbox';
import { sessionRow } from './helpers';

/** Lets pending promise callbacks run (one macrotask); no timing is measured. */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** A manual clock: timers fire only when the test advances time. */
class FakeTimers implements DrainLoopTimers {
  t = 1_700_000_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  /** Delays (from now) of the timers that are set. */
  get delays(): number[] {
    return [...this.pending.values()].map((p) => p.at - this.t).sort((a, b) => a - b);
  }
  /** Moves time forward, firing due timers in order and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

type Step = DrainRun | Error | 'hold' | (() => DrainRun);

/** A drain that answers from a script; 'hold' drains finish when the test calls release(). */
function scriptedDrain(script: Step[], fallback: Step = {}) {
  const calls: boolean[] = [];
  const signals: AbortSignal[] = [];
  const held: (() => void)[] = [];
  let running = 0;
  let maxConcurrent = 0;
  return {
    calls,
    signals,
    get maxConcurrent() {
      return maxConcurrent;
    },
    release() {
      held.shift()!();
    },
    drain: async (manual: boolean, signal: AbortSignal): Promise<DrainRun> => {
      calls.push(manual);
      signals.push(signal);
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      try {
        const step = script.length ? script.shift()! : fallback;
        if (step === 'hold') {
          await new Promise<void>((r) => held.push(r));
          return {};
        }
        if (step instanceof Error) throw step;
        return typeof step === 'function' ? step() : step;
      } finally {
        running--;
      }
    },
  };
}

function setup(script: Step[], opts: { intervalMs?: number; fallback?: Step } = {}) {
  const timers = new FakeTimers();
  const d = scriptedDrain(script, opts.fallback);
  const settings = { enabled: true, intervalMs: opts.intervalMs ?? 120_000 };
  const errors: string[] = [];
  const loop = new DrainLoop({
    drain: d.drain,
    settings: () => settings,
    onError: (e, manual) => errors.push(`${manual ? 'manual' : 'timer'}:${(e as Error).message}`),
    timers,
  });
  return { timers, d, script, settings, errors, loop };
}

const locked = () => new Error('database is locked');

describe('DrainLoop', () => {
  it('a thrown drain is reported and followed by another scheduled run', async () => {
    const { timers, d, errors, loop } = setup([locked(), {}]);
    loop.schedule(timers.now());
    assert.deepEqual(timers.delays, [5_000]);
    await timers.advance(5_000);
    assert.equal(d.calls.length, 1);
    assert.deepEqual(errors, ['timer:database is locked']);
    assert.deepEqual(timers.delays, [15_000], 'a retry is scheduled after the throw');
    await timers.advance(15_000);
    assert.equal(d.calls.length, 2);
    assert.deepEqual(timers.delays, [120_000], 'a successful drain goes back to the interval');
    loop.dispose();
  });

  it('consecutive throws back off from 15 s, doubling up to the interval; a success resets it', async () => {
    const { timers, d, loop } = setup([locked(), locked(), locked(), locked(), {}, locked()], { intervalMs: 60_000 });
    loop.schedule(timers.now());
    await timers.advance(5_000);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(timers.delays[0]!);
      await timers.advance(timers.delays[0]!);
    }
    assert.deepEqual(seen, [15_000, 30_000, 60_000, 60_000, 60_000]);
    assert.equal(loop.consecutiveFailures, 1, 'the success reset the count; the next throw is the first again');
    assert.deepEqual(timers.delays, [15_000]);
    assert.equal(d.calls.length, 6);
    loop.dispose();
  });

  it('honours retryAt, clamped to the 5 s floor and the interval', async () => {
    const { timers, d, script, loop } = setup([]);
    /** The next timer run answers retryAt = (time of the drain) + `inMs`; returns the delays set after it. */
    const next = async (inMs?: number) => {
      script.push(() => (inMs === undefined ? {} : { retryAt: timers.now() + inMs }));
      const before = d.calls.length;
      await timers.advance(timers.delays[0]!);
      assert.equal(d.calls.length, before + 1);
      return timers.delays;
    };
    loop.schedule();
    assert.deepEqual(timers.delays, [120_000], 'schedule() without a time: one interval');
    assert.deepEqual(await next(20_000), [20_000]);
    assert.deepEqual(await next(1_000), [5_000], 'sooner than the floor → floor');
    assert.deepEqual(await next(-60_000), [5_000], 'in the past → floor');
    assert.deepEqual(await next(600_000), [120_000], 'later than the interval → interval');
    assert.deepEqual(await next(), [120_000]);
    loop.schedule(timers.now() + 1_000);
    assert.deepEqual(timers.delays, [5_000], 'schedule() is clamped too, and replaces the pending timer');
    loop.dispose();
  });

  it('never runs two drains at once: requests during a drain become one follow-up run', async () => {
    const { timers, d, loop } = setup(['hold', 'hold']);
    const first = loop.runNow();
    await settle();
    assert.equal(loop.running, true);
    loop.schedule(timers.now()); // a timer that fires while the drain runs
    const during = [loop.runNow(), loop.runNow(), loop.runNow()];
    await timers.advance(5_000);
    assert.equal(d.calls.length, 1, 'nothing starts while the first drain runs');
    d.release();
    await first;
    await settle();
    assert.equal(d.calls.length, 2, 'exactly one follow-up');
    assert.equal(d.calls[1], true, 'a manual request makes the follow-up manual');
    let resolved = false;
    void Promise.all(during).then(() => (resolved = true));
    await settle();
    assert.equal(resolved, false, 'requests made during the first drain wait for the follow-up');
    d.release();
    await Promise.all(during);
    assert.equal(d.maxConcurrent, 1);
    assert.deepEqual(timers.delays, [120_000]);
    loop.dispose();
  });

  it('runNow rejects with the error of its own run, which is also reported and retried', async () => {
    const { timers, errors, loop } = setup([locked()]);
    await assert.rejects(loop.runNow(), /database is locked/);
    assert.deepEqual(errors, ['manual:database is locked']);
    assert.deepEqual(timers.delays, [15_000]);
    await loop.runNow(); // the fallback drain succeeds
    assert.deepEqual(timers.delays, [120_000]);
    loop.dispose();
  });

  it('dispose stops: no timer run, no reschedule after a running drain, no follow-up', async () => {
    const { timers, d, loop } = setup(['hold']);
    loop.schedule(timers.now());
    loop.dispose();
    await timers.advance(600_000);
    assert.equal(d.calls.length, 0);

    const b = setup(['hold']);
    const first = b.loop.runNow();
    await settle();
    const followUp = b.loop.runNow();
    b.loop.dispose();
    await followUp; // resolves without running
    b.d.release();
    await first;
    await b.timers.advance(600_000);
    assert.equal(b.d.calls.length, 1);
    assert.deepEqual(b.timers.delays, []);
    await b.loop.runNow();
    b.loop.schedule();
    assert.equal(b.d.calls.length, 1);
    assert.deepEqual(b.timers.delays, []);
  });

  it('mode off stops the timer; Sync Now still runs but schedules nothing', async () => {
    const { timers, d, settings, loop } = setup([]);
    loop.schedule(timers.now());
    settings.enabled = false;
    await timers.advance(5_000);
    assert.equal(d.calls.length, 0, 'a timer due after the switch to off does not drain');
    loop.schedule();
    assert.deepEqual(timers.delays, []);
    await loop.runNow();
    assert.equal(d.calls.length, 1);
    assert.deepEqual(timers.delays, []);

    // switched off while a drain runs (also after a throw): nothing is scheduled when it ends
    const b = setup(['hold', locked()]);
    const run = b.loop.runNow();
    await settle();
    b.settings.enabled = false;
    b.d.release();
    await run;
    assert.deepEqual(b.timers.delays, []);
    await assert.rejects(b.loop.runNow(), /locked/);
    assert.deepEqual(b.timers.delays, []);
    b.settings.enabled = true;
    b.loop.schedule();
    assert.deepEqual(b.timers.delays, [120_000], 'switching back on schedules again');
    b.loop.dispose();
  });

  it('an idle drain (not signed in) schedules nothing, but a schedule() made meanwhile stands', async () => {
    const { timers, d, loop } = setup([{ idle: true }, 'hold', { idle: true }]);
    loop.schedule(timers.now());
    await timers.advance(5_000);
    assert.equal(d.calls.length, 1);
    assert.deepEqual(timers.delays, []);
    const run = loop.runNow();
    await settle();
    loop.schedule(timers.now()); // e.g. sign-in completes while the drain runs
    d.release();
    await run;
    assert.deepEqual(timers.delays, [5_000], 'the sooner timer set during the run is kept');
    loop.dispose();
  });

  it('stop() cancels the timer and the reschedule of a running drain until the next request', async () => {
    const { timers, d, loop } = setup(['hold']);
    loop.schedule();
    const run = loop.runNow();
    await settle();
    loop.stop();
    d.release();
    await run;
    assert.deepEqual(timers.delays, []);
    await timers.advance(600_000);
    assert.equal(d.calls.length, 1);
    await loop.runNow();
    assert.deepEqual(timers.delays, [120_000], 'Sync Now resumes the background schedule');
    loop.dispose();
  });

  it("stop() and dispose() abort the running drain's signal; every run gets a fresh one", async () => {
    const { timers, d, loop } = setup(['hold', 'hold', 'hold']);
    const first = loop.runNow();
    await settle();
    assert.equal(d.signals[0]?.aborted, false);
    loop.stop(); // sign-out
    assert.equal(d.signals[0]?.aborted, true, 'stop() aborts the running drain');
    d.release();
    await first;

    const second = loop.runNow();
    await settle();
    assert.equal(d.signals[1]?.aborted, false, 'the next run is not born aborted');
    d.release();
    await second;
    loop.stop(); // no drain running: nothing to abort, and the finished run's signal stays as it was
    assert.equal(d.signals[1]?.aborted, false);

    const third = loop.runNow();
    await settle();
    loop.dispose();
    assert.equal(d.signals[2]?.aborted, true, 'dispose() aborts the running drain');
    d.release();
    await third;
    await timers.advance(600_000);
    assert.equal(d.calls.length, 3);
  });

  it('disposed during a drain of the real SyncEngine: it stops before its next request and keeps the rows', async () => {
    const outbox = new FileOutbox();
    for (const id of ['a', 'b', 'c']) outbox.enqueueSession(sessionRow(id));
    let releaseFirst!: () => void;
    const requests: string[] = [];
    const remote: SyncRemote = {
      async upsertSessions(rows: readonly RemoteSessionRow[]): Promise<RemoteResult> {
        requests.push(rows.map((r) => r.session_id).join(','));
        if (requests.length === 1) await new Promise<void>((r) => (releaseFirst = r));
        return { ok: true };
      },
      async upsertInteractions(_rows: readonly InteractionRow[]): Promise<RemoteResult> {
        return { ok: true };
      },
      async refreshAuth() {
        return true;
      },
    };
    const engine = new SyncEngine(outbox, remote, { mode: 'metadata', maxBatchRows: 1 });
    const reports: DrainReport[] = [];
    const timers = new FakeTimers();
    // what the extension's controller does: the loop's signal goes to the engine
    const loop = new DrainLoop({
      drain: async (_manual, signal) => {
        reports.push(await engine.drain(signal));
        return {};
      },
      settings: () => ({ enabled: true, intervalMs: 120_000 }),
      timers,
    });
    const run = loop.runNow();
    while (requests.length === 0) await settle();
    loop.dispose(); // the window closes while the first request is on the wire
    releaseFirst();
    await run;
    assert.deepEqual(requests, ['a'], 'no request after dispose');
    assert.equal(reports[0]?.outcome, 'aborted');
    assert.deepEqual(
      outbox.pending.map((e) => e.sessionKey),
      ['b', 'c'],
      'the rows not sent stay queued',
    );
    assert.deepEqual(timers.delays, []);
  });

  it('follows the sign-in state: signed in (e.g. adopted from another window) schedules a run, signed out stops the loop', async () => {
    const { timers, d, loop } = setup([]);
    loop.setSignedIn(false); // startup, not signed in
    assert.deepEqual(timers.delays, []);
    loop.setSignedIn(true); // another window signed in; this one adopted the session
    assert.deepEqual(timers.delays, [5_000], 'a run is scheduled now (the floor applies)');
    await timers.advance(5_000);
    assert.equal(d.calls.length, 1);
    assert.deepEqual(timers.delays, [120_000]);
    await timers.advance(60_000);
    loop.setSignedIn(true); // a token refresh: still signed in
    assert.deepEqual(timers.delays, [60_000], 'the same state again does not move the timer');
    loop.setSignedIn(false); // signed out here or in another window
    assert.deepEqual(timers.delays, []);
    await timers.advance(600_000);
    assert.equal(d.calls.length, 1, 'no run after the sign-out');
    loop.setSignedIn(true);
    assert.deepEqual(timers.delays, [5_000], 'signing in again starts it again');
    loop.dispose();
    loop.setSignedIn(false);
    loop.setSignedIn(true);
    assert.deepEqual(timers.delays, []);
  });

  it('signed out while a drain runs: the drain is aborted and nothing is rescheduled', async () => {
    const { timers, d, loop } = setup(['hold']);
    loop.setSignedIn(true);
    await timers.advance(5_000);
    assert.equal(loop.running, true);
    loop.setSignedIn(false);
    assert.equal(d.signals[0]?.aborted, true);
    d.release();
    await settle();
    assert.equal(loop.running, false);
    assert.deepEqual(timers.delays, []);
    loop.dispose();
  });
});
