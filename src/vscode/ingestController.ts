import * as vscode from 'vscode';
import type { ScanProgress, ScanStats } from '../core/collector/collector';
import { type DriftWarning, driftWarning } from '../core/collector/driftWarning';
import { IngestScheduler, type IngestState } from '../core/ingest/ingestScheduler';
import { toIngestStatus } from '../core/ingest/ingestStatus';
import { describeScan } from '../core/ingest/scanLog';
import { priceOverrideRows } from '../core/pricing/priceOverrides';
import { validateCustomRules } from '../core/privacy/validateCustomRules';
import { dataDir, ensurePrivateDataDir } from '../infra/fs/dataDir';
import { maskKeyFor } from '../infra/keys/maskKeyFile';
import type { HostGitHistory, ScanJobInput } from '../infra/worker/protocol';
import { runScanInWorker } from '../infra/worker/runScanInWorker';
import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import type { IngestStatus, StoreTotals } from '../shared/protocol';
import { COMMANDS, PRIVACY_COMMANDS } from './ids';
import type { Logger } from './logger';
import { onDidChangeSettings, privacyKey, readSettings } from './settings';

export interface IngestControllerDeps {
  log: Logger;
  dbPath: string;
  /** The Claude config roots that exist now (the scan reads `projects/` under each). */
  roots(): readonly string[];
  /** The opt-in GitHub lookup for this scan (githubAuth.ts): undefined when off or not signed in. */
  github?(): Promise<ScanJobInput['github']>;
  /** Reads repositories through VS Code's Git extension for the scan's git step (the CLI where it has no answer). */
  gitHistory?: HostGitHistory;
}

/** What "Rescan Transcripts" and "Rebuild Index" resolve with: the scan's stats and the message the user saw. */
export interface ScanFeedback {
  stats: ScanStats | undefined;
  message: string;
}

/** Progress reaches the UI at most this often (a scan reports after every file). */
const PROGRESS_POST_MS = 250;

/**
 * Ingest in the extension host: schedules scans (IngestScheduler), runs each in a worker thread (parse, mask,
 * store), keeps what the UI shows of them (progress, store totals), restarts a running scan when the privacy
 * settings change, and owns the Rescan / Rebuild Index commands.
 */
