import type * as z from 'zod';
import {
  type MethodDescriptor,
  type RequestEnvelope,
  type ResponseEnvelope,
  type ResultOf,
  type RpcErrorCode,
  RpcErrorCodeSchema,
  summarizeZodError,
} from '../../shared/protocol';

/** A handler's failure the view should show as is (a missing session, no store yet). */
export class RpcFailure extends Error {
  constructor(
    message: string,
    readonly code: RpcErrorCode,
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

/** A method's handler: gets the parsed params, returns (or resolves with) the result. */
/**
 * By name, not instanceof: the handlers live in dist/dashboardData.js, which has its own copy of RpcFailure (as
 * UsageError across the CLI bundles).
 */
export function isRpcFailure(e: unknown): e is RpcFailure {
  return (
    e instanceof Error &&
    e.name === 'RpcFailure' &&
    RpcErrorCodeSchema.safeParse((e as { code?: unknown }).code).success
  );
}

export type Handler<M extends MethodDescriptor> = (params: z.output<M['params']>) => ResultOf<M> | Promise<ResultOf<M>>;

interface RouterLog {
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

interface Route {
  method: MethodDescriptor;
  handler: (params: unknown) => unknown;
}

/**
 * Validated dispatch of the dashboard's RPC requests: each feature registers its methods' handlers (sessionsHandlers,
 * metricsHandlers, …); params are parsed with the method's schema before the handler runs and results are checked
 * before they leave. A request for an unknown method or with invalid params is logged and answered with an error
 * (the webview's promise rejects instead of waiting for its timeout); a handler that throws answers with its message.
 */
export class RequestRouter {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly log: RouterLog) {}

  handle<M extends MethodDescriptor>(method: M, handler: Handler<M>): { dispose(): void } {
    if (this.routes.has(method.name)) throw new Error(`a handler for ${method.name} is already registered`);
    this.routes.set(method.name, { method, handler: handler as (p: unknown) => unknown });
    return { dispose: () => this.routes.delete(method.name) };
  }

  get methods(): string[] {
    return [...this.routes.keys()].sort();
  }

  /** Answers one request (already envelope-validated); never throws. */
  async dispatch(req: RequestEnvelope): Promise<ResponseEnvelope> {
    const fail = (message: string, code: RpcErrorCode): ResponseEnvelope => ({
      type: 'response',
      id: req.id,
      ok: false,
      error: { message, code },
    });
    const route = this.routes.get(req.method);
    if (!route) {
      this.log.warn(`dropped request ${req.id}: unknown method ${req.method}`);
      return fail(`unknown method ${req.method}`, 'unknownMethod');
    }
    const params = route.method.params.safeParse(req.params);
    if (!params.success) {
      const why = summarizeZodError(params.error);
      this.log.warn(`dropped request ${req.id} (${req.method}): invalid params: ${why}`);
      return fail(`invalid params: ${why}`, 'invalidParams');
    }
    const started = performance.now();
    try {
      const raw = await route.handler(params.data);
      const result = route.method.result.safeParse(raw);
      if (!result.success) {
        this.log.error(`${req.method} produced an invalid result: ${summarizeZodError(result.error)}`);
        return fail(`${req.method}: internal error (invalid result)`, 'internal');
      }
      this.log.debug(`${req.method} answered in ${(performance.now() - started).toFixed(1)} ms`);
      return { type: 'response', id: req.id, ok: true, result: result.data };
    } catch (e) {
      if (isRpcFailure(e)) return fail(e.message, e.code);
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${req.method} failed: ${message}`);
      return fail(message.slice(0, 2000), RpcErrorCodeSchema.enum.internal);
    }
  }
}
