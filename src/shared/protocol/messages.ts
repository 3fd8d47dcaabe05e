import * as z from 'zod';
import { NotifyEnvelopeSchema, RequestEnvelopeSchema, ResponseEnvelopeSchema, summarizeZodError } from './rpc';
import { StatusSnapshotSchema } from './status';

/**
 * The one host ⇄ webview protocol, imported by both sides.
 * Host → webview: full status snapshots, RPC responses, dataChanged notifications and navigation (deep links).
 * Webview → host: the handshake, commands and RPC requests (rpc.ts; methods in *Methods.ts).
 * Every received message is validated with safeParse; invalid ones are dropped and logged.
 */
export const PROTOCOL_VERSION = 1;

/** Where a deep link takes the dashboard (claudeTracer.openSession, the status bar, notifications). */
export const NavigateTargetSchema = z.discriminatedUnion('view', [
  z.object({ view: z.enum(['sessions', 'search', 'metrics', 'privacy', 'status']) }),
  z.object({
    view: z.literal('session'),
    sessionId: z.string().min(1).max(200),
    /** A timeline Turn.id (= the store's interaction id): the detail opens scrolled to that turn, highlighted. */
    turnId: z.string().min(1).max(300).optional(),
  }),
]);
export type NavigateTarget = z.infer<typeof NavigateTargetSchema>;

export const HostToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), protocol: z.literal(PROTOCOL_VERSION), status: StatusSnapshotSchema }),
  ResponseEnvelopeSchema,
  NotifyEnvelopeSchema,
  z.object({ type: z.literal('navigate'), target: NavigateTargetSchema }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.literal(PROTOCOL_VERSION) }),
  z.object({ type: z.literal('refresh') }),
  /**
   * The commands a view may run: the dashboard itself, connecting / signing in to Supabase (remote scopes), and the
   * Privacy view's re-mask (confirmed in the view first).
   */
  z.object({
    type: z.literal('runCommand'),
    command: z.enum([
      'claudeTracer.showDashboard',
      'claudeTracer.supabase.connect',
      'claudeTracer.supabase.signIn',
      'claudeTracer.remaskArchive',
    ]),
  }),
  /** The webview reports its own problems (e.g. a dropped host message) so they reach the log channel. */
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string().max(2000) }),
  RequestEnvelopeSchema,
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

const summarize = summarizeZodError;

export function parseHostToWebview(data: unknown): ParseResult<HostToWebview> {
  const r = HostToWebviewSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: summarize(r.error) };
}

export function parseWebviewToHost(data: unknown): ParseResult<WebviewToHost> {
  const r = WebviewToHostSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: summarize(r.error) };
}
