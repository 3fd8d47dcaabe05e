import * as z from 'zod';

/** What the host knows about itself; sent whole to the webview (snapshots, never deltas). */
export const StatusSnapshotSchema = z.object({
  extensionVersion: z.string(),
  /** VS Code's display language, so the webview speaks the same one (en / ja). */
  locale: z.string(),
  activationMs: z.number().nonnegative(),
  /** Where Claude Code transcripts are looked for. */
  roots: z.array(z.object({ path: z.string(), exists: z.boolean() })),
  /** Local store backend once the store is open: 'node:sqlite' | 'sql.js' | null while none. */
  storeBackend: z.string().nullable(),
  liveSession: z
    .object({
      sessionId: z.string(),
      projectPath: z.string(),
      status: z.string(),
    })
    .nullable(),
  generatedAt: z.string(),
});
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;
