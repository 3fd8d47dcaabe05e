import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ScanProgress } from './core/collector/collector';
import { IngestScheduler } from './core/ingest/ingestScheduler';
import { toIngestStatus } from './core/ingest/ingestStatus';
import { LiveSessionMonitor } from './core/live/liveSessionMonitor';
import { validateCustomRules } from './core/privacy/validateCustomRules';
import { buildStatusSnapshot } from './core/status/statusModel';
import { claudeConfigRoots } from './core/transcript/claudeRoots';
import { dataDir, defaultDbPath } from './infra/fs/dataDir';
import { pathExists } from './infra/fs/pathExists';
import { maskKeyFor } from './infra/keys/maskKeyFile';
import { readLiveRegistry } from './infra/live/liveRegistryReader';
import { isProcessAlive } from './infra/live/processProbe';
import { runScanInWorker, type ScanDone } from './infra/worker/runScanInWorker';
import { Disposable, toDisposable } from './shared/disposable';
import type { StatusSnapshot, StoreTotals } from './shared/protocol';
import { ClaudeDirWatcher } from './vscode/claudeDirWatcher';
import { registerCommands } from './vscode/commands';
import { DashboardViewProvider } from './vscode/dashboardViewProvider';
import { COMMANDS, LOG_CHANNEL_NAME } from './vscode/ids';
import { createLogger, type Logger } from './vscode/logger';
import { onDidChangeSettings, privacyKey, readSettings } from './vscode/settings';
import { StatusBarController } from './vscode/statusBar';
import type { SyncModule, startSync } from './vscode/syncEntry';

/** What `activate()` returns: a small read-only surface for integration tests and other extensions. */
export interface TracerApi {
  readonly activationMs: number;
  status(): StatusSnapshot;
  readonly dashboard: { readonly isReady: boolean; postSnapshot(): void };
  readonly statusBar: { readonly visible: boolean; readonly text: string };
  /** Runs a scan now; resolves with its stats once it has committed (undefined if refused or failed). */
  scanNow(): Promise<ScanDone['stats'] | undefined>;
  /** Statistics of the last completed scan (files read, new rows, …). */
  lastScan(): ScanDone['stats'] | undefined;
}

/** Composition root: builds every component and wires them; owns their lifetimes. */
export class App extends Disposable {
  readonly api: TracerApi;
  private readonly log: Logger;
  private roots: { path: string; exists: boolean }[] = [];
  private readonly live: LiveSessionMonitor;
  private readonly ingest: IngestScheduler<ScanDone['stats']>;
  private progress: ScanProgress | null = null;
  private cancelScan: (() => void) | undefined;
  /** The privacy settings the running scan masks with (see privacyKey). */
  private runningPrivacyKey = '';
  private storeBackend: string | null = null;
  private totals: StoreTotals | null = null;
  private readonly dbPath = defaultDbPath();
  /** Paths the watcher has reported before (a first sighting gets one follow-up scan). */
  private readonly seenPaths = new Set<string>();
  private activationMs = 0;

