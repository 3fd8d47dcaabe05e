import { Disposable, toDisposable } from '../../shared/disposable';
import { Emitter } from '../../shared/event';
import {
  type LiveSession,
  type LiveSessionRecord,
  type ProcessProbe,
  pickPrimary,
  selectLiveSessions,
} from './liveSessionRecord';

export interface LiveSessionMonitorDeps {
  /** `invalid` lists registry files that could not be parsed, e.g. read while Claude Code was rewriting them. */
  readRegistry(): Promise<{ records: LiveSessionRecord[]; invalid?: readonly { file: string }[] }>;
  isAlive: ProcessProbe;
  workspaceFolders(): readonly string[];
  /** Hook events newer than the registry's last write (an accelerator: the registry stays the source of truth). */
  applyHints?(sessions: LiveSession[]): LiveSession[];
  /** Poll period; the registry has no change events we can rely on across platforms. */
  intervalMs?: number;
  onError?(err: unknown): void;
}

export interface LiveState {
  all: LiveSession[];
  primary: LiveSession | null;
}

/** Polls Claude Code's live registry and fires only when the set of live sessions or their status changes. */
export class LiveSessionMonitor extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<LiveState>());
  readonly onDidChange = this._onDidChange.event;
  private state: LiveState = { all: [], primary: null };
  private key = '';
  private running: Promise<void> | undefined;

  constructor(private readonly deps: LiveSessionMonitorDeps) {
    super();
    const timer = setInterval(() => void this.refresh(), deps.intervalMs ?? 2000);
    timer.unref?.();
    this._register(toDisposable(() => clearInterval(timer)));
  }

  get current(): LiveState {
    return this.state;
  }

  /** Re-reads now; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.running ??= this.read().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async read(): Promise<void> {
    try {
      const { records, invalid = [] } = await this.deps.readRegistry();
      let all = selectLiveSessions(records, this.deps.isAlive);
      // A file read mid-rewrite does not mean its session ended: keep what the last good read said about it.
      const torn = new Set(invalid.map((f) => registryPid(f.file)));
      for (const s of this.state.all)
        if (torn.has(s.pid) && !all.some((a) => a.pid === s.pid) && this.deps.isAlive(s.pid, undefined)) all.push(s);
      if (this.deps.applyHints) all = this.deps.applyHints(all);
      all.sort((a, b) => b.updatedAt - a.updatedAt);
      const primary = pickPrimary(all, this.deps.workspaceFolders());
      const key = JSON.stringify([all.map((s) => [s.pid, s.sessionId, s.status]), primary?.sessionId]);
      if (key === this.key) return;
      this.key = key;
      this.state = { all, primary };
      this._onDidChange.fire(this.state);
    } catch (e) {
      this.deps.onError?.(e);
    }
  }
}

/** The pid a registry file is named after (`<config>/sessions/<pid>.json`), NaN for any other name. */
function registryPid(file: string): number {
  const m = /(?:^|[\\/])(\d+)\.json$/.exec(file);
  return m ? Number(m[1]) : Number.NaN;
}
