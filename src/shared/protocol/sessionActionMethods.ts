import * as z from 'zod';
import { defineMethod } from './rpc';

/**
 * Actions of the Session detail view that need the host (files, dialogs). The host implements them in its
 * session handlers; the webview shows their errors like any failed request.
 */
const SessionId = z.string().min(1).max(200);

/** Export the session (masked) through the existing exporter; the host asks where to save. */
export const sessionExport = defineMethod(
  'session/export',
  z.object({ sessionId: SessionId, format: z.enum(['markdown', 'json', 'html']) }),
  z.object({ saved: z.boolean() }),
);

/**
 * Open a file a tool call touched (`vscode.open`), only when the path exists under a workspace folder or the
 * session's cwd; the host answers notFound otherwise.
 */
export const sessionOpenFile = defineMethod(
  'session/openFile',
  z.object({ sessionId: SessionId, path: z.string().min(1).max(4096) }),
  z.object({ opened: z.boolean() }),
);

export const SESSION_ACTION_METHODS = [sessionExport, sessionOpenFile] as const;
