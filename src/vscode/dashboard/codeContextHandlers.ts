import type { IDisposable } from '../../shared/disposable';
import { type CodeContext, sessionCodeContext, sessionOpenPullRequest } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { type RequestRouter, RpcFailure } from './requestRouter';

/** What the code context needs from VS Code (injected: the handlers run in plain Node tests too). */
export interface CodeContextDeps {
  store: DashboardStore;
  /** Opens a URL in the browser (vscode.env.openExternal). */
  openExternal(url: string): Promise<boolean>;
  /** Web hosts of GitHub whose pull request links may be opened (github.com, plus a configured Enterprise host). */
  githubHosts(): readonly string[];
}

/**
 * A pull request URL may be opened only when it is https on an allowed GitHub host and one of this session's stored
 * pull requests: the webview names the URL, and transcript text or a rogue repository must not pick what opens.
 */
export function openablePullUrl(url: string, stored: readonly string[], hosts: readonly string[]): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return undefined;
  if (!hosts.some((h) => h.toLowerCase() === u.hostname.toLowerCase())) return undefined;
  return stored.includes(url) ? url : undefined;
}

/** session/codeContext and session/openPullRequest for the Session detail (issue 13). */
export function registerCodeContextHandlers(router: RequestRouter, deps: CodeContextDeps): IDisposable {
  const notFound = (id: string) => new RpcFailure(`no session ${id} in the local store`, 'notFound');
  const regs = [
    router.handle(sessionCodeContext, async ({ sessionId }) => {
      const r = await deps.store.use((s) => {
        if (!s.session(sessionId)) return undefined;
        const g = s.codeContext.gitJsonOf(sessionId);
        const git: CodeContext | null = g
          ? {
              repoRoot: g.repoRoot,
              worktree: g.worktree,
              remoteUrl: g.remoteUrl,
              repository: g.remoteUrl ?? g.repoRoot,
              branch: g.branch,
              headStart: g.headStart,
              headEnd: g.headEnd,
              missing: g.missing,
              commits: g.commits,
              linesAdded: g.linesAdded,
              linesRemoved: g.linesRemoved,
              claudeLinesAdded: g.claudeLinesAdded,
              claudeLinesRemoved: g.claudeLinesRemoved,
              pullRequests: g.pullRequests,
            }
          : null;
        const files = s.codeContext
          .touchedFiles(sessionId)
          .map((f) => ({ path: f.path, display: f.relPath ?? f.path }));
        return { git, files };
      });
      if (!r) throw notFound(sessionId);
      return r;
    }),
    router.handle(sessionOpenPullRequest, async ({ sessionId, url }) => {
      const stored = await deps.store.use((s) => s.codeContext.gitJsonOf(sessionId)?.pullRequests.map((p) => p.url));
      const target = openablePullUrl(url, stored ?? [], deps.githubHosts());
      if (!target)
        throw new RpcFailure('not a pull request link of this session on an allowed GitHub host', 'invalidParams');
      return { opened: await deps.openExternal(target) };
    }),
  ];
  return {
    dispose: () => {
      for (const r of regs) r.dispose();
    },
  };
}
