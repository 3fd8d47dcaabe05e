import { Emitter, type Event } from '../../shared/event';
import { CircuitBreaker, classify, fullJitter, globToRegExp, isExcluded } from './policy';
import type {
  InteractionEntry,
  OutboxEntry,
  OutboxKind,
  OutboxPort,
  RemoteResult,
  SessionEntry,
  SyncClock,
  SyncRemote,
} from './ports';
import { systemClock } from './ports';
import { type InteractionRow, projectInteraction, projectSession, type RemoteSessionRow, type SendMode } from './rows';
import {
  DEFAULT_SYNC_CONFIG,
  type DrainOutcome,
  type DrainReport,
  type SyncConfig,
  type SyncStatus,
} from './syncTypes';

export type { DrainOutcome, DrainReport, SyncConfig, SyncStatus } from './syncTypes';

type Step = 'ok' | Exclude<DrainOutcome, 'drained' | 'disabled'>;

/**
 * Drains the local outbox to the server: session rows first (merge upsert), then interactions (upsert; the remote
 * merges a row it already has — both callers configure merge, as an interaction grows after its first sync),
 * complete homogeneous rows, adaptive batches. Error policy:
 *   401 → refresh once, retry; 429 → honour Retry-After; 5xx/network → full-jitter backoff (circuit breaker);
 *   413 / statement timeout → halve the batch; 409 23503 → the interactions wait for their parent session;
 *   other 4xx → bisect to the offending rows and dead-letter them with the reason.
 * Nothing is removed from the outbox before the server acknowledged it. Acks carry the mode rows were sent in; after a
 * switch to a mode that sends more, each round first re-queues one bounded step of what a lesser mode sent.
 */
export class SyncEngine {
  private config: SyncConfig;
  private globs: RegExp[] = [];
  private readonly breaker: CircuitBreaker;
  private batchRows: number;
  private batchBytes: number;
  private okStreak = 0;
  private running: Promise<DrainReport> | undefined;
  private report!: DrainReport;
  private needSessionPass = false;
  private status: SyncStatus;
  private readonly statusEmitter = new Emitter<SyncStatus>();
  readonly onDidChangeStatus: Event<SyncStatus> = this.statusEmitter.event;

  constructor(
    private readonly outbox: OutboxPort,
    private readonly remote: SyncRemote,
    config: Partial<SyncConfig> = {},
    private readonly clock: SyncClock = systemClock,
    breaker?: CircuitBreaker,
  ) {
    this.config = { ...DEFAULT_SYNC_CONFIG, ...config };
    this.globs = this.config.excludeProjects.map(globToRegExp);
    this.breaker = breaker ?? new CircuitBreaker();
    this.batchRows = this.config.maxBatchRows;
    this.batchBytes = this.config.maxBatchBytes;
    this.status = { mode: this.config.mode, running: false, breaker: 'closed' };
  }

  updateConfig(patch: Partial<SyncConfig>): void {
    this.config = { ...this.config, ...patch };
    this.globs = this.config.excludeProjects.map(globToRegExp);
    this.batchRows = Math.min(this.batchRows, this.config.maxBatchRows);
    this.batchBytes = Math.min(this.batchBytes, this.config.maxBatchBytes);
    this.setStatus({ mode: this.config.mode });
  }

  getStatus(): SyncStatus {
    return { ...this.status, breaker: this.breaker.state(this.clock.now()) };
  }

