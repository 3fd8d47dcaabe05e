import type { WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; everything goes through this module. */
const api: VsCodeApi = acquireVsCodeApi();

export function send(message: WebviewToHost): void {
  api.postMessage(message);
}

export function getUiState<T>(): T | undefined {
  return api.getState() as T | undefined;
}

export function setUiState<T>(state: T): void {
  api.setState(state);
}
