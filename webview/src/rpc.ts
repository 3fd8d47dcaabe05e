import { createRpcClient, type RpcClient } from './rpcClient';
import { send } from './vscodeApi';

export { type RpcClient, RpcRequestError } from './rpcClient';

/** The webview's one client (acquireVsCodeApi may be called once per page: vscodeApi.ts owns it). */
export const rpc: RpcClient = createRpcClient(send);
export const request: RpcClient['request'] = (method, params, opts) => rpc.request(method, params, opts);
export const onNotify: RpcClient['onNotify'] = (fn) => rpc.onNotify(fn);
export const onNavigate: RpcClient['onNavigate'] = (fn) => rpc.onNavigate(fn);
