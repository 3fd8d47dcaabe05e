import type { StatusSnapshot } from '../../shared/protocol';

export interface StatusInputs {
  extensionVersion: string;
  locale: string;
  activationMs: number;
  roots: { path: string; exists: boolean }[];
  storeBackend: string | null;
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
    liveSession: i.liveSession,
    generatedAt: i.now.toISOString(),
  };
}
