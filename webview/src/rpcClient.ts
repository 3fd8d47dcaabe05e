import type {
  HostToWebview,
  MethodDescriptor,
  NavigateTarget,
  NotifyEnvelope,
  ParamsOf,
  ResultOf,
  RpcErrorCode,
  WebviewToHost,
} from '../../src/shared/protocol';
import { summarizeZodError } from '../../src/shared/protocol';

/** A failed request: the host's error (code from the protocol) or a local one (timeout, invalid result). */
export class RpcRequestError extends Error {
  constructor(
    message: string,
    readonly code: RpcErrorCode | 'timeout' | 'invalidResult',
  ) {
    super(message);
    this.name = 'RpcRequestError';
  }
}

interface Pending {
  method: MethodDescriptor;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface RpcClient {
  /** Sends a request; resolves with the result validated by the method's schema, rejects with RpcRequestError. */
  request<M extends MethodDescriptor>(
    method: M,
    params: ParamsOf<M>,
    opts?: { timeoutMs?: number },
  ): Promise<ResultOf<M>>;
  onNotify(fn: (n: NotifyEnvelope) => void): () => void;
  onNavigate(fn: (target: NavigateTarget) => void): () => void;
  /** Feeds one parsed host message; true when it was an RPC message (response, notify, navigate) this client took. */
  deliver(message: HostToWebview): boolean;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The client over any transport (the webview's postMessage in production, a fake in unit tests). */
export function createRpcClient(post: (m: WebviewToHost) => void, warn: (m: string) => void = console.warn): RpcClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const notifyFns = new Set<(n: NotifyEnvelope) => void>();
  const navigateFns = new Set<(t: NavigateTarget) => void>();
  let lastNavigate: NavigateTarget | undefined;

  return {
    request(method, params, opts) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new RpcRequestError(`${method.name}: no answer from the host`, 'timeout'));
        }, opts?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
        post({ type: 'request', id, method: method.name, params });
      });
    },
    onNotify(fn) {
      notifyFns.add(fn);
      return () => notifyFns.delete(fn);
    },
    onNavigate(fn) {
      navigateFns.add(fn);
      // A deep link can arrive before the view subscribed (the host sends it right after `ready`).
      if (lastNavigate) {
        fn(lastNavigate);
        lastNavigate = undefined;
      }
      return () => navigateFns.delete(fn);
    },
    deliver(message) {
      switch (message.type) {
        case 'response': {
          const p = pending.get(message.id);
          if (!p) {
            warn(`[claude-tracer] dropped response to unknown request ${message.id}`);
            return true;
          }
          pending.delete(message.id);
          clearTimeout(p.timer);
          if (!message.ok) {
            p.reject(new RpcRequestError(message.error.message, message.error.code ?? 'internal'));
            return true;
          }
          const r = p.method.result.safeParse(message.result);
          if (r.success) p.resolve(r.data);
          else {
            const why = `${p.method.name}: invalid result (${summarizeZodError(r.error)})`;
            warn(`[claude-tracer] ${why}`);
            p.reject(new RpcRequestError(why, 'invalidResult'));
          }
          return true;
        }
        case 'notify':
          for (const fn of notifyFns) fn(message);
          return true;
        case 'navigate':
          if (navigateFns.size === 0) lastNavigate = message.target;
          for (const fn of navigateFns) fn(message.target);
          return true;
        default:
          return false;
      }
    },
  };
}
