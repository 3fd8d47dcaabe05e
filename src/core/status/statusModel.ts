import type { IngestStatus, StatusSnapshot, StoreTotals } from '../../shared/protocol';

export interface StatusInputs {
  extensionVersion: string;
  locale: string;
  activationMs: number;
  roots: { path: string; exists: boolean }[];
  storeBackend: string | null;
  storePath: string | null;
  totals: StoreTotals | null;
  ingest: IngestStatus;
  liveSession: StatusSnapshot['liveSession'];
  now: Date;
}

export function buildStatusSnapshot(i: StatusInputs): StatusSnapshot {
  return {
    extensionVersion: i.extensionVersion,
    locale: i.locale,
    activationMs: Math.round(i.activationMs * 100) / 100,
    roots: i.roots,
    storeBackend: i.storeBackend,
    storePath: i.storePath,
    totals: i.totals,
    ingest: i.ingest,
    liveSession: i.liveSession,
    generatedAt: i.now.toISOString(),
  };
}
