import { existsSync } from 'node:fs';
import { exportMarkdown } from '../core/reports/exportConversation';
import { localFileKey } from '../infra/fs/realPath';
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
  const store = await Store.open(dbPath);
  try {
    return { path: key.path, touches: store.fileTouches(key.key) };
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
