import { Disposable } from '../../shared/disposable';
import { Emitter } from '../../shared/event';
import type { LiveSession } from './liveSessionRecord';

/**
 * Where a Claude Code session is in its life: `active` (working: a turn or a shell command runs), `waiting` (needs
 * the user: a permission prompt), `idle`, `abandoned` (idle longer than the setting), `ended` (process gone, its
 * registry entry removed or stale, or replaced by `/clear`).
 */
export type LifecycleState = 'active' | 'waiting' | 'idle' | 'abandoned' | 'ended';

/** Why a session ended: `exit` (entry removed or process gone), `clear` (same process, new session id). */
export type EndReason = 'exit' | 'clear';

export interface SessionStateChange {
  sessionId: string;
  pid: number;
  projectPath: string;
  from: LifecycleState | null;
  to: LifecycleState;
  /** When the state began (ms): the registry's update time where it has one, else when it was noticed. */
  at: number;
  reason?: EndReason;
}

export interface TrackedSession {
  session: LiveSession;
  state: Exclude<LifecycleState, 'ended'>;
  since: number;
}

/** The registry's status → lifecycle state (a status this build does not know counts as active: it is doing something). */
export function stateOf(s: LiveSession, now: number, abandonedAfterMs: number): Exclude<LifecycleState, 'ended'> {
  switch (s.status) {
    case 'waiting':
      return 'waiting';
    case 'idle':
    case 'starting':
      return abandonedAfterMs > 0 && now - s.updatedAt >= abandonedAfterMs ? 'abandoned' : 'idle';
    default:
      return 'active';
  }
}

/**
 * Follows each live session through its states, from successive live-registry snapshots (the monitor's), and fires
 * one typed event per transition. Sessions that leave the snapshot end: `clear` when their process still runs
 * under a new session id, `exit` otherwise.
 */
export class SessionLifecycle extends Disposable {
  private readonly _onDidChangeSession = this._register(new Emitter<SessionStateChange>());
  readonly onDidChangeSession = this._onDidChangeSession.event;
  private readonly tracked = new Map<string, TrackedSession>();

  constructor(private readonly abandonedAfterMs: () => number) {
    super();
  }

  get sessions(): readonly TrackedSession[] {
    return [...this.tracked.values()];
  }

  get(sessionId: string): TrackedSession | undefined {
    return this.tracked.get(sessionId);
  }

  /** Applies a snapshot; returns (and fires) the transitions, ends first. */
  update(live: readonly LiveSession[], now: number): SessionStateChange[] {
    const changes: SessionStateChange[] = [];
    const ids = new Set(live.map((s) => s.sessionId));
    const livePids = new Set(live.map((s) => s.pid));
    for (const [id, t] of this.tracked) {
      if (ids.has(id)) continue;
      this.tracked.delete(id);
      changes.push({
        sessionId: id,
        pid: t.session.pid,
        projectPath: t.session.projectPath,
        from: t.state,
        to: 'ended',
        at: now,
        reason: livePids.has(t.session.pid) ? 'clear' : 'exit',
      });
    }
    for (const s of live) {
      const state = stateOf(s, now, this.abandonedAfterMs());
      const prev = this.tracked.get(s.sessionId);
      if (prev && prev.state === state) {
        prev.session = s;
        continue;
      }
      // abandoned begins when the idle time ran out, not when we looked
      const at = state === 'abandoned' ? s.updatedAt + this.abandonedAfterMs() : s.updatedAt || now;
      this.tracked.set(s.sessionId, { session: s, state, since: at });
      changes.push({
        sessionId: s.sessionId,
        pid: s.pid,
        projectPath: s.projectPath,
        from: prev?.state ?? null,
        to: state,
        at,
      });
    }
    for (const c of changes) this._onDidChangeSession.fire(c);
    return changes;
  }
}
