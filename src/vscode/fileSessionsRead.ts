import { existsSync } from 'node:fs';
import { exportMarkdown } from '../core/reports/exportConversation';
import { localFileKey } from '../infra/fs/realPath';
import { storedPathKeys } from '../infra/fs/storedPathKeys';
import { maskKeyDirOfStore, maskKeyFor } from '../infra/keys/maskKeyFile';
import type { FileTouch } from '../infra/sqlite/sessionFiles';
import { Store } from '../infra/sqlite/store';

// "Show Sessions for This File" reads the store here (bundled apart as dist/fileSessions.js, loaded on first use:
// the store is not part of extension.js). No vscode import: the command (fileSessionsCommand.ts) does the UI.

/** The stored touches of a file, newest first; undefined when nothing is stored yet. */
export async function readFileTouches(
  dbPath: string,
  file: string,
): Promise<{ path: string; touches: FileTouch[] } | undefined> {
  if (!existsSync(dbPath)) return undefined;
  const key = localFileKey(file, '/');
  if (!key) return { path: file, touches: [] };
  const keys = storedPathKeys(key, maskKeyFor(maskKeyDirOfStore(dbPath)));
  const store = await Store.open(dbPath);
  try {
    const seen = new Set<string>();
    const touches = keys
      .flatMap((k) => store.codeContext.fileTouches(k))
      .filter((t) => !seen.has(`${t.toolCallId}\u0000${t.path}`) && seen.add(`${t.toolCallId}\u0000${t.path}`))
      .sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0));
    return { path: key.path, touches };
  } finally {
    store.close();
  }
}

/** A session's masked conversation as Markdown (what `cct export` prints), or undefined if it is not stored. */
export async function sessionMarkdown(dbPath: string, sessionId: string): Promise<string | undefined> {
  if (!existsSync(dbPath)) return undefined;
  const store = await Store.open(dbPath);
  try {
    const s = store.session(sessionId);
    return s ? exportMarkdown(s, store.conversation(sessionId)) : undefined;
  } finally {
    store.close();
  }
}
