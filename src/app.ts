import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScanStats } from './core/collector/collector';
import type { UsualDurations } from './core/live/toolStall';
import { priceOverrideRows } from './core/pricing/priceOverrides';
import { PriceTable } from './core/pricing/priceTable';
import { buildStatusSnapshot } from './core/status/statusModel';
import { type SyncHealthInput, trackerHealth } from './core/status/trackerHealth';
import { claudeConfigRoots } from './core/transcript/claudeRoots';
import { defaultDbPath } from './infra/fs/dataDir';
import { pathExists } from './infra/fs/pathExists';
import { SessionStateRecorder } from './infra/sqlite/sessionStateRecorder';
import { readToolDurationsFromFile } from './infra/sqlite/toolDurationReads';
import { UsageWatchStore } from './infra/sqlite/usageWatchStore';
import { Disposable } from './shared/disposable';
import type { StatusSnapshot } from './shared/protocol';
import { type BudgetMonitor, BudgetMonitor as BudgetMonitorImpl } from './vscode/budgetMonitor';
import { ClaudeDirWatcher } from './vscode/claudeDirWatcher';
import { ClaudeHooks } from './vscode/claudeHooks';
import { registerCommands } from './vscode/commands';
import { DashboardController } from './vscode/dashboard/dashboardController';
import { registerMetricsAndPrivacy } from './vscode/dashboard/metricsFeature';
import { FileSessionsCommand } from './vscode/fileSessionsCommand';
import { GitExtensionHistorySource } from './vscode/gitExtensionHistory';
import { GitHubAuth } from './vscode/githubAuth';
import { COMMANDS, CONTEXT_KEYS, LOG_CHANNEL_NAME } from './vscode/ids';
import { IngestController } from './vscode/ingestController';
import { LimitsStatus } from './vscode/limitsStatus';
import { LiveCommands } from './vscode/liveCommands';
import { LiveSessionFacts } from './vscode/liveSessionFacts';
import { type LiveSessions, LiveSessions as LiveSessionsImpl } from './vscode/liveSessions';
import { createLogger, type Logger } from './vscode/logger';
import { registerAddPrivacyRule } from './vscode/privacyRuleCommand';
import { RemaskController } from './vscode/remaskController';
import { SessionCommands } from './vscode/sessionCommands';
import { onDidChangeSettings, readSettings, type Settings } from './vscode/settings';
import { StatusBarController } from './vscode/statusBar';
import type { SyncModule, startSync } from './vscode/syncEntry';
import { openWalkthroughOnce } from './vscode/walkthrough';

/** What `activate()` returns: a small read-only surface for integration tests and other extensions. */
export interface TracerApi {
  readonly activationMs: number;
  status(): StatusSnapshot;
  readonly dashboard: Pick<
    DashboardController,
    | 'isReady'
    | 'isPanelOpen'
    | 'isPanelReady'
    | 'postSnapshot'
    | 'dispatch'
    | 'openInEditor'
    | 'openSession'
    | 'openView'
    | 'notifyDataChanged'
  >;
  readonly statusBar: {
    readonly visible: boolean;
    readonly text: string;
    readonly tooltip: string;
    readonly waitingText: string;
    readonly inError: boolean;
  };
  /** The Claude config folders searched now (settings and environment), and whether each exists. */
  roots(): readonly { path: string; exists: boolean }[];
  /** Whether the first-install walkthrough was opened by this activation. */
  readonly walkthroughOpened: Promise<boolean>;
  /** Feeds the status bar a sync status as the sync loop reports it (tests: the error state without a server). */
  reportSyncHealth(h: SyncHealthInput | undefined): void;
  /** Live sessions, their terminals and lifecycle (tests and the dashboard). */
  readonly live: LiveSessions;
  /** The limits item (official figures from the Status Line Bridge, and the estimate from local 5-hour blocks). */
  readonly limits: {
    readonly text: string;
    readonly tooltip: string;
    readonly kind: 'official' | 'estimate' | 'both' | 'none';
    reload(): void;
    refreshEstimate(): void;
  };
  /** The budget item and its notifications. */
  readonly budgets: Pick<
    BudgetMonitor,
    'text' | 'tooltip' | 'shown' | 'evaluate' | 'onDidNotify' | 'onDidEvaluate' | 'unavailable'
  >;
  /** Runs a scan now; resolves with its stats once it has committed (undefined if refused or failed). */
  scanNow(): Promise<ScanStats | undefined>;
  /** Statistics of the last completed scan (files read, new rows, …). */
  lastScan(): ScanStats | undefined;
  /** Repository reads of the scans' git step: answered by VS Code's Git extension, or left to the git CLI. */
  gitReads(): Readonly<{ extension: number; cli: number }>;
}

