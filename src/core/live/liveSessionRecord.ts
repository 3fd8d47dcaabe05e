import * as z from 'zod';

/**
 * One entry of Claude Code's live session registry, `<config>/sessions/<pid>.json` (CLI 2.1.x).
 * Written by interactive and `-p` sessions, rewritten on status change and `/clear`, deleted on clean exit;
 * a SIGKILL leaves a stale file behind, hence the liveness check on (pid, procStart).
 */
export const LiveSessionRecordSchema = z.looseObject({
  pid: z.number().int().positive(),
  sessionId: z.string().min(1),
  cwd: z.string(),
  startedAt: z.number().optional(),
  /** Process start time in clock ticks since boot (field 22 of /proc/<pid>/stat) — guards against pid reuse. */
  procStart: z.string().optional(),
  version: z.string().optional(),
  kind: z.string().optional(),
  entrypoint: z.string().optional(),
  status: z.string().optional(),
  name: z.string().optional(),
  updatedAt: z.number().optional(),
  /** `<tmux session>:@<window>.%<pane>` when the CLI runs inside tmux. */
  tmux: z.string().optional(),
});
export type LiveSessionRecord = z.infer<typeof LiveSessionRecordSchema>;

export interface LiveSession {
  pid: number;
  sessionId: string;
  projectPath: string;
  status: string;
  version: string | undefined;
  entrypoint: string | undefined;
  name: string | undefined;
  updatedAt: number;
  /** The registry's process start time and tmux pane, kept for the terminal binding. */
  procStart?: string;
  tmux?: string;
}

/** Liveness of a process, given the start time the registry recorded (undefined where the OS cannot tell). */
export type ProcessProbe = (pid: number, procStart: string | undefined) => boolean;

/** Keeps the records whose process still runs, newest activity first. */
export function selectLiveSessions(records: readonly LiveSessionRecord[], isAlive: ProcessProbe): LiveSession[] {
  return records
    .filter((r) => isAlive(r.pid, r.procStart))
    .map((r) => ({
      pid: r.pid,
      sessionId: r.sessionId,
      projectPath: r.cwd,
      // Claude Code registers a session before its first status update: no status yet means it is starting.
      status: r.status ?? 'starting',
      version: r.version,
      entrypoint: r.entrypoint,
      name: r.name,
      updatedAt: r.updatedAt ?? r.startedAt ?? 0,
      procStart: r.procStart,
      tmux: r.tmux,
    }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The session to show in the status bar: one in this workspace if any, else the most recently active. */
export function pickPrimary(live: readonly LiveSession[], workspaceFolders: readonly string[]): LiveSession | null {
  const inWorkspace = live.find((s) =>
    workspaceFolders.some((f) => s.projectPath === f || s.projectPath.startsWith(f.endsWith('/') ? f : `${f}/`)),
  );
  return inWorkspace ?? live[0] ?? null;
}
