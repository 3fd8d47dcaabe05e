import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { exportHtml, exportJson, exportMarkdown } from '../../core/reports/exportConversation';
import type { IDisposable } from '../../shared/disposable';
import { sessionExport, sessionOpenFile } from '../../shared/protocol';
import type { DashboardStore } from './dashboardStore';
import { type RequestRouter, RpcFailure } from './requestRouter';

/** What the Session detail's actions need from VS Code (injected: the handlers run in plain Node tests too). */
export interface SessionActionDeps {
  store: DashboardStore;
  /** Asks where to save; undefined when the user cancels. */
  pickSaveTarget(defaultName: string, format: 'markdown' | 'json' | 'html'): Promise<string | undefined>;
  writeFile(file: string, text: string): Promise<void>;
  workspaceFolders(): string[];
  openFile(file: string): Promise<void>;
}

const EXT = { markdown: 'md', json: 'json', html: 'html' } as const;
const RENDER = { markdown: exportMarkdown, json: exportJson, html: exportHtml } as const;

/** The real path, or undefined when it does not exist. */
function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Whether a path a tool call named may be opened: an existing file whose real path (symlinks resolved) lies under a
 * workspace folder or the session's own folder. Transcript text chose the path, so nothing else is opened.
 */
export function openablePath(file: string, roots: readonly string[]): string | undefined {
  if (!path.isAbsolute(file)) return undefined;
  const target = real(file);
  if (!target) return undefined;
  try {
    if (!statSync(target).isFile()) return undefined;
  } catch {
    return undefined;
  }
  for (const r of roots) {
    const root = real(r);
    if (root && inside(root, target)) return target;
  }
  return undefined;
}

/** Export (masked, through the existing exporter) and open-a-touched-file for the Session detail view. */
export function registerSessionActionHandlers(router: RequestRouter, deps: SessionActionDeps): IDisposable {
  const regs = [
    router.handle(sessionExport, async ({ sessionId, format }) => {
      const found = await deps.store.use((s) => {
        const session = s.session(sessionId);
        return session ? { session, items: s.conversation(sessionId) } : undefined;
      });
      if (!found) throw new RpcFailure(`no session ${sessionId} in the local store`, 'notFound');
      const target = await deps.pickSaveTarget(`claude-session-${sessionId.slice(0, 8)}.${EXT[format]}`, format);
      if (!target) return { saved: false };
      await deps.writeFile(target, RENDER[format](found.session, found.items));
      return { saved: true };
    }),
    router.handle(sessionOpenFile, async ({ sessionId, path: file }) => {
      const cwd = await deps.store.use((s) => s.session(sessionId)?.projectPath ?? null);
      const roots = [...deps.workspaceFolders(), ...(cwd ? [cwd] : [])];
      const target = openablePath(file, roots);
      if (!target) {
        throw new RpcFailure(`${file} is not a file under a workspace folder or the session's folder`, 'notFound');
      }
      await deps.openFile(target);
      return { opened: true };
    }),
  ];
  return {
    dispose: () => {
      for (const r of regs) r.dispose();
    },
  };
}