  constructor(context: vscode.ExtensionContext, activationStart: number) {
    super();
    const channel = this._register(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    let logLevel = readSettings().logLevel;
    this.log = createLogger(channel, () => logLevel);
    const version = String(context.extension.packageJSON.version ?? '0.0.0');

    const statusBar = this._register(new StatusBarController());
    const dashboard = this._register(
      new DashboardViewProvider(context.extensionUri, () => this.snapshot(version), this.log.child('webview')),
    );
    this._register(
      vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, {
        webviewOptions: { retainContextWhenHidden: false },
      }),
    );
    this._register(registerCommands());

    const applySettings = () => {
      const s = readSettings();
      logLevel = s.logLevel;
      statusBar.setVisible(s.statusBarEnabled);
    };
    applySettings();
    this._register(
      onDidChangeSettings((s) => {
        applySettings();
        this.log.info('settings changed');
        // A scan already running masks with the rules it started with; text written from now on must meet the
        // new ones, so that scan stops and a new one starts (what it already stored keeps its masking).
        if (this.cancelScan && this.runningPrivacyKey !== privacyKey(s)) {
          this.log.child('ingest').info('privacy settings changed: restarting the running scan with the new rules');
          this.cancelScan();
          void this.ingest.scanNow('settings');
        }
      }),
    );

    const refresh = () => {
      const s = this.snapshot(version);
      statusBar.update(s);
      dashboard.postSnapshot();
    };
    this.roots = claudeConfigRoots({ env: process.env, homeDir: os.homedir() }).map((p) => ({
      path: p,
      exists: false,
    }));
    const liveLog = this.log.child('live');
    this.live = this._register(
      new LiveSessionMonitor({
        readRegistry: () => readLiveRegistry(this.roots.map((r) => r.path)),
        isAlive: isProcessAlive,
        workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
        onError: (e) => liveLog.warn(`registry read failed: ${String(e)}`),
      }),
    );
    this._register(
      this.live.onDidChange((s) => {
        liveLog.info(
          `${s.all.length} live session(s)${s.primary ? `, primary ${s.primary.sessionId} (${s.primary.status})` : ''}`,
        );
        refresh();
      }),
    );
    // Ingest: every scan runs in a worker thread (parse, mask, store), so this thread stays responsive.
    const ingestLog = this.log.child('ingest');
    let lastProgressPost = 0;
    let lastRulesReport = '';
    this.ingest = this._register(
      new IngestScheduler<ScanDone['stats']>({
        runScan: async (reason) => {
          const settings = readSettings();
          this.runningPrivacyKey = privacyKey(settings);
          const rules = validateCustomRules(settings.customRules);
          const rulesReport = rules.errors.join('\n');
          if (rulesReport !== lastRulesReport) {
            lastRulesReport = rulesReport;
            for (const e of rules.errors) ingestLog.warn(`claudeTracer.privacy.customRules: ${e}`);
            if (rules.errors.length)
              void vscode.window.showErrorMessage(
                vscode.l10n.t(
                  'Claude Code Tracer: {0} custom privacy rule(s) ignored: {1}',
                  rules.errors.length,
                  rules.errors.join('; '),
                ),
              );
          }
          const job = runScanInWorker(
            {
              dbPath: this.dbPath,
              roots: this.roots.filter((r) => r.exists).map((r) => r.path),
              privacyLevel: settings.privacyLevel,
              hmacKey: maskKeyFor(dataDir()),
              customRules: rules.valid,
              rebuild: reason === 'rebuild',
              retention: { maxAgeDays: settings.retentionMaxAgeDays, maxSizeMb: settings.retentionMaxSizeMb },
            },
            (p) => {
              this.progress = p;
              const now = Date.now();
              if (now - lastProgressPost > 250) {
                lastProgressPost = now;
                refresh();
              }
            },
          );
          this.cancelScan = () => job.cancel();
          const r = await job.result.finally(() => {
            this.cancelScan = undefined;
            this.progress = null;
          });
          if (r.status === 'busy') return { status: 'busy', holder: r.holder };
          this.storeBackend = r.backend;
          this.totals = r.totals;
          ingestLog.info(
            `scan (${reason}): ${r.stats.filesRead}/${r.stats.files} files read, +${r.stats.interactions} interactions, +${r.stats.apiMessages} API messages in ${r.stats.ms} ms (${r.backend})${r.pruned ? `; retention deleted ${r.pruned} sessions` : ''}`,
          );
          // texts the worker's watchdog gave up on (stored as [REDACTED:unscanned], the scan went on)
          for (const d of r.diagnostics) ingestLog.warn(`privacy watchdog: ${d}`);
          return { status: 'done', stats: r.stats };
        },
        mergeReasons: (pending, incoming) => (incoming === 'rebuild' ? incoming : pending),
        onError: (e) => ingestLog.error(`scan failed: ${e instanceof Error ? e.message : String(e)}`),
      }),
    );
    this._register(this.ingest.onDidChangeState(() => refresh()));

    // Supabase sync lives in its own bundle (dist/sync.js: supabase-js, a second store connection), loaded
    // after activation. Its outbox is the store's, attached once the first scan has created the store.
    const syncLog = this.log.child('sync');
    let sync: SyncModule | undefined;
    void loadSyncModule().then(
      (m) => {
        if (this.isDisposed) return;
        sync = m.startSync({ context, log: syncLog, onRemoteSessionChange: () => refresh() });
        this._register(sync.disposable);
        if (this.ingest.current.kind === 'idle' && this.ingest.current.lastAt)
          void sync.attachStore(this.dbPath, this.storeBackend);
      },
      (e: unknown) => syncLog.error(`sync unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
    this._register(
      this.ingest.onDidChangeState((st) => {
        if (st.kind === 'idle' && sync) void sync.attachStore(this.dbPath, this.storeBackend);
      }),
    );
    this._register(
      vscode.commands.registerCommand(COMMANDS.rebuildIndex, () =>
        vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Claude Tracer: rebuilding the index from the transcripts that still exist'),
          },
          () => this.ingest.scanNow('rebuild'),
        ),
      ),
    );
    this._register(
      vscode.commands.registerCommand(COMMANDS.rescan, () =>
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Claude Tracer: scanning transcripts') },
          () => this.ingest.scanNow('command'),
        ),
      ),
    );

    refresh();
    void this.live.refresh();
    void this.refreshRoots().then(
      () => {
        refresh();
        const watcher = this._register(new ClaudeDirWatcher(this.roots.map((r) => r.path)));
        this._register(
          watcher.onTranscriptChange((p) => {
            this.ingest.request('change');
            // First sighting of a path (a new project dir or transcript): a line written right after its creation
            // can escape the recursive watcher, so look once more shortly after.
            if (!this.seenPaths.has(p)) {
              if (this.seenPaths.size > 50_000) this.seenPaths.clear();
              this.seenPaths.add(p);
              setTimeout(() => this.ingest.request('settle'), 1500).unref?.();
            }
          }),
        );
        this._register(watcher.onRegistryChange(() => void this.live.refresh()));
        this.ingest.request('startup');
      },
      (err: unknown) => this.log.error(`root scan failed: ${String(err)}`),
    );

    this.activationMs = performance.now() - activationStart;
    this.log.info(`activated v${version} in ${this.activationMs.toFixed(1)} ms`);
    const self = this;
    this.api = {
      get activationMs() {
        return self.activationMs;
      },
      status: () => this.snapshot(version),
      dashboard,
      statusBar,
      scanNow: () => this.ingest.scanNow('api'),
      lastScan: () => this.ingest.current.last,
    };
  }

  private async refreshRoots(): Promise<void> {
    this.roots = await Promise.all(this.roots.map(async (r) => ({ path: r.path, exists: await pathExists(r.path) })));
  }

  private snapshot(version: string): StatusSnapshot {
    return buildStatusSnapshot({
      extensionVersion: version,
      locale: vscode.env.language,
      activationMs: this.activationMs,
      roots: this.roots,
      storeBackend: this.storeBackend,
      storePath: this.dbPath,
      totals: this.totals,
      ingest: toIngestStatus(this.ingest.current, this.progress),
      liveSession: this.live.current.primary
        ? {
            sessionId: this.live.current.primary.sessionId,
            projectPath: this.live.current.primary.projectPath,
            status: this.live.current.primary.status,
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