/** Composition root: builds every component, wires their events, owns their lifetimes. */
export class App extends Disposable {
  readonly api: TracerApi;
  private readonly log: Logger;
  private roots: { path: string; exists: boolean }[] = [];
  private readonly live: LiveSessions;
  private readonly ingest: IngestController;
  private readonly gitSource: GitExtensionHistorySource;
  private readonly dbPath = defaultDbPath();
  /** Paths the watcher has reported before (a first sighting gets one follow-up scan). */
  private readonly seenPaths = new Set<string>();
  private readonly version: string;
  private activationMs = 0;
  private reportSyncHealth: (h: SyncHealthInput | undefined) => void = () => {};
  private refreshView: () => void = () => {};
  /** One watcher per config root: a root added by the settings gets its own, the others are never re-created. */
  private readonly rootWatchers = new Map<string, ClaudeDirWatcher>();

  constructor(context: vscode.ExtensionContext, activationStart: number) {
    super();
    const channel = this._register(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    let logLevel = readSettings().logLevel;
    this.log = createLogger(channel, () => logLevel);
    this.version = String(context.extension.packageJSON.version ?? '0.0.0');

    const statusBar = this._register(new StatusBarController());
    // The limits item is made below (it needs the usage ledger); the dashboard reads its official figures through this.
    let limitsRef: LimitsStatus | undefined;
    const dashboard = this._register(
      new DashboardController({
        extensionUri: context.extensionUri,
        dbPath: this.dbPath,
        snapshot: () => this.snapshot(),
        liveSessionIds: () => this.live.all.map((s) => s.sessionId),
        log: this.log.child('dashboard'),
        officialLimits: () => limitsRef?.official,
      }),
    );
    this._register(registerMetricsAndPrivacy(dashboard));
    this._register(registerCommands({ dbPath: this.dbPath, log: channel }));
    this._register(registerAddPrivacyRule());
    const facts = this._register(new LiveSessionFacts((r) => dashboard.dispatch(r)));
    let syncHealth: SyncHealthInput | undefined;
    let hasSessions: boolean | undefined;
    const refresh = () => {
      const live = this.live;
      const snapshot = this.snapshot();
      const current = live?.current();
      facts.follow(current?.session.sessionId);
      statusBar.update(
        snapshot,
        live && {
          paused: live.isPaused,
          current,
          waiting: live.waiting(),
          openSessionAvailable: true, // the dashboard registers claudeTracer.openSession
        },
        { health: trackerHealth(snapshot.ingest, syncHealth), findings: facts.findingsOf(current?.session.sessionId) },
      );
      // the session commands show in the palette once the store holds a session
      const has = (snapshot.totals?.sessions ?? 0) > 0;
      if (has !== hasSessions) {
        hasSessions = has;
        void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasSessions, has);
      }
      dashboard.postSnapshot();
    };
    this._register(facts.onDidChange(refresh));
    this.reportSyncHealth = (h) => {
      syncHealth = h;
      refresh();
    };

    let applied: Settings | undefined;
    const applySettings = () => {
      const s = readSettings();
      const before = applied;
      applied = s;
      logLevel = s.logLevel;
      statusBar.setVisible(s.statusBarEnabled, s.statusBarWaitingCount);
      if (!this.live) return; // first call: the rest is applied as the parts are built
      this.live.setExcludedProjects(s.trackingExcludeProjects);
      this.live.setPrices(PriceTable.builtin(priceOverrideRows(s.priceOverrides)));
      const changed = (k: keyof Settings) => JSON.stringify(before?.[k]) !== JSON.stringify(s[k]);
      if (changed('extraRoots')) void this.reloadRoots();
      // stored session figures are priced at scan time; excluded projects are left out from the next scan on
      else if (changed('priceOverrides') || changed('trackingExcludeProjects')) this.requestScan('settings');
      if (changed('trackingEnabled') && s.trackingEnabled) this.requestScan('tracking resumed');
      refresh();
    };
    applySettings();
    this._register(
      onDidChangeSettings(() => {
        applySettings();
        this.log.info('settings changed');
      }),
    );

    this.roots = this.configRoots().map((p) => ({ path: p, exists: false }));
    const liveLog = this.log.child('live');
    const recorder = new SessionStateRecorder(this.dbPath);
    this._register({ dispose: () => recorder.dispose() });
    let recorderNote = '';
    let usualToolDurations: UsualDurations = new Map();
    this.live = this._register(
      new LiveSessionsImpl({
        log: liveLog,
        configRoots: () => this.roots.map((r) => r.path),
        abandonedAfterMs: () => readSettings().abandonedAfterMinutes * 60_000,
        usualToolDurations: () => usualToolDurations,
        onStateChange: (c) => {
          try {
            if (!recorder.record(c) && recorder.unavailable !== recorderNote) {
              recorderNote = recorder.unavailable ?? '';
              liveLog.info(`session states not recorded yet: ${recorderNote}`);
            }
          } catch (e) {
            liveLog.warn(`could not record a session state: ${String(e)}`);
          }
        },
      }),
    );
    this._register(new LiveCommands(this.live, context.globalState));
    // Budgets and the limits estimate read the usage ledger through one small connection of their own.
    const usageWatch = new UsageWatchStore(this.dbPath);
    this._register({ dispose: () => usageWatch.dispose() });
    const prices = PriceTable.builtin();
    const userSettingsFile = () =>
      path.join(this.roots[0]?.path ?? path.join(os.homedir(), '.claude'), 'settings.json');
    this._register(new ClaudeHooks(context.extensionUri, userSettingsFile, this.live.hooks, this.log.child('hooks')));
    const sessionCommands = this._register(
      new SessionCommands({
        dbPath: this.dbPath,
        log: this.log.child('sessions'),
        live: this.live,
        configRoots: () => this.roots.map((r) => r.path),
        dispatch: (r) => dashboard.dispatch(r),
      }),
    );
    const limits = this._register(
      new LimitsStatus(context.extensionUri, userSettingsFile, this.log.child('limits'), { store: usageWatch, prices }),
    );
    limitsRef = limits;
    this._register(
      vscode.commands.registerCommand(COMMANDS.openBudgetMetrics, () => dashboard.openView({ view: 'metrics' })),
    );
    const budgets = this._register(
      new BudgetMonitorImpl({
        store: usageWatch,
        prices,
        log: this.log.child('budgets'),
        openMetrics: () => dashboard.openView({ view: 'metrics' }),
        openSession: (id) => vscode.commands.executeCommand('claudeTracer.openSession', id),
      }),
    );
    this._register(
      onDidChangeSettings(() => {
        limits.reload();
        limits.refreshEstimate();
      }),
    );
    let lastLiveLine = '';
    this._register(
      this.live.onDidChange(() => {
        const primary = this.live.primary;
        const line = `${this.live.all.length} live session(s)${primary ? `, primary ${primary.sessionId} (${primary.status})` : ''}`;
        if (line !== lastLiveLine) liveLog.info(line);
        lastLiveLine = line;
        refresh();
        dashboard.notifyDataChanged(['live', 'sessions']);
      }),
    );
    // the elapsed time in the status text
    const clock = setInterval(() => this.live.current() && refresh(), 30_000);
    clock.unref?.();
    this._register({ dispose: () => clearInterval(clock) });

    const github = this._register(new GitHubAuth({ log: this.log.child('github') }));
    const gitSource = new GitExtensionHistorySource();
    this.gitSource = gitSource;
    this.ingest = this._register(
      new IngestController({
        log: this.log.child('ingest'),
        dbPath: this.dbPath,
        roots: () => this.roots.filter((r) => r.exists).map((r) => r.path),
        github: () => github.lookup(),
        gitHistory: gitSource.history,
      }),
    );
    // signed in (or turned on while signed in): look the pull requests up now, not at the next transcript change
    this._register(github.onDidSignIn(() => this.ingest.request('github')));
    this._register(this.ingest.onDidChange(refresh));
    this._register(new RemaskController({ log: this.log.child('remask'), dbPath: this.dbPath }));
    this._register(new FileSessionsCommand({ log: this.log.child('files'), dbPath: this.dbPath }));
    // A scan that read new bytes changed what every view shows: the open dashboards refetch.
    let lastScanAt: number | undefined;
    // How long each tool usually runs (the stalled rule): from the store after the first scan, then hourly at most.
    let usualLoadedAt = 0;
    const loadUsualToolDurations = () => {
      if (Date.now() - usualLoadedAt < 3_600_000) return;
      usualLoadedAt = Date.now();
      try {
        const since = Date.now() - 90 * 86_400_000;
        usualToolDurations = readToolDurationsFromFile(this.dbPath, { sinceMs: since, limit: 50_000 }) ?? new Map();
        liveLog.debug(`usual durations of ${usualToolDurations.size} tools read`);
      } catch (e) {
        liveLog.debug(`usual tool durations not read: ${String(e)}`);
      }
    };
    this._register(
      this.ingest.onDidChangeState((st) => {
        if (st.kind !== 'idle' || st.lastAt === undefined || st.lastAt === lastScanAt) return;
        lastScanAt = st.lastAt;
        if ((st.last?.filesRead ?? 1) > 0) {
          // First the analytics worker (reloads the changed sessions), then the views' refetch, which shares it.
          dashboard.storeChanged();
          dashboard.notifyDataChanged(['sessions', 'metrics', 'privacy', 'status']);
          limits.refreshEstimate();
          budgets.request();
          sessionCommands.invalidate();
          void facts.reload();
        }
        loadUsualToolDurations();
      }),
    );
    this.startSync(context, dashboard, () => {
      refresh();
      dashboard.notifyDataChanged(['sessions', 'status', 'remote']);
    });
    this.refreshView = refresh;
    applySettings(); // now that live sessions exist: exclusions and prices

    refresh();
    void this.live.refresh();
    // No store yet: this is the first scan of the user's history, shown with its counts and cancellable.
    const firstScan = !existsSync(this.dbPath);
    void this.refreshRoots().then(
      () => {
        refresh();
        this.watchConfigRoots();
        if (!readSettings().trackingEnabled) return;
        if (firstScan)
          void this.ingest.scanWithProgress(
            'startup',
            vscode.l10n.t('Claude Tracer: reading your Claude Code history'),
          );
        else this.ingest.request('startup');
      },
      (err: unknown) => this.log.error(`root scan failed: ${String(err)}`),
    );
    const walkthroughOpened = openWalkthroughOnce(context.globalState).catch((e: unknown) => {
      this.log.warn(`walkthrough not opened: ${String(e)}`);
      return false;
    });

    this._register({
      dispose: () => {
        for (const w of this.rootWatchers.values()) w.dispose();
      },
    });
    this.activationMs = performance.now() - activationStart;
    this.log.info(`activated v${this.version} in ${this.activationMs.toFixed(1)} ms`);
    const self = this;
    this.api = {
      get activationMs() {
        return self.activationMs;
      },
      status: () => this.snapshot(),
      dashboard,
      statusBar,
      live: this.live,
      limits,
      budgets,
      roots: () => this.roots,
      walkthroughOpened,
      reportSyncHealth: (h) => this.reportSyncHealth(h),
      scanNow: () => this.ingest.scanNow('api'),
      lastScan: () => this.ingest.state.last,
      gitReads: () => this.gitSource.answered,
    };
  }