  /** One drain at a time: a call while draining returns the running drain. */
  drain(signal?: AbortSignal): Promise<DrainReport> {
    this.running ??= this.doDrain(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  private async doDrain(signal?: AbortSignal): Promise<DrainReport> {
    this.report = {
      outcome: 'drained',
      requests: 0,
      rowsSent: 0,
      rowsRetried: 0,
      acked: 0,
      deadLettered: 0,
      discarded: 0,
      waitingForParent: 0,
      requeuedForMode: 0,
      bytesSent: 0,
      authRefreshes: 0,
      batchRows: this.batchRows,
    };
    if (this.config.mode === 'off') return this.finish('disabled');
    if (this.breaker.state(this.clock.now()) === 'open') return this.finish('circuit-open');
    this.setStatus({ running: true });
    try {
      for (let round = 0; round < 10_000; round++) {
        this.needSessionPass = false;
        let progressed = false;
        // after a switch to a mode that sends more, put back one bounded step of what was sent in a lesser mode
        const resend = await this.outbox.requeueForMode(this.sendMode(), this.config.resendBatchRows, (p) =>
          isExcluded(p, this.globs),
        );
        this.report.requeuedForMode += resend.queued;
        if (resend.more) progressed = true;
        for (const kind of ['session', 'interaction'] as const) {
          for (;;) {
            if (signal?.aborted) return this.finish('aborted');
            const now = this.clock.now();
            const entries =
              kind === 'session'
                ? await this.outbox.next('session', this.batchRows, now)
                : await this.outbox.next('interaction', this.batchRows, now);
            if (entries.length === 0) break;
            if (!this.breaker.allow(now)) return this.finish('circuit-open');
            progressed = true;
            const excluded = entries.filter((e) => isExcluded(e.projectPath, this.globs));
            if (excluded.length) {
              await this.outbox.discard(
                excluded.map((e) => e.id),
                'project excluded from sync',
              );
              this.report.discarded += excluded.length;
            }
            const batch = this.fitBytes(entries.filter((e) => !excluded.includes(e)));
            if (batch.length === 0) continue;
            const step = await this.deliver(kind, batch, signal);
            if (step !== 'ok') return this.finish(step);
            if (kind === 'interaction' && this.needSessionPass) break;
          }
          if (this.needSessionPass) break;
        }
        if (!progressed) break;
      }
      return this.finish('drained');
    } finally {
      this.setStatus({ running: false });
    }
  }

  /** Oldest entries whose JSON fits the byte budget (at least one). */
  private fitBytes<E extends OutboxEntry>(entries: E[]): E[] {
    const out: E[] = [];
    let bytes = 2;
    for (const e of entries) {
      const b = byteLength(JSON.stringify(e.row)) + 1;
      if (out.length > 0 && bytes + b > this.batchBytes) break;
      out.push(e);
      bytes += b;
    }
    return out;
  }

  private rowsFor(
    kind: OutboxKind,
    entries: readonly OutboxEntry[],
    mode: SendMode,
  ): RemoteSessionRow[] | InteractionRow[] {
    if (kind === 'session') {
      // several snapshots of one session in a batch: send the newest only (ON CONFLICT DO UPDATE may not touch a
      // row twice in one statement); the older entries are acked with it.
      const latest = new Map<string, SessionEntry>();
      for (const e of entries as SessionEntry[]) {
        const cur = latest.get(e.row.session_id);
        if (!cur || e.id > cur.id) latest.set(e.row.session_id, e);
      }
      return [...latest.values()].sort((a, b) => a.id - b.id).map((e) => projectSession(e.row));
    }
    const seen = new Set<string>();
    const rows: InteractionRow[] = [];
    for (const e of entries as InteractionEntry[]) {
      if (seen.has(e.row.message_uuid)) continue;
      seen.add(e.row.message_uuid);
      rows.push(projectInteraction(e.row, mode));
    }
    return rows;
  }

  /** The projection rows get now ('off' never sends; a drain that started before a switch to off projects metadata). */
  private sendMode(): SendMode {
    return this.config.mode === 'full' ? 'full' : 'metadata';
  }

  private async deliver(
    kind: OutboxKind,
    entries: OutboxEntry[],
    signal?: AbortSignal,
    isResend = false,
  ): Promise<Step> {
    const sentAs = this.sendMode();
    const rows = this.rowsFor(kind, entries, sentAs);
    const bodyBytes = byteLength(JSON.stringify(rows));
    const ids = entries.map((e) => e.id);
    let attempt = 0;
    let refreshed = false;
    let resend = isResend;
    for (;;) {
      if (signal?.aborted) return 'aborted';
      // the drain loop asked allow() for this batch (half-open: this is the probe); only an open circuit stops here
      if (this.breaker.state(this.clock.now()) === 'open') return 'circuit-open';
      let res: RemoteResult;
      try {
        res =
          kind === 'session'
            ? await this.remote.upsertSessions(rows as RemoteSessionRow[])
            : await this.remote.upsertInteractions(rows as InteractionRow[]);
      } catch (e) {
        res = { ok: false, status: 0, message: e instanceof Error ? e.message : String(e) };
      }
      this.report.requests++;
      this.report.rowsSent += rows.length;
      this.report.bytesSent += bodyBytes;
      if (resend) this.report.rowsRetried += rows.length;
      resend = true;

      if (res.ok) {
        this.breaker.success();
        await this.outbox.ack(ids, sentAs);
        this.report.acked += ids.length;
        if (++this.okStreak >= this.config.growAfter) {
          this.okStreak = 0;
          this.batchRows = Math.min(this.config.maxBatchRows, this.batchRows * 2);
          this.batchBytes = Math.min(this.config.maxBatchBytes, this.batchBytes * 2);
        }
        return 'ok';
      }
      this.okStreak = 0;
      const reason = describe(res);
      this.report.lastError = reason;
      const action = classify(res);
      switch (action.kind) {
        case 'refresh-auth': {
          if (refreshed) return 'auth-required';
          refreshed = true;
          this.breaker.success(); // the server answered: it is alive
          this.report.authRefreshes++;
          if (!(await this.remote.refreshAuth())) return 'auth-required';
          continue;
        }
        case 'wait':
        case 'backoff': {
          this.breaker.failure(this.clock.now());
          const ms =
            action.kind === 'wait' && action.ms !== undefined
              ? action.ms
              : fullJitter(attempt, () => this.clock.random(), this.config.backoffBaseMs, this.config.backoffCapMs);
          attempt++;
          if (attempt >= this.config.maxAttempts || ms > this.config.maxRetryAfterMs) {
            await this.outbox.retryLater(ids, this.clock.now() + ms, reason);
            this.report.retryAt = this.clock.now() + ms;
            return 'gave-up';
          }
          if (this.breaker.state(this.clock.now()) === 'open') {
            await this.outbox.retryLater(ids, this.breaker.retryAt(), reason);
            return 'circuit-open';
          }
          await this.clock.sleep(ms, signal);
          continue;
        }
        case 'split': {
          this.breaker.success();
          if (entries.length === 1) {
            await this.outbox.deadLetter(ids, `too large for one request (${bodyBytes} bytes): ${reason}`);
            this.report.deadLettered += 1;
            return 'ok';
          }
          this.batchRows = Math.max(1, Math.floor(entries.length / 2));
          if (res.status === 413) this.batchBytes = Math.max(1024, Math.floor(bodyBytes / 2));
          return this.deliverHalves(kind, entries, signal);
        }
        case 'missing-parent': {
          this.breaker.success();
          const keys = new Set(entries.map((e) => e.sessionKey));
          if (keys.size > 1) {
            // find out which session is missing: one group per session
            for (const key of keys) {
              const step = await this.deliver(
                kind,
                entries.filter((e) => e.sessionKey === key),
                signal,
                true,
              );
              if (step !== 'ok') return step;
            }
            return 'ok';
          }
          const [key] = keys;
          const waited = Math.max(...entries.map((e) => e.attempts));
          if (waited >= this.config.maxParentWaits) {
            await this.outbox.deadLetter(
              ids,
              `session ${key} is still missing on the server after ${waited} attempts: ${reason}`,
            );
            this.report.deadLettered += ids.length;
            return 'ok';
          }
          if (!(await this.outbox.ensureSessionQueued(key!))) {
            await this.outbox.deadLetter(ids, `session ${key} is unknown locally: ${reason}`);
            this.report.deadLettered += ids.length;
            return 'ok';
          }
          await this.outbox.retryLater(ids, this.clock.now(), `waiting for session ${key}`);
          this.report.waitingForParent += ids.length;
          this.needSessionPass = true;
          return 'ok';
        }
        case 'reject': {
          this.breaker.success();
          if (entries.length > 1) return this.deliverHalves(kind, entries, signal); // isolate the offending rows
          await this.outbox.deadLetter(ids, reason);
          this.report.deadLettered += 1;
          return 'ok';
        }
      }
    }
  }

  private async deliverHalves(kind: OutboxKind, entries: OutboxEntry[], signal?: AbortSignal): Promise<Step> {
    const mid = Math.ceil(entries.length / 2);
    for (const half of [entries.slice(0, mid), entries.slice(mid)]) {
      if (half.length === 0) continue;
      const step = await this.deliver(kind, half, signal, true);
      if (step !== 'ok') return step;
    }
    return 'ok';
  }

  private finish(outcome: DrainOutcome): DrainReport {
    this.report.outcome = outcome;
    this.report.batchRows = this.batchRows;
    if (outcome === 'circuit-open') this.report.retryAt = this.breaker.retryAt();
    this.setStatus({
      lastOutcome: outcome,
      lastError: this.report.lastError,
      lastDrainAt: this.clock.now(),
      retryAt: this.report.retryAt,
    });
    return this.report;
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch, breaker: this.breaker.state(this.clock.now()) };
    this.statusEmitter.fire(this.getStatus());
  }

  dispose(): void {
    this.statusEmitter.dispose();
  }
}

function describe(f: { status: number; code?: string; message: string }): string {
  return `${f.status === 0 ? 'network' : `HTTP ${f.status}`}${f.code ? ` ${f.code}` : ''}: ${f.message}`.slice(0, 500);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
