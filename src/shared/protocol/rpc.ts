import * as z from 'zod';

/**
 * Request/response RPC between the dashboard webview and the host, on top of the snapshot messages.
 * Envelopes are validated on both sides (messages.ts unions them in); a method's params and result are validated
 * with its own schemas: the host parses params before its handler runs, the webview parses the result before it
 * resolves. Each feature declares its methods in its own file with defineMethod (sessionsMethods.ts, ...).
 */

/** Bounded so a runaway webview cannot make the host parse megabytes of method names. */
const MethodName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][A-Za-z0-9]*(\/[a-z][A-Za-z0-9]*)*$/);

export const RequestEnvelopeSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: MethodName,
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

/** Error codes the webview may branch on; message is for people (already translated by the host where it can). */
export const RpcErrorCodeSchema = z.enum(['invalidParams', 'unknownMethod', 'notFound', 'unavailable', 'internal']);
export type RpcErrorCode = z.infer<typeof RpcErrorCodeSchema>;

export const RpcErrorSchema = z.object({ message: z.string().max(2000), code: RpcErrorCodeSchema.optional() });
export type RpcError = z.infer<typeof RpcErrorSchema>;

export const ResponseEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('response'),
    id: z.number().int().nonnegative(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    id: z.number().int().nonnegative(),
    ok: z.literal(false),
    error: RpcErrorSchema,
  }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelopeSchema>;

/**
 * What changed: the webview refetches what it shows from these scopes. 'remote': rows on Supabase (realtime: another
 * machine or a team member synced) or the connection itself (connected, signed in or out).
 */
export const DataScopeSchema = z.enum(['sessions', 'metrics', 'privacy', 'status', 'live', 'remote']);
export type DataScope = z.infer<typeof DataScopeSchema>;

export const NotifyEnvelopeSchema = z.object({
  type: z.literal('notify'),
  event: z.literal('dataChanged'),
  scope: z.array(DataScopeSchema).min(1),
});
export type NotifyEnvelope = z.infer<typeof NotifyEnvelopeSchema>;

/** A typed method descriptor: the name on the wire and the two schemas both sides validate with. */
export interface MethodDescriptor<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly params: P;
  readonly result: R;
}
export type ParamsOf<M extends MethodDescriptor> = z.input<M['params']>;
export type ResultOf<M extends MethodDescriptor> = z.output<M['result']>;

export function defineMethod<P extends z.ZodType, R extends z.ZodType>(
  name: string,
  params: P,
  result: R,
): MethodDescriptor<P, R> {
  if (!MethodName.safeParse(name).success) throw new Error(`invalid method name: ${name}`);
  return { name, params, result };
}

/** Short, value-free description of a zod failure (paths and messages, never the offending input). */
export function summarizeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
