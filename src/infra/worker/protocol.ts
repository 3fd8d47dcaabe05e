import type { ScanProgress, ScanStats } from '../../core/collector/collector';
import type { Level } from '../../core/privacy';
import type { BackendChoice } from '../sqlite/openDriver';

/** Row counts of the whole store after a scan. */
export interface StoreTotals {
  sessions: number;
  interactions: number;
  apiMessages: number;
}

/** Messages between the host and the scan worker (structured-clone plain objects). */
export interface ScanJobInput {
  dbPath: string;
  /** Config dirs or projects/ dirs. */
  roots: string[];
  backend?: BackendChoice;
  privacyLevel?: Level;
  /** Key for the masker's HMAC tags (the extension keeps it in SecretStorage). */
  hmacKey: string;
  /** How long the ingest lease lasts without a heartbeat. */
  leaseMs?: number;
}

export type WorkerToHost =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'busy'; holder: string | undefined }
  | { type: 'done'; stats: ScanStats; backend: string; totals: StoreTotals }
  | { type: 'error'; message: string };

export type HostToWorker = { type: 'cancel' };
