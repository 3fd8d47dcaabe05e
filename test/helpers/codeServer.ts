/**
 * The one place that knows how to run real VS Code (code-server 4.139.1 = VS Code 1.139) for tests.
 * Pinned on purpose: the `payload` URL parameter honoured with `--vscode-option enable-smoke-test-driver`
 * and `window.codeAutomationExit` are internal VS Code behaviour (honoured only with the smoke-test driver).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
};

export interface Toolchain {
  node: string;
  entry: string;
}

/** Finds Node 24 + code-server installed by scripts/setup-code-server.sh; fails with the command that installs them. */
export function findToolchain(): Toolchain {
  const tools =
    process.env.CCT_TOOLS_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'claude-code-tracer', 'tools');
  let node = process.env.CS_NODE;
  let entry = process.env.CS_ENTRY;
  const envFile = path.join(tools, 'env.sh');
  if ((!node || !entry) && existsSync(envFile)) {
    const text = readFileSync(envFile, 'utf8');
    node ??= /CS_NODE="([^"]+)"/.exec(text)?.[1];
    entry ??= /CS_ENTRY="([^"]+)"/.exec(text)?.[1];
  }
  if (!node || !entry || !existsSync(node) || !existsSync(entry)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} (with Node 24) is not installed. Install it: npm run setup:code-server`,
    );
  }
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  if (pkg.version !== CODE_SERVER_VERSION) {
    throw new Error(
      `code-server ${pkg.version} found, ${CODE_SERVER_VERSION} required. Reinstall: npm run setup:code-server`,
    );
  }
  return { node, entry };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** Extra environment for code-server; the extension host inherits it. */
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Needed for extension tests via the payload parameter. */
  smokeTestDriver?: boolean;
  /** .vsix files installed into the fresh extensions dir before start. */
  installVsix?: string[];
  /** Keep the temp dir (logs) after stop; also kept when KEEP_TMP=1. */
  keep?: boolean;
}

const live = new Set<CodeServer>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous: a signal handler exits right after it, so an async stop() would never finish.
  const killAll = () => {
    for (const cs of live) cs.disposeSync();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export class CodeServer {
  private constructor(
    readonly port: number,
    readonly tmp: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    private readonly child: ChildProcess,
    private readonly keep: boolean,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get authority(): string {
    return `127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return path.join(this.tmp, 'code-server.log');
  }

  /** `vscode-remote://` URI for an absolute path on this machine, as the web workbench expects. */
  remoteUri(absPath: string): string {
    return `vscode-remote://${this.authority}${absPath}`;
  }

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    const tc = findToolchain();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-code-server-'));
    const userDataDir = path.join(tmp, 'user-data');
    const extensionsDir = path.join(tmp, 'extensions');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2),
    );
    const baseArgs = [tc.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    for (const vsix of opts.installVsix ?? []) {
      const r = spawnSync(tc.node, [...baseArgs, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
    }
    const port = await freePort();
    const args = [
      ...baseArgs,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      opts.workspace,
    ];
    const log = createWriteStream(path.join(tmp, 'code-server.log'));
    const child = spawn(tc.node, args, {
      detached: true, // own process group: the extension host outlives the server unless the group is killed
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        EXTENSIONS_GALLERY: '{}',
        SHELL: '/bin/bash',
        ...opts.env,
      },
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const cs = new CodeServer(
      port,
      tmp,
      userDataDir,
      extensionsDir,
      child,
      Boolean(opts.keep || process.env.KEEP_TMP === '1'),
    );
    live.add(cs);
    installExitHook();
    try {
      await cs.waitReady(60_000);
    } catch (e) {
      await cs.stop({ keep: true });
      throw new Error(`${(e as Error).message}; log: ${cs.logFile}`);
    }
    return cs;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited early with ${this.child.exitCode}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error('code-server did not become ready');
  }

  killGroupSync(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    live.delete(this);
  }

  /** Kills the process group and removes the temp folder (unless kept): what Ctrl-C and process exit run. */
  disposeSync(): void {
    this.killGroupSync();
    if (!this.keep) rmSync(this.tmp, { recursive: true, force: true });
  }

  /** SIGTERM to the whole group, up to 5 s for the server, then SIGKILL to the group (the extension host lingers otherwise). */
  async stop(o: { keep?: boolean } = {}): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && live.has(this)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
      if (this.child.exitCode === null && this.child.signalCode === null) {
        await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      }
      this.killGroupSync();
    }
    live.delete(this);
    if (!(o.keep || this.keep)) rmSync(this.tmp, { recursive: true, force: true });
  }
}
