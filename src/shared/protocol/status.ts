import * as z from 'zod';

export const IngestStatusSchema = z.object({
  /** starting: before the first scan; busy: another window or `cct scan` holds the ingest lease. */
  state: z.enum(['starting', 'idle', 'scanning', 'busy', 'error']),
  progress: z
    .object({ filesDone: z.number(), filesTotal: z.number(), bytesDone: z.number(), bytesTotal: z.number() })
    .nullable(),
  lastScanAt: z.string().nullable(),
  lastScanMs: z.number().nullable(),
  /** The lease holder or an error message — never transcript text. */
  message: z.string().max(500).nullable(),
});
export type IngestStatus = z.infer<typeof IngestStatusSchema>;

export const StoreTotalsSchema = z.object({
  sessions: z.number().int().nonnegative(),
  interactions: z.number().int().nonnegative(),
  apiMessages: z.number().int().nonnegative(),
});
export type StoreTotals = z.infer<typeof StoreTotalsSchema>;

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
  storePath: z.string().nullable(),
  totals: StoreTotalsSchema.nullable(),
  ingest: IngestStatusSchema,
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
