/**
 * A fake of our own OutboxPort (src/core/sync/ports.ts) for tests: in memory, optionally persisted to a JSON
 * file after every change (write-to-temp + rename, like a durable store), so a process can be SIGKILLed
 * mid-drain and a new one resumes from what was acknowledged. The production outbox is the SQLite store's.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { InteractionEntry, OutboxEntry, OutboxPort, SessionEntry } from '../../../src/core/sync/ports';
import { type InteractionRow, modeRank, type RemoteSessionRow, type SendMode } from '../../../src/core/sync/rows';

interface Stored {
  entry: OutboxEntry;
  notBefore: number;
  lastError?: string;
}
interface State {
  seq: number;
  pending: Stored[];
  dead: { entry: OutboxEntry; reason: string }[];
  discarded: { id: number; reason: string }[];
  /** The local store's latest snapshot of every session (for ensureSessionQueued). */
  knownSessions: Record<string, { row: RemoteSessionRow; projectPath: string | null }>;
  /**
   * For requeueForMode: the interactions whose last ack carried a mode, by message uuid, with that mode (what the
   * SQLite store keeps in interactions.sent_mode; a re-send step drops the entry, as the store clears the mark).
   */
  sentAs: Record<string, { entry: InteractionEntry; mode: SendMode }>;
}

export class FileOutbox implements OutboxPort {
  private s: State;
  readonly calls: string[] = [];

  constructor(private readonly file?: string) {
    this.s = {
      seq: 0,
      pending: [],
      dead: [],
      discarded: [],
      knownSessions: {},
      sentAs: {},
      ...(file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}),
    };
  }

  private save(): void {
    if (!this.file) return;
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.s));
    renameSync(`${this.file}.tmp`, this.file);
  }

  enqueueSession(row: RemoteSessionRow, projectPath: string | null = row.project_path): number {
    const id = ++this.s.seq;
    this.s.knownSessions[row.session_id] = { row, projectPath };
    this.s.pending.push({
      entry: { id, kind: 'session', sessionKey: row.session_id, projectPath, attempts: 0, row },
      notBefore: 0,
    });
    this.save();
    return id;
  }

  enqueueInteraction(row: InteractionRow, projectPath: string | null): number {
    const id = ++this.s.seq;
    this.s.pending.push({
      entry: { id, kind: 'interaction', sessionKey: row.session_id, projectPath, attempts: 0, row },
      notBefore: 0,
    });
    this.save();
    return id;
  }

  /** Test helper: forget that a session was ever known locally. */
  forgetSession(key: string): void {
    delete this.s.knownSessions[key];
    this.save();
  }

  get pending(): readonly OutboxEntry[] {
    return this.s.pending.map((p) => p.entry);
  }
  get dead(): readonly { entry: OutboxEntry; reason: string }[] {
    return this.s.dead;
  }
  get discarded(): readonly { id: number; reason: string }[] {
    return this.s.discarded;
  }

  next(kind: 'session', limit: number, now: number): Promise<SessionEntry[]>;
  next(kind: 'interaction', limit: number, now: number): Promise<InteractionEntry[]>;
  async next(kind: OutboxEntry['kind'], limit: number, now: number): Promise<OutboxEntry[]> {
    this.calls.push(`next:${kind}`);
    return this.s.pending
      .filter((p) => p.entry.kind === kind && p.notBefore <= now)
      .sort((a, b) => a.entry.id - b.entry.id)
      .slice(0, limit)
      .map((p) => structuredClone(p.entry));
  }

  async ack(ids: readonly number[], sentAs?: SendMode): Promise<void> {
    this.calls.push(`ack:${ids.length}`);
    const set = new Set(ids);
    if (sentAs)
      for (const p of this.s.pending)
        if (set.has(p.entry.id) && p.entry.kind === 'interaction')
          this.s.sentAs[p.entry.row.message_uuid] = { entry: p.entry, mode: sentAs };
    this.s.pending = this.s.pending.filter((p) => !set.has(p.entry.id));
    this.save();
  }

  async retryLater(ids: readonly number[], notBefore: number, reason: string): Promise<void> {
    this.calls.push(`retryLater:${ids.length}`);
    for (const p of this.s.pending)
      if (ids.includes(p.entry.id)) {
        p.entry.attempts++;
        p.notBefore = notBefore;
        p.lastError = reason;
      }
    this.save();
  }

  async deadLetter(ids: readonly number[], reason: string): Promise<void> {
    this.calls.push(`deadLetter:${ids.length}`);
    const set = new Set(ids);
    for (const p of this.s.pending) if (set.has(p.entry.id)) this.s.dead.push({ entry: p.entry, reason });
    this.s.pending = this.s.pending.filter((p) => !set.has(p.entry.id));
    this.save();
  }

  async discard(ids: readonly number[], reason: string): Promise<void> {
    const set = new Set(ids);
    for (const id of ids) this.s.discarded.push({ id, reason });
    this.s.pending = this.s.pending.filter((p) => !set.has(p.entry.id));
    this.save();
  }

  async ensureSessionQueued(sessionKey: string): Promise<boolean> {
    this.calls.push(`ensureSessionQueued:${sessionKey}`);
    if (this.s.pending.some((p) => p.entry.kind === 'session' && p.entry.sessionKey === sessionKey)) return true;
    const known = this.s.knownSessions[sessionKey];
    if (!known) return false;
    this.enqueueSession(known.row, known.projectPath);
    return true;
  }

  async requeueForMode(
    mode: SendMode,
    limit: number,
    excluded: (projectPath: string | null) => boolean,
  ): Promise<{ queued: number; more: boolean }> {
    const lesser = () =>
      Object.keys(this.s.sentAs)
        .filter((k) => modeRank(this.s.sentAs[k]!.mode) < modeRank(mode))
        .sort();
    const keys = lesser().slice(0, Math.max(1, limit));
    if (keys.length === 0) return { queued: 0, more: false };
    const pending = new Set(
      this.s.pending.flatMap((p) => (p.entry.kind === 'interaction' ? [p.entry.row.message_uuid] : [])),
    );
    let queued = 0;
    for (const k of keys) {
      const e = this.s.sentAs[k]!.entry;
      delete this.s.sentAs[k];
      if (excluded(e.projectPath) || pending.has(k)) continue;
      this.s.pending.push({ entry: { ...structuredClone(e), id: ++this.s.seq, attempts: 0 }, notBefore: 0 });
      queued++;
    }
    this.save();
    return { queued, more: lesser().length > 0 };
  }

  async stats(): Promise<{ pending: number; deadLetters: number }> {
    return { pending: this.s.pending.length, deadLetters: this.s.dead.length };
  }
}
