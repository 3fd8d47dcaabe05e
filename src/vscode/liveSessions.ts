import { type FSWatcher, watch } from 'node:fs';
import * as vscode from 'vscode';
import { HookHints } from '../core/live/hookEvents';
import { LiveSessionMonitor } from '../core/live/liveSessionMonitor';
import type { LiveSession } from '../core/live/liveSessionRecord';
import type { LiveStatsSnapshot } from '../core/live/liveSessionStats';
import { type LifecycleState, SessionLifecycle, type SessionStateChange } from '../core/live/sessionLifecycle';
import { bindTerminals, liveRecordsIn, type TerminalBinding } from '../core/live/terminalBinding';
import { type StalledFlag, stalledFlag, stallsAt, type UsualDurations } from '../core/live/toolStall';
import { PriceTable } from '../core/pricing/priceTable';
import { globToRegExp, isExcluded } from '../core/sync/policy';
import { readLiveRegistry } from '../infra/live/liveRegistryReader';
import { isProcessAlive } from '../infra/live/processProbe';
import { readProcessTable } from '../infra/live/processTableReader';
import { findTranscript, TranscriptTail } from '../infra/live/transcriptTail';
import { Disposable, toDisposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import type { Logger } from './logger';
import { TerminalTracker } from './terminalTracker';

/** One live session as the status bar and the commands see it. */
export interface LiveView {
  session: LiveSession;
  state: Exclude<LifecycleState, 'ended'>;
  since: number;
  stats: LiveStatsSnapshot | undefined;
  binding: TerminalBinding | undefined;
  terminal: vscode.Terminal | undefined;
  /** A tool call running far longer than that tool usually takes (only while the session works). */
  stalled: StalledFlag | undefined;
}

export interface LiveSessionsDeps {
  log: Logger;
  configRoots(): readonly string[];
  abandonedAfterMs(): number;
  onStateChange?(c: SessionStateChange): void;
  /** How long each tool usually runs (the user's history in the store); empty: the rule's fixed allowance. */
  usualToolDurations?(): UsualDurations;
}

/** Transcript appends reach the status bar after at most this long (coalesces a burst of streamed lines). */
const TAIL_DEBOUNCE_MS = 40;
/** Abandonment is a matter of minutes: checked this often, only while sessions run. */
const LIFECYCLE_TICK_MS = 30_000;

/**
 * Live Claude Code sessions in this window: the registry monitor, each session's lifecycle, the terminal each runs
 * in, and its figures from the transcript (watched file by file, so an appended line shows within the debounce).
 */
export class LiveSessions extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<void>());
  readonly onDidChange = this._onDidChange.event;
  readonly lifecycle: SessionLifecycle;
  readonly terminals: TerminalTracker;
  /** Claude Code hook events (when the hooks are installed): state changes show before the registry is re-read. */
  readonly hooks: HookHints;
  private readonly monitor: LiveSessionMonitor;
  private bindings: TerminalBinding[] = [];
  /** Terminals "Start Claude in Tracked Terminal" opened, with the session id it gave claude. */
  private readonly expected = new Map<string, string>();
  private readonly tails = new Map<string, TailEntry>();
  private prices = PriceTable.builtin();
  /** Projects not tracked (`claudeTracer.tracking.excludeProjects`): their sessions are not shown. */
  private excluded: RegExp[] = [];
  private paused = false;
  private binding: Promise<void> | undefined;
  private rebindAgain = false;
  private lastAppendAt = 0;
  private lastBindInputs = '';

  constructor(private readonly deps: LiveSessionsDeps) {
    super();
    this.terminals = this._register(new TerminalTracker());
    this.lifecycle = this._register(new SessionLifecycle(deps.abandonedAfterMs));
    this.hooks = this._register(new HookHints());
    this.monitor = this._register(
      new LiveSessionMonitor({
        readRegistry: () => (this.paused ? Promise.resolve({ records: [] }) : readLiveRegistry(deps.configRoots())),
        isAlive: isProcessAlive,
        workspaceFolders,
        applyHints: (all) => (this.paused ? all : this.hooks.apply(all, isProcessAlive)),
        onError: (e) => deps.log.warn(`registry read failed: ${String(e)}`),
      }),
    );
    this._register(
      this.hooks.onDidReceive((e) => {
        deps.log.debug(`hook ${e.event} ${e.session}${e.detail ? ` (${e.detail})` : ''}`);
        void this.monitor.refresh();
      }),
    );
    this._register(toDisposable(() => clearTimeout(this.stallTimer)));
    this._register(this.monitor.onDidChange(() => this.onRegistry()));
    this._register(this.terminals.onDidRequestCheck((why) => this.rebind(why)));
    this._register(this.terminals.onDidChangeActive(() => this._onDidChange.fire()));
    this._register(
      this.lifecycle.onDidChangeSession((c) => {
        deps.log.info(`session ${c.sessionId} ${c.from ?? 'new'} → ${c.to}${c.reason ? ` (${c.reason})` : ''}`);
        deps.onStateChange?.(c);
      }),
    );
    const tick = setInterval(() => {
      if (!this.paused && this.lifecycle.sessions.length > 0 && this.lifecycle.update(this.all, Date.now()).length)
        this._onDidChange.fire();
    }, LIFECYCLE_TICK_MS);
    tick.unref?.();
    this._register(toDisposable(() => clearInterval(tick)));
    this._register(toDisposable(() => this.closeTails(new Set())));
  }

  /** Re-reads the registry now (file events from the config roots). */
  refresh(): Promise<void> {
    return this.monitor.refresh();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (paused) this.closeTails(new Set());
    void this.monitor.refresh();
  }

  /** The live registry's sessions, less those of excluded projects. */
  get all(): readonly LiveSession[] {
    const all = this.monitor.current.all;
    return this.excluded.length ? all.filter((s) => !isExcluded(s.projectPath, this.excluded)) : all;
  }

  /** The price table the live figures use (built-in + overrides); a different one re-reads every transcript. */
  setPrices(prices: PriceTable): void {
    if (prices.fingerprint() === this.prices.fingerprint()) return;
    this.prices = prices;
    this.closeTails(new Set());
    if (!this.paused) this.syncTails();
  }

  /** Globs of project paths whose sessions are left out (live figures, status bar, notifications). */
  setExcludedProjects(globs: readonly string[]): void {
    const key = JSON.stringify(globs);
    if (key === JSON.stringify(this.excludedGlobs)) return;
    this.excludedGlobs = [...globs];
    this.excluded = globs.filter((g) => g.trim()).map(globToRegExp);
    this.lifecycle.update(this.all, Date.now());
    this.syncTails();
    this.rebind('excluded projects changed');
    this._onDidChange.fire();
  }

  private excludedGlobs: string[] = [];

  /** The registry's primary session (kept for the dashboard's snapshot). */
  get primary(): LiveSession | null {
    const p = this.monitor.current.primary;
    return p && !isExcluded(p.projectPath, this.excluded) ? p : (this.all[0] ?? null);
  }

  /** When the last transcript append was seen (for the latency figure): performance.now() time. */
  get lastAppendSeenAt(): number {
    return this.lastAppendAt;
  }

  view(sessionId: string): LiveView | undefined {
    const t = this.lifecycle.get(sessionId);
    if (!t) return undefined;
    const binding = this.bindings.find((b) => b.sessionId === sessionId);
    const stats = this.tails.get(sessionId)?.stats;
    return {
      session: t.session,
      state: t.state,
      since: t.since,
      stats,
      binding,
      terminal: binding ? this.terminals.byId(binding.terminalId) : undefined,
      stalled:
        t.state === 'active'
          ? stalledFlag(stats?.runningTool, stats?.lastTs, this.usualDurations(), Date.now())
          : undefined,
    };
  }

  private usualDurations(): UsualDurations {
    return this.deps.usualToolDurations?.() ?? new Map();
  }

  private stallTimer: NodeJS.Timeout | undefined;

  /**
   * One timer at the moment the next running tool call would count as stalled (none while nothing runs): the
   * status bar then changes at once, not at the next slow tick.
   */
  private scheduleStallCheck(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, e] of this.tails) {
      const run = e.stats?.runningTool;
      if (!run || this.lifecycle.get(id)?.state !== 'active') continue;
      const at = stallsAt(run, this.usualDurations());
      if (at > now) next = Math.min(next, at);
    }
    if (!Number.isFinite(next)) return;
    this.stallTimer = setTimeout(() => this._onDidChange.fire(), Math.min(next - now + 50, 2 ** 31 - 1));
    this.stallTimer.unref?.();
  }

  views(): LiveView[] {
    if (this.paused) return [];
    return this.all.map((s) => this.view(s.sessionId)).filter((v): v is LiveView => v !== undefined);
  }

  /** The session bound to this terminal (or the one we started in it and expect to register). */
  sessionOfTerminal(t: vscode.Terminal): string | undefined {
    return this.bindingOfTerminal(t)?.sessionId ?? this.expected.get(this.terminals.idOf(t));
  }

  /** The terminal's binding, if its session still runs (a re-bind after the session ended may still be under way). */
  bindingOfTerminal(t: vscode.Terminal): TerminalBinding | undefined {
    const id = this.terminals.idOf(t);
    const b = this.bindings.find((x) => x.terminalId === id);
    return b && !this.paused && this.lifecycle.get(b.sessionId) ? b : undefined;
  }

  /**
   * What the main status item shows: the session bound to the active terminal, else the newest session of this
   * workspace that is working or waiting, else the newest of this workspace, else the registry's newest.
   */
  current(): LiveView | undefined {
    const active = vscode.window.activeTerminal;
    const bound = active ? this.sessionOfTerminal(active) : undefined;
    if (bound) {
      const v = this.view(bound);
      if (v) return v;
    }
    const views = this.views();
    const folders = workspaceFolders();
    const inWs = views.filter((v) => inFolders(v, folders));
    const busy = (vs: LiveView[]) => vs.find((v) => v.state === 'active' || v.state === 'waiting');
    return busy(inWs) ?? inWs[0] ?? busy(views) ?? views[0];
  }

  waiting(): LiveView[] {
    return this.views()
      .filter((v) => v.state === 'waiting')
      .sort((a, b) => a.since - b.since);
  }

  /** Marks a terminal we opened as running the session id we gave claude, until the registry confirms or replaces it. */
  expect(t: vscode.Terminal, sessionId: string): void {
    this.expected.set(this.terminals.idOf(t), sessionId);
    this._onDidChange.fire();
  }

  private onRegistry(): void {
    // Paused: the registry is not read; what ran before is not "ended" by that.
    if (this.paused) {
      this._onDidChange.fire();
      return;
    }
    this.lifecycle.update(this.all, Date.now());
    this.scheduleStallCheck();
    this.syncTails();
    this.rebind('registry changed');
    this._onDidChange.fire();
  }

  /** Re-binds terminals to sessions; calls during a run are folded into one more run. */
  rebind(why: string): void {
    if (this.binding) {
      this.rebindAgain = true;
      return;
    }
    this.binding = this.bindNow(why).finally(() => {
      this.binding = undefined;
      if (this.rebindAgain) {
        this.rebindAgain = false;
        this.rebind('again');
      }
    });
  }

  /** Resolves once the bindings reflect the terminals and registry as they are now (tests, commands). */
  async settle(): Promise<void> {
    await this.monitor.refresh();
    while (this.binding) await this.binding;
    await this.bindNow('settle');
  }

  private async bindNow(why: string): Promise<void> {
    const live = this.all;
    const infos = await this.terminals.infos();
    // A status change (busy ⇄ idle, several per turn) moves no process: skip the process walk when neither the
    // terminals nor the live processes changed. Terminal and shell-integration events always look.
    const inputs = JSON.stringify([infos, live.map((x) => [x.pid, x.sessionId, x.procStart, x.tmux])]);
    if (why === 'registry changed' && inputs === this.lastBindInputs) return;
    this.lastBindInputs = inputs;
    let table = null;
    if (live.length > 0 && infos.length > 0) {
      try {
        table = await readProcessTable();
      } catch (e) {
        this.deps.log.debug(`no process snapshot (${String(e)}): binding terminals by folder`);
      }
    }
    const records = live.map((s) => ({ ...s, cwd: s.projectPath }));
    const next = bindTerminals(infos, table, table ? liveRecordsIn(table, records) : records);
    for (const b of next) this.expected.delete(b.terminalId);
    const open = new Set(infos.map((i) => i.id));
    for (const id of [...this.expected.keys()]) if (!open.has(id)) this.expected.delete(id);
    const key = (bs: TerminalBinding[]) => JSON.stringify(bs.map((b) => [b.terminalId, b.sessionId, b.source]));
    if (key(next) === key(this.bindings)) return;
    this.bindings = next;
    this.deps.log.debug(`terminals bound (${why}): ${key(next)}`);
    this._onDidChange.fire();
  }

  /** One tail per live session; tails of sessions that left are closed. */
  private syncTails(): void {
    const live = new Set(this.all.map((s) => s.sessionId));
    this.closeTails(live);
    for (const s of this.all) {
      if (!this.tails.has(s.sessionId)) this.tails.set(s.sessionId, {});
      void this.readTail(s);
    }
  }

  /** Looks for a live session's transcript again after 0.5, 1, 2, 4, then every 8 s (only while it has none). */
  private findAgainLater(s: LiveSession, entry: TailEntry): void {
    if (entry.findAgain) return;
    const delay = Math.min(8_000, 500 * 2 ** (entry.findAttempts ?? 0));
    entry.findAttempts = (entry.findAttempts ?? 0) + 1;
    entry.findAgain = setTimeout(() => {
      entry.findAgain = undefined;
      if (this.tails.get(s.sessionId) === entry) void this.readTail(s);
    }, delay);
    entry.findAgain.unref?.();
  }

  private closeTails(keep: Set<string>): void {
    for (const [id, t] of this.tails) {
      if (keep.has(id)) continue;
      clearTimeout(t.findAgain);
      t.watcher?.close();
      this.tails.delete(id);
    }
  }

  /** Reads a session's new transcript lines; one read at a time per file, a request during a read runs once after it. */
  private async readTail(s: LiveSession): Promise<void> {
    const entry = this.tails.get(s.sessionId);
    if (!entry) return;
    if (entry.reading) {
      entry.again = true;
      return entry.reading;
    }
    entry.reading = (async () => {
      do {
        entry.again = false;
        await this.readTailOnce(s, entry);
      } while (entry.again && this.tails.get(s.sessionId) === entry);
    })().finally(() => {
      entry.reading = undefined;
    });
    return entry.reading;
  }

  private async readTailOnce(s: LiveSession, entry: TailEntry): Promise<void> {
    try {
      if (!entry.tail) {
        const file = await findTranscript(this.deps.configRoots(), s.projectPath, s.sessionId);
        if (!file || entry.tail || this.tails.get(s.sessionId) !== entry) {
          // Not written yet: Claude Code creates it with the first prompt, often after its last registry change,
          // so look again shortly (backing off) instead of waiting for a registry change that may not come.
          if (!file && this.tails.get(s.sessionId) === entry) this.findAgainLater(s, entry);
          return;
        }
        entry.tail = new TranscriptTail(file, this.prices);
        entry.watcher = this.watchTranscript(file, s);
      }
      const stats = await entry.tail.read();
      if (this.tails.get(s.sessionId) !== entry) return;
      entry.stats = stats;
      this.scheduleStallCheck();
      this._onDidChange.fire();
    } catch (e) {
      this.deps.log.debug(`transcript of ${s.sessionId} unreadable: ${String(e)}`);
    }
  }

  private watchTranscript(file: string, s: LiveSession): FSWatcher | undefined {
    let timer: NodeJS.Timeout | undefined;
    try {
      const w = watch(file, { persistent: false }, () => {
        this.lastAppendAt = performance.now();
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          void this.readTail(s);
        }, TAIL_DEBOUNCE_MS);
      });
      w.on('error', () => w.close());
      return w;
    } catch {
      return undefined; // the registry's changes (each turn's status) still refresh the figures
    }
  }

  /** A transcript changed (the config-root watcher): read its tail if it is a live session's. */
  onTranscriptChange(file: string): void {
    const s = this.all.find((x) => file.endsWith(`${x.sessionId}.jsonl`));
    if (s) void this.readTail(s);
  }
}

interface TailEntry {
  tail?: TranscriptTail;
  watcher?: FSWatcher;
  stats?: LiveStatsSnapshot;
  reading?: Promise<void>;
  again?: boolean;
  /** The next look for a transcript not written yet (findAgainLater), and how many looks came before it. */
  findAgain?: ReturnType<typeof setTimeout>;
  findAttempts?: number;
}

function workspaceFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

function inFolders(v: LiveView, folders: readonly string[]): boolean {
  const p = v.session.projectPath;
  return folders.some((f) => p === f || p.startsWith(f.endsWith('/') ? f : `${f}/`));
}
