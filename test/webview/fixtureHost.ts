/**
 * The host side of the webview tests: the extension's REAL request router and session handlers
 * (src/vscode/dashboard) over a REAL store — built by the real pipeline (tailer, Privacy Guard, SQLite) from the
 * real-CLI fixtures, or filled with 20,000 generated sessions. A test may override single methods to feed the view
 * hostile or synthetic answers (the webview's boundary is what is under test there).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Collector } from '../../src/core/collector/collector';
import type { OfficialLimits } from '../../src/core/live/rateLimits';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../src/core/privacy';
import { NodeFileTailer } from '../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../src/infra/sqlite/store';
import { AnalyticsService } from '../../src/infra/worker/analyticsService';
import type { StatusSnapshot } from '../../src/shared/protocol';
import { registerCodeContextHandlers } from '../../src/vscode/dashboard/codeContextHandlers';
import { DashboardStore } from '../../src/vscode/dashboard/dashboardStore';
import { type AnalyticsViewSettings, registerMetricsHandlers } from '../../src/vscode/dashboard/metricsHandlers';
import { RemoteSearchHandlers } from '../../src/vscode/dashboard/remoteHandlers';
import type { RemoteLink } from '../../src/vscode/dashboard/remoteLink';
import { RemoteMetrics } from '../../src/vscode/dashboard/remoteMetrics';
import { RequestRouter } from '../../src/vscode/dashboard/requestRouter';
import { registerSessionsHandlers } from '../../src/vscode/dashboard/sessionsHandlers';
import type { Logger } from '../../src/vscode/logger';
import { fillGeneratedStore } from '../helpers/generatedDashboardStore';
import { REPO_ROOT } from '../helpers/repo';

export type Handler = (params: Record<string, unknown>) => unknown | Promise<unknown>;
type Answer = { ok: true; result: unknown } | { ok: false; error: { message: string; code?: string } };

/** A failure an override answers with (as the real handlers' RpcFailure does). */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: 'notFound' | 'invalidParams' | 'internal' = 'internal',
  ) {
    super(message);
  }
}

const quiet: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => quiet,
} as unknown as Logger;

export function statusSnapshot(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    extensionVersion: '9.8.7',
    locale: 'en',
    activationMs: 3.25,
    roots: [
      { path: '/home/dev/.claude', exists: true },
      { path: '/home/dev/.config/claude', exists: false },
    ],
    storeBackend: 'node:sqlite',
    storePath: '/home/dev/.local/share/claude-tracer/store.db',
    totals: { sessions: 14, interactions: 120, apiMessages: 60 },
    ingest: { state: 'idle', progress: null, lastScanAt: '2026-11-28T10:00:00.000Z', lastScanMs: 840, message: null },
    liveSession: null,
    generatedAt: '2026-11-28T10:00:00.000Z',
    ...over,
  };
}

export class FixtureHost {
  /** Per-method overrides; every other method goes to the real handlers. */
  readonly handlers = new Map<string, Handler>();
  /** Every request the webview made, in order, with the answer it got (round-trip assertions). */
  readonly requests: { method: string; params: Record<string, unknown>; answer: Answer; ms: number }[] = [];
  /** URLs the real code-context handler asked VS Code to open (openExternal), in order. */
  readonly openedExternal: string[] = [];
  private readonly router = new RequestRouter({ warn: () => {}, error: () => {}, debug: () => {} });
  private readonly dashboardStore: DashboardStore;
  /** metrics/get's analytics worker, as the extension's: started on the first request. */
  private analytics: AnalyticsService | undefined;
  private nextId = 1;
  /**
   * The Supabase link the real remote handlers see (remote/status, the remote search scopes, "not connected" rows):
   * undefined is a window whose sync module has not loaded.
   */
  remoteLink: RemoteLink | undefined;
  /** The clock of metrics/get (the fixtures' tests pin it the day after the recording). */
  now = Date.now();
  /** The official rate limits the limits item would have read from the Status Line Bridge (undefined: none). */
  officialLimits: OfficialLimits | undefined;
  /** The `claudeTracer.analytics.*` settings metrics/get reads, as a test sets them. */
  analyticsSettings: AnalyticsViewSettings = { timeZone: '', weekStartsOn: 1 };

