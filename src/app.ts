import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ScanStats } from './core/collector/collector';
import { LiveSessionMonitor } from './core/live/liveSessionMonitor';
import { buildStatusSnapshot } from './core/status/statusModel';
import { claudeConfigRoots } from './core/transcript/claudeRoots';
import { defaultDbPath } from './infra/fs/dataDir';
import { pathExists } from './infra/fs/pathExists';
import { readLiveRegistry } from './infra/live/liveRegistryReader';
import { isProcessAlive } from './infra/live/processProbe';
import { Disposable } from './shared/disposable';
import type { StatusSnapshot } from './shared/protocol';
import { ClaudeDirWatcher } from './vscode/claudeDirWatcher';
import { registerCommands } from './vscode/commands';
import { DashboardViewProvider } from './vscode/dashboardViewProvider';
import { FileSessionsCommand } from './vscode/fileSessionsCommand';
import { LOG_CHANNEL_NAME } from './vscode/ids';
import { IngestController } from './vscode/ingestController';
import { createLogger, type Logger } from './vscode/logger';
import { RemaskController } from './vscode/remaskController';
import { onDidChangeSettings, readSettings } from './vscode/settings';
import { StatusBarController } from './vscode/statusBar';
import type { SyncModule, startSync } from './vscode/syncEntry';

/** What `activate()` returns: a small read-only surface for integration tests and other extensions. */
export interface TracerApi {
  readonly activationMs: number;
  status(): StatusSnapshot;
  readonly dashboard: { readonly isReady: boolean; postSnapshot(): void };
  readonly statusBar: { readonly visible: boolean; readonly text: string };
  /** Runs a scan now; resolves with its stats once it has committed (undefined if refused or failed). */
  scanNow(): Promise<ScanStats | undefined>;
  /** Statistics of the last completed scan (files read, new rows, …). */
  lastScan(): ScanStats | undefined;
}

/** Composition root: builds every component, wires their events, owns their lifetimes. */
export class App extends Disposable {
  readonly api: TracerApi;
  private readonly log: Logger;
  private roots: { path: string; exists: boolean }[] = [];
  private readonly live: LiveSessionMonitor;
  private readonly ingest: IngestController;
  private readonly dbPath = defaultDbPath();
  /** Paths the watcher has reported before (a first sighting gets one follow-up scan). */
  private readonly seenPaths = new Set<string>();
  private readonly version: string;
  private activationMs = 0;

  constructor(context: vscode.ExtensionContext, activationStart: number) {
    super();
    const channel = this._register(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    let logLevel = readSettings().logLevel;
    this.log = createLogger(channel, () => logLevel);
    this.version = String(context.extension.packageJSON.version ?? '0.0.0');

    const statusBar = this._register(new StatusBarController());
    const dashboard = this._register(
      new DashboardViewProvider(context.extensionUri, () => this.snapshot(), this.log.child('webview')),
    );
    this._register(
      vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, {
        webviewOptions: { retainContextWhenHidden: false },
      }),
    );
    this._register(registerCommands());
    const refresh = () => {
      statusBar.update(this.snapshot());
      dashboard.postSnapshot();
    };

    const applySettings = () => {
      const s = readSettings();
      logLevel = s.logLevel;
      statusBar.setVisible(s.statusBarEnabled);
    };
    applySettings();
    this._register(
      onDidChangeSettings(() => {
        applySettings();
        this.log.info('settings changed');
      }),
    );

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
        const primary = s.primary ? `, primary ${s.primary.sessionId} (${s.primary.status})` : '';
        liveLog.info(`${s.all.length} live session(s)${primary}`);
        refresh();
      }),
    );

    this.ingest = this._register(
      new IngestController({
        log: this.log.child('ingest'),
        dbPath: this.dbPath,
        roots: () => this.roots.filter((r) => r.exists).map((r) => r.path),
      }),
    );
    this._register(this.ingest.onDidChange(refresh));
    this._register(new RemaskController({ log: this.log.child('remask'), dbPath: this.dbPath }));
    this._register(new FileSessionsCommand({ log: this.log.child('files'), dbPath: this.dbPath }));
    this.startSync(context, refresh);

    refresh();
    void this.live.refresh();
    void this.refreshRoots().then(
      () => {
        refresh();
        this.watchConfigRoots();
        this.ingest.request('startup');
      },
      (err: unknown) => this.log.error(`root scan failed: ${String(err)}`),
    );

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
      scanNow: () => this.ingest.scanNow('api'),
      lastScan: () => this.ingest.state.last,
    };
  }

  /**
   * Supabase sync lives in its own bundle (dist/sync.js: supabase-js, a second store connection), loaded after
   * activation. Its outbox is the store's, attached once the first scan has created the store.
   */
  private startSync(context: vscode.ExtensionContext, refresh: () => void): void {
    const syncLog = this.log.child('sync');
    let sync: SyncModule | undefined;
    const attach = () => void sync?.attachStore(this.dbPath, this.ingest.storeBackend);
    void loadSyncModule().then(
      (m) => {
        if (this.isDisposed) return;
        sync = m.startSync({ context, log: syncLog, onRemoteSessionChange: refresh });
        this._register(sync.disposable);
        if (this.ingest.state.kind === 'idle' && this.ingest.state.lastAt) attach();
      },
      (e: unknown) => syncLog.error(`sync unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
    this._register(this.ingest.onDidChangeState((st) => st.kind === 'idle' && attach()));
  }

  /** File events under the config roots drive the scans and the live-session reads. */
  private watchConfigRoots(): void {
    const watcher = this._register(new ClaudeDirWatcher(this.roots.map((r) => r.path)));
    this._register(
      watcher.onTranscriptChange((p) => {
        this.ingest.request('change');
        // First sighting of a path (a new project dir or transcript): a line written right after its creation can
        // escape the recursive watcher, so look once more shortly after.
        if (this.seenPaths.has(p)) return;
        if (this.seenPaths.size > 50_000) this.seenPaths.clear();
        this.seenPaths.add(p);
        setTimeout(() => this.ingest.request('settle'), 1500).unref?.();
      }),
    );
    this._register(watcher.onRegistryChange(() => void this.live.refresh()));
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
