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

/** UI state only (view, filters, scroll positions): VS Code keeps it while the view is hidden. */
export function loadUiState(): unknown {
  return api.getState();
}

export function saveUiState(state: unknown): void {
  api.setState(state);
}