  private constructor(
    /** A temp dir of this host's own, removed on close (null: the store belongs to the caller). */
    private readonly root: string | null,
    private readonly dbPath: string,
    /** Sessions in the store. */
    readonly sessionCount: number,
  ) {
    this.dashboardStore = new DashboardStore(dbPath, quiet);
    const remote = new RemoteSearchHandlers(this.router, {
      link: () => this.remoteLink,
      machine: async () => 'laptop',
    });
    registerSessionsHandlers(this.router, {
      store: this.dashboardStore,
      liveSessionIds: () => [],
      snapshot: () => statusSnapshot(),
      remote,
    });
    registerCodeContextHandlers(this.router, {
      store: this.dashboardStore,
      openExternal: async (url) => {
        this.openedExternal.push(url);
        return true;
      },
      githubHosts: () => ['github.com'],
    });
    registerMetricsHandlers(this.router, {
      store: this.dashboardStore,
      now: () => this.now,
      analyticsSettings: () => this.analyticsSettings,
      analytics: () => this.analyticsService(),
      remote: new RemoteMetrics({
        link: () => this.remoteLink,
        status: () => remote.status(),
        stream: (request) => this.analyticsService().metricsOfSynced(request),
      }),
      officialLimits: () => this.officialLimits,
      saveFile: async () => true,
    });
  }

  private analyticsService(): AnalyticsService {
    this.analytics ??= new AnalyticsService(this.dbPath);
    return this.analytics;
  }

  /** The real-CLI fixtures, scanned by the real pipeline; `extend` may add rows to that store before it is served. */
  static async fixtures(extend?: (store: Store) => void): Promise<FixtureHost> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-webview-'));
    const db = path.join(root, 'store.db');
    const store = await Store.open(db, 'node:sqlite');
    const guard = createPrivacyGuard({ hmacKey: 'webview-test-key-0123456789abcdef' });
    await new Collector(store, fsTranscriptSource, new NodeFileTailer({}), guard).scan([
      path.join(REPO_ROOT, 'test', 'fixtures', 'claude', 'cli'),
    ]);
    extend?.(store);
    store.refreshSessionStats(PriceTable.builtin());
    const n = store.sessions().length;
    store.close();
    return new FixtureHost(root, db, n);
  }

  /** The fixtures host (the name the Metrics/Privacy webview tests use). */
  static open(): Promise<FixtureHost> {
    return FixtureHost.fixtures();
  }

  /** n generated sessions written straight into a real store (dashhost's generator). */
  static async generated(n: number): Promise<FixtureHost> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-webview-gen-'));
    const db = path.join(root, 'store.db');
    const store = await Store.open(db, 'node:sqlite');
    fillGeneratedStore(store, n);
    store.refreshSessionStats(PriceTable.builtin());
    store.close();
    return new FixtureHost(root, db, n);
  }

  /** An existing store file (the benchmark's); left in place on close. */
  static atPath(dbPath: string, sessionCount: number): FixtureHost {
    return new FixtureHost(null, dbPath, sessionCount);
  }

  /** Writes into the store through a connection of its own (a test plants rows; the handlers' connection sees them). */
  async write(fn: (store: Store) => void): Promise<void> {
    const store = await Store.open(this.dbPath, 'node:sqlite');
    try {
      fn(store);
    } finally {
      store.close();
    }
  }

  async answer(method: string, params: unknown): Promise<Answer> {
    const t0 = performance.now();
    const override = this.handlers.get(method);
    let answer: Answer;
    if (override) {
      try {
        answer = { ok: true, result: await override(params as Record<string, unknown>) };
      } catch (e) {
        answer = {
          ok: false,
          error: {
            message: e instanceof Error ? e.message : String(e),
            code: e instanceof HostError ? e.code : 'internal',
          },
        };
      }
    } else {
      const r = await this.router.dispatch({ type: 'request', id: this.nextId++, method, params });
      answer = r.ok ? { ok: true, result: r.result } : { ok: false, error: r.error };
    }
    this.requests.push({ method, params: params as Record<string, unknown>, answer, ms: performance.now() - t0 });
    return answer;
  }

  /** The result of the last answered request of a method. */
  lastResult<T>(method: string): T {
    const r = this.requests.filter((q) => q.method === method && q.answer.ok).at(-1);
    if (!r?.answer.ok) throw new Error(`no answered ${method} request`);
    return r.answer.result as T;
  }

  close(): void {
    this.analytics?.dispose();
    this.dashboardStore.dispose();
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
  }
}
