import * as z from 'zod';
import { StatusSnapshotSchema } from './status';

/**
 * The one host ⇄ webview protocol, imported by both sides.
 * Host → webview: full snapshots (notifications). Webview → host: commands.
 * Every received message is validated with safeParse; invalid ones are dropped and logged.
 */
export const PROTOCOL_VERSION = 1;

export const HostToWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), protocol: z.literal(PROTOCOL_VERSION), status: StatusSnapshotSchema }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.literal(PROTOCOL_VERSION) }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('runCommand'), command: z.enum(['claudeTracer.showDashboard']) }),
  /** The webview reports its own problems (e.g. a dropped host message) so they reach the log channel. */
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string().max(2000) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function parseHostToWebview(data: unknown): ParseResult<HostToWebview> {
  const r = HostToWebviewSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: summarize(r.error) };
}

export function parseWebviewToHost(data: unknown): ParseResult<WebviewToHost> {
  const r = WebviewToHostSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: summarize(r.error) };
}