  /**
   * Supabase sync lives in its own bundle (dist/sync.js: supabase-js, a second store connection), loaded after
   * activation. Its outbox is the store's, attached once the first scan has created the store.
   */
  private startSync(context: vscode.ExtensionContext, dashboard: DashboardController, refresh: () => void): void {
    const syncLog = this.log.child('sync');
    let sync: SyncModule | undefined;
    const attach = () => void sync?.attachStore(this.dbPath, this.ingest.storeBackend);
    void loadSyncModule().then(
      (m) => {
        if (this.isDisposed) return;
        sync = m.startSync({
          context,
          log: syncLog,
          onRemoteSessionChange: refresh,
          dbPath: this.dbPath,
          version: this.version,
          requestScan: () => this.ingest.request('unforget'),
          onDidForget: () => this.ingest.request('forget'),
        });
        this._register(sync.disposable);
        this.linkDashboard(dashboard, sync.supabase);
        // the status bar's sync state and error state
        this._register(
          sync.supabase.onDidChangeSyncStatus((r) =>
            this.reportSyncHealth({
              mode: r.mode,
              signedIn: r.auth?.signedIn ?? false,
              breaker: r.breaker,
              ...(r.lastReport ? { outcome: r.lastReport.outcome } : {}),
              ...(r.lastError ? { lastError: r.lastError } : {}),
              ...(r.pending !== undefined ? { pending: r.pending } : {}),
              ...(r.deadLetters !== undefined ? { deadLetters: r.deadLetters } : {}),
            }),
          ),
        );
        if (this.ingest.state.kind === 'idle' && this.ingest.state.lastAt) attach();
      },
      (e: unknown) => syncLog.error(`sync unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
    this._register(this.ingest.onDidChangeState((st) => st.kind === 'idle' && attach()));
  }

  /**
   * The dashboard's remote search scopes read through the sync bundle's connection; the views refetch when it is
   * connected, signed in or out, or its settings change.
   */
  private linkDashboard(dashboard: DashboardController, supabase: SyncModule['supabase']): void {
    dashboard.setRemoteLink(supabase.remoteLink());
    let signedIn: boolean | undefined;
    this._register(
      supabase.onDidChangeSyncStatus((r) => {
        const now = r.auth?.signedIn ?? false;
        if (now !== signedIn) dashboard.notifyDataChanged(['remote', 'sessions']);
        signedIn = now;
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudeTracer.supabase') || e.affectsConfiguration('claudeTracer.sync.mode'))
          dashboard.notifyDataChanged(['remote', 'sessions']);
      }),
    );
  }

  /** File events under the config roots drive the scans and the live-session reads. */
  private watchConfigRoots(): void {
    const wanted = new Set(this.roots.map((r) => r.path));
    for (const [root, w] of this.rootWatchers) {
      if (wanted.has(root)) continue;
      w.dispose();
      this.rootWatchers.delete(root);
    }
    for (const root of wanted) {
      if (this.rootWatchers.has(root)) continue;
      const watcher = new ClaudeDirWatcher([root]);
      this.rootWatchers.set(root, watcher);
      watcher.onTranscriptChange((p) => {
        this.requestScan('change');
        // First sighting of a path (a new project dir or transcript): a line written right after its creation can
        // escape the recursive watcher, so look once more shortly after.
        if (this.seenPaths.has(p)) return;
        if (this.seenPaths.size > 50_000) this.seenPaths.clear();
        this.seenPaths.add(p);
        setTimeout(() => this.requestScan('settle'), 1500).unref?.();
      });
      watcher.onRegistryChange(() => void this.live.refresh());
      watcher.onTranscriptChange((p) => this.live.onTranscriptChange(p));
    }
  }

  /** Automatic scans only while tracking is on (Rescan Transcripts still scans when asked). */
  private requestScan(reason: string): void {
    if (readSettings().trackingEnabled) this.ingest.request(reason);
  }

  /** Claude Code's config folders: the environment's, then `claudeTracer.tracking.extraRoots`. */
  private configRoots(): string[] {
    return claudeConfigRoots({ env: process.env, homeDir: os.homedir(), extra: readSettings().extraRoots });
  }

  /** The extra roots setting changed: look for the folders again, watch them, scan. */
  private async reloadRoots(): Promise<void> {
    this.roots = this.configRoots().map((p) => ({ path: p, exists: false }));
    await this.refreshRoots();
    this.watchConfigRoots();
    this.refreshView();
    this.requestScan('roots changed');
  }

  private async refreshRoots(): Promise<void> {
    this.roots = await Promise.all(this.roots.map(async (r) => ({ path: r.path, exists: await pathExists(r.path) })));
  }

  private snapshot(): StatusSnapshot {
    return buildStatusSnapshot({
      extensionVersion: this.version,
      locale: vscode.env.language,
      activationMs: this.activationMs,
      roots: this.roots,
      storeBackend: this.ingest.storeBackend,
      storePath: this.dbPath,
      totals: this.ingest.totals,
      ingest: this.ingest.status,
      liveSession: this.live?.primary
        ? {
            sessionId: this.live.primary.sessionId,
            projectPath: this.live.primary.projectPath,
            status: this.live.primary.status,
          }
        : null,
      now: new Date(),
    });
  }
}

/** Loads dist/sync.js next to this bundle (a runtime path, so esbuild leaves it out of extension.js). */
async function loadSyncModule(): Promise<{ startSync: typeof startSync }> {
  // Yield first: an async function runs synchronously up to its first await, and evaluating the sync bundle
  // (~440 KiB) inside activate() would count against activation time.
  await new Promise((resolve) => setImmediate(resolve));
  const file = `${__dirname}/sync.js`;
  return require(file) as { startSync: typeof startSync };
}
