import type { InteractionEntry, OutboxPort, SessionEntry } from './ports';
import type { SendMode } from './rows';

/**
 * An OutboxPort whose store arrives later (the extension opens its sync connection after the first scan has
 * created and migrated the store). Until then it is empty: nothing to send, nothing lost — the rows wait in
 * the store's outbox.
 */
export class DeferredOutbox implements OutboxPort {
  private inner: OutboxPort | undefined;
  private reason = 'the local store is not open yet';

  attach(outbox: OutboxPort): void {
    this.inner = outbox;
  }

  /** Why nothing can be sent (shown in the sync status), while no store is attached. */
  unavailable(reason: string): void {
    this.inner = undefined;
    this.reason = reason;
  }

  get ready(): boolean {
    return this.inner !== undefined;
  }

  get notReadyReason(): string | undefined {
    return this.inner ? undefined : this.reason;
  }

  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  async next(
    kind: 'session' | 'interaction',
    limit: number,
    now: number,
  ): Promise<SessionEntry[] | InteractionEntry[]> {
    if (!this.inner) return [];
    return kind === 'session' ? this.inner.next('session', limit, now) : this.inner.next('interaction', limit, now);
  }

  async ack(ids: readonly number[], sentAs?: SendMode): Promise<void> {
    await this.require().ack(ids, sentAs);
  }

  async retryLater(ids: readonly number[], notBefore: number, reason: string): Promise<void> {
    await this.require().retryLater(ids, notBefore, reason);
  }

  async deadLetter(ids: readonly number[], reason: string): Promise<void> {
    await this.require().deadLetter(ids, reason);
  }

  async discard(ids: readonly number[], reason: string): Promise<void> {
    await this.require().discard(ids, reason);
  }

  async ensureSessionQueued(sessionKey: string): Promise<boolean> {
    return this.inner ? this.inner.ensureSessionQueued(sessionKey) : false;
  }

  async stats(): Promise<{ pending: number; deadLetters: number }> {
    return this.inner ? this.inner.stats() : { pending: 0, deadLetters: 0 };
  }

  async requeueForMode(
    mode: SendMode,
    limit: number,
    excluded: (projectPath: string | null) => boolean,
  ): Promise<{ queued: number; more: boolean }> {
    return this.inner ? this.inner.requeueForMode(mode, limit, excluded) : { queued: 0, more: false };
  }

  /** Entries only come from next(), which returns none while detached, so these are never reached then. */
  private require(): OutboxPort {
    if (!this.inner) throw new Error(`sync outbox unavailable: ${this.reason}`);
    return this.inner;
  }
}
