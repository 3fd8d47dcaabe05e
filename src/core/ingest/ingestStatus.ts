import type { IngestStatus } from '../../shared/protocol';
import type { IngestState } from './ingestScheduler';

export interface ScanSummary {
  ms: number;
}

export interface Progress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** The webview's view of ingestion, from the scheduler's state and the running scan's progress. */
export function toIngestStatus<S extends ScanSummary>(state: IngestState<S>, progress: Progress | null): IngestStatus {
  const lastScanAt = state.lastAt === undefined ? null : new Date(state.lastAt).toISOString();
  const lastScanMs = state.last?.ms ?? null;
  switch (state.kind) {
    case 'idle':
      return {
        state: state.lastAt === undefined ? 'starting' : 'idle',
        progress: null,
        lastScanAt,
        lastScanMs,
        message: null,
      };
    case 'scanning':
      return { state: 'scanning', progress, lastScanAt, lastScanMs, message: null };
    case 'busy':
      return { state: 'busy', progress: null, lastScanAt, lastScanMs, message: state.holder ?? null };
    case 'error':
      return { state: 'error', progress: null, lastScanAt, lastScanMs, message: state.message.slice(0, 500) };
  }
}