export class IngestController extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** The scan state, its progress (throttled) or the store totals changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly scheduler: IngestScheduler<ScanStats>;
  private progress: ScanProgress | null = null;
  private lastProgressPost = 0;
  private cancelScan: (() => void) | undefined;
  /** The privacy settings the running scan masks with (see privacyKey). */
  private runningPrivacyKey = '';
  private lastRulesReport = '';
  private backend: string | null = null;
  private storeTotals: StoreTotals | null = null;
  private userCancelled = false;

  constructor(private readonly deps: IngestControllerDeps) {
    super();
    this.scheduler = this._register(
      new IngestScheduler<ScanStats>({
        runScan: (reason) => this.runScan(reason),
        mergeReasons: (pending, incoming) => (incoming === 'rebuild' ? incoming : pending),
        onError: (e) => deps.log.error(`scan failed: ${e instanceof Error ? e.message : String(e)}`),
      }),
    );
    this._register(this.scheduler.onDidChangeState(() => this._onDidChange.fire()));
    this._register(onDidChangeSettings((s) => this.onSettingsChanged(privacyKey(s))));
    this._register(
      vscode.commands.registerCommand(COMMANDS.rescan, () =>
        this.runCommand('command', vscode.l10n.t('Claude Tracer: scanning transcripts')),
      ),
    );
    this._register(
      vscode.commands.registerCommand(COMMANDS.rebuildIndex, () =>
        this.runCommand(
          'rebuild',
          vscode.l10n.t('Claude Tracer: rebuilding the index from the transcripts that still exist'),
        ),
      ),
    );
  }

  /** Fires with every scheduler state (sync attaches its store connection once a scan has created the store). */
  get onDidChangeState() {
    return this.scheduler.onDidChangeState;
  }

  get state(): IngestState<ScanStats> {
    return this.scheduler.current;
  }

  /** The webview's and status bar's view of ingest. */
  get status(): IngestStatus {
    return toIngestStatus(this.scheduler.current, this.progress);
  }

  /** The store backend of the last scan ('node:sqlite' | 'sql.js'), null before the first one. */
  get storeBackend(): string | null {
    return this.backend;
  }

  get totals(): StoreTotals | null {
    return this.storeTotals;
  }

  /** Asks for a scan soon (debounced, coalesced). */
  request(reason: string): void {
    this.scheduler.request(reason);
  }

  /** Scans now; resolves with the stats of the scan that carried this request (undefined if refused or failed). */
  scanNow(reason: string): Promise<ScanStats | undefined> {
    return this.scheduler.scanNow(reason);
  }

  private onSettingsChanged(key: string): void {
    // A scan already running masks with the rules it started with; text written from now on must meet the new
    // ones, so that scan stops and a new one starts (what it already stored keeps its masking).
    if (!this.cancelScan || this.runningPrivacyKey === key) return;
    this.deps.log.info('privacy settings changed: restarting the running scan with the new rules');
    this.cancelScan();
    void this.scheduler.scanNow('settings');
  }

  private async runScan(reason: string) {
    const settings = readSettings();
    this.runningPrivacyKey = privacyKey(settings);
    const rules = validateCustomRules(settings.customRules);
    this.reportRuleErrors(rules.errors);
    const github = await this.deps.github?.().catch(() => undefined);
    const job = runScanInWorker(
      {
        dbPath: this.deps.dbPath,
        roots: [...this.deps.roots()],
        privacyLevel: settings.privacyLevel,
        hmacKey: maskKeyFor(ensurePrivateDataDir(dataDir())),
        customRules: rules.valid,
        rebuild: reason === 'rebuild',
        priceOverrides: priceOverrideRows(settings.priceOverrides),
        excludeProjects: settings.trackingExcludeProjects,
        retention: { maxAgeDays: settings.retentionMaxAgeDays, maxSizeMb: settings.retentionMaxSizeMb },
        github,
      },
      (p) => this.onProgress(p),
      undefined,
      { gitHistory: this.deps.gitHistory },
    );
    this.cancelScan = () => job.cancel();
    const r = await job.result.finally(() => {
      this.cancelScan = undefined;
      this.progress = null;
    });
    if (r.status === 'busy') return { status: 'busy' as const, holder: r.holder };
    this.backend = r.backend;
    this.storeTotals = r.totals;
    const line = describeScan({ reason, stats: r.stats, backend: r.backend, pruned: r.pruned });
    this.deps.log[line.level](line.message);
    // texts the worker's watchdog gave up on (stored as [REDACTED:unscanned], the scan went on)
    for (const d of r.diagnostics) this.deps.log.warn(`privacy watchdog: ${d}`);
    this.reportDrift(r.drift);
    return { status: 'done' as const, stats: r.stats };
  }

  private onProgress(p: ScanProgress): void {
    this.progress = p;
    const now = Date.now();
    if (now - this.lastProgressPost < PROGRESS_POST_MS) return;
    this.lastProgressPost = now;
    this._onDidChange.fire();
  }

  /**
   * Lines a newer Claude Code wrote that ingest could not read: once per Claude Code version (the scan worker marks
   * the versions warned in the store), in the log and as a notification offering Save Drift Sample.
   */
  private reportDrift(drift: readonly DriftWarning[]): void {
    if (drift.length === 0) return;
    for (const d of drift) this.deps.log.warn(`format drift: ${driftWarning(d.version, d.reasons)}`);
    const save = vscode.l10n.t('Save Drift Sample');
    const versions = drift.map((d) => d.version).join(', ');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'Claude Tracer: some transcript lines from Claude Code {0} could not be read (its format changed). A masked sample helps fix it.',
          versions,
        ),
        save,
      )
      .then((a) => (a === save ? vscode.commands.executeCommand(PRIVACY_COMMANDS.saveDriftSample) : undefined));
  }

  /** Invalid custom rules are shown once per distinct set of errors, not on every scan. */
  private reportRuleErrors(errors: readonly string[]): void {
    const report = errors.join('\n');
    if (report === this.lastRulesReport) return;
    this.lastRulesReport = report;
    for (const e of errors) this.deps.log.warn(`claudeTracer.privacy.customRules: ${e}`);
    if (errors.length === 0) return;
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Claude Code Tracer: {0} custom privacy rule(s) ignored: {1}', errors.length, errors.join('; ')),
    );
  }

  /** Runs a scan behind a progress notification, then says what it did (or why it did not run). */
  scanWithProgress(reason: string, title: string): Promise<ScanFeedback> {
    return this.runCommand(reason, title);
  }

  private async runCommand(reason: string, title: string): Promise<ScanFeedback> {
    const stats = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        // the files done so far, as the scan reports them (throttled like the status bar)
        let shown = 0;
        const sub = this.onDidChange(() => {
          const p = this.progress;
          if (!p || p.filesTotal === 0) return;
          const pct = Math.floor((100 * p.filesDone) / p.filesTotal);
          progress.report({
            increment: Math.max(0, pct - shown),
            message: vscode.l10n.t('{0} of {1} files', p.filesDone, p.filesTotal),
          });
          shown = Math.max(shown, pct);
        });
        // a stopped scan keeps what it committed; the next one continues from the file cursors
        const cancel = token.onCancellationRequested(() => {
          this.userCancelled = true;
          this.cancelScan?.();
        });
        try {
          return await this.scanNow(reason);
        } finally {
          sub.dispose();
          cancel.dispose();
        }
      },
    );
    const userCancelled = this.userCancelled;
    this.userCancelled = false;
    const state = this.scheduler.current;
    if (stats) {
      const message = stats.cancelled
        ? userCancelled
          ? vscode.l10n.t('Claude Tracer: scan cancelled; what it read so far is kept, the next scan continues.')
          : vscode.l10n.t('Claude Tracer: the scan stopped early (the privacy settings changed); a new scan follows.')
        : vscode.l10n.t(
            'Claude Tracer: {0} transcript files checked, {1} read, {2} new interactions (prompts and responses), in {3} s.',
            stats.files,
            stats.filesRead,
            stats.interactions,
            (stats.ms / 1000).toFixed(1),
          );
      void vscode.window.showInformationMessage(message);
      return { stats, message };
    }
    if (state.kind === 'busy') {
      const message = vscode.l10n.t(
        'Claude Tracer: another window or `cct scan` is ingesting ({0}); this window shows its results when it is done.',
        state.holder ?? '?',
      );
      void vscode.window.showInformationMessage(message);
      return { stats, message };
    }
    const message = vscode.l10n.t(
      'Claude Tracer: the scan failed: {0}',
      state.kind === 'error' ? state.message : vscode.l10n.t('stopped'),
    );
    void vscode.window.showErrorMessage(message);
    return { stats, message };
  }
}
