import * as z from 'zod';
import { Disposable } from '../../shared/disposable';
import { Emitter } from '../../shared/event';
import { TRACED_HOOK_EVENTS } from './claudeHooksSettings';
import type { LiveSession, ProcessProbe } from './liveSessionRecord';

/**
 * One line the hook script (resources/claude-tracer-hook.sh) appends to the spool. Only what the monitor needs:
 * no prompt or message text ever reaches the spool. Lines that do not fit are skipped, never guessed at.
 */
export const HookSpoolLineSchema = z.object({
  v: z.literal(1),
  event: z.enum(TRACED_HOOK_EVENTS),
  /** When the hook ran, in whole seconds since the epoch (0 or absent: unknown). */
  t: z.number().int().nonnegative().optional(),
  /** Claude Code's pid ($CLAUDE_PID); 0 when the CLI did not say. */
  pid: z.number().int().nonnegative(),
  session: z.string().regex(/^[0-9A-Za-z_-]{1,128}$/),
  /** notification_type, SessionStart source or SessionEnd reason, from a fixed list; '' otherwise. */
  detail: z.string().max(40).default(''),
  /** $CLAUDE_PROJECT_DIR; '' when unknown. */
  cwd: z.string().max(4096).default(''),
});
export type HookSpoolLine = z.infer<typeof HookSpoolLineSchema>;

/** A hook event as the live monitor sees it, with the time it happened (no later than it truly did). */
export interface HookEvent extends HookSpoolLine {
  at: number;
}

/**
 * The event's time for the comparison with the registry: the start of the second the hook ran in (an async hook
 * can run late, so never the time it was read), else the time it was read.
 */
export function hookEventTime(line: Pick<HookSpoolLine, 't'>, receivedAt: number): number {
  return line.t ? Math.min(receivedAt, line.t * 1000) : receivedAt;
}

export function parseHookSpoolLine(line: string): HookSpoolLine | undefined {
  if (!line.trim()) return undefined;
  try {
    const r = HookSpoolLineSchema.safeParse(JSON.parse(line));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a hook event says about its session's state (null: nothing). */
export type HookHint =
  | { kind: 'status'; status: 'busy' | 'idle' | 'waiting' }
  | { kind: 'start' }
  | { kind: 'end'; reason: 'clear' | 'exit' };

/**
 * `Notification` → waiting (a permission prompt, a question, or Claude waiting for input), UserPromptSubmit and
 * PreCompact → busy, Stop → idle, SessionEnd → ended, SessionStart → known now. SubagentStop changes nothing: the main
 * agent carries on.
 */
export function hintOf(e: Pick<HookSpoolLine, 'event' | 'detail'>): HookHint | null {
  switch (e.event) {
    case 'Notification':
      return e.detail === 'auth_success' ? null : { kind: 'status', status: 'waiting' };
    case 'UserPromptSubmit':
    case 'PreCompact':
      return { kind: 'status', status: 'busy' };
    case 'Stop':
      return { kind: 'status', status: 'idle' };
    case 'SessionStart':
      return { kind: 'start' };
    case 'SessionEnd':
      return { kind: 'end', reason: e.detail === 'clear' ? 'clear' : 'exit' };
    default:
      return null;
  }
}

/** Hints older than this are forgotten (the registry has long caught up). */
const HINT_TTL_MS = 24 * 3_600_000;
const MAX_HINTS = 500;

interface KeptHint {
  hint: HookHint;
  event: HookEvent;
}

/**
 * The latest hook hint per session, and their merge into the registry's view. A hint counts only while it is newer
 * than what the registry last wrote for that session: the registry (and the process check) stays the source of
 * truth, hooks only make a change show sooner. Fires `onDidReceive` for every accepted event.
 */
export class HookHints extends Disposable {
  private readonly _onDidReceive = this._register(new Emitter<HookEvent>());
  readonly onDidReceive = this._onDidReceive.event;
  private readonly latest = new Map<string, KeptHint>();

  /** Takes one event; false when it says nothing about state. */
  accept(event: HookEvent): boolean {
    const hint = hintOf(event);
    if (!hint) return false;
    this.latest.delete(event.session); // re-insert: the map's order is the arrival order
    this.latest.set(event.session, { hint, event });
    this.prune(event.at);
    this._onDidReceive.fire(event);
    return true;
  }

  get size(): number {
    return this.latest.size;
  }

  private prune(now: number): void {
    for (const [id, k] of this.latest) {
      if (this.latest.size <= MAX_HINTS && now - k.event.at < HINT_TTL_MS) break;
      this.latest.delete(id);
    }
  }

  /**
   * The registry's live sessions with the newer hints applied: a status hint replaces the status, an end hint
   * removes the session, a start hint adds a session the registry does not list yet (while its process runs).
   */
  apply(sessions: readonly LiveSession[], isAlive: ProcessProbe): LiveSession[] {
    const out: LiveSession[] = [];
    const listed = new Set<string>();
    for (const s of sessions) {
      listed.add(s.sessionId);
      const k = this.latest.get(s.sessionId);
      if (!k || k.event.at <= s.updatedAt) {
        out.push(s);
        continue;
      }
      if (k.hint.kind === 'end') continue;
      if (k.hint.kind === 'status') out.push({ ...s, status: k.hint.status, updatedAt: k.event.at });
      else out.push(s);
    }
    for (const { hint, event } of this.latest.values()) {
      if (hint.kind !== 'start' || listed.has(event.session) || event.pid <= 0) continue;
      // the registry already shows this process under a later write (e.g. the session after a /clear)
      if (sessions.some((s) => s.pid === event.pid && s.updatedAt >= event.at)) continue;
      if (!isAlive(event.pid, undefined)) continue;
      out.push({
        pid: event.pid,
        sessionId: event.session,
        projectPath: event.cwd,
        status: 'idle',
        version: undefined,
        entrypoint: undefined,
        name: undefined,
        updatedAt: event.at,
      });
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }
}
