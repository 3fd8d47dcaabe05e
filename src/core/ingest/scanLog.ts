/** The figures of a finished scan the log line reports. */
export interface ScanLogInput {
  reason: string;
  stats: { files: number; filesRead: number; interactions: number; apiMessages: number; ms: number };
  backend: string;
  /** Sessions the retention cap deleted after the scan. */
  pruned: number;
}

/**
 * The log line of a finished scan. A scan that found nothing new (the 30 s poll, mostly) logs at debug: at info
 * it would write "0/114 files" every 30 s and bury the lines that matter.
 */
export function describeScan(i: ScanLogInput): { level: 'debug' | 'info'; message: string } {
  const s = i.stats;
  const changed = s.filesRead > 0 || s.interactions > 0 || s.apiMessages > 0 || i.pruned > 0;
  const retention = i.pruned ? `; retention deleted ${i.pruned} sessions` : '';
  return {
    level: changed ? 'info' : 'debug',
    message:
      `scan (${i.reason}): ${s.filesRead}/${s.files} files read, +${s.interactions} interactions, ` +
      `+${s.apiMessages} API messages in ${s.ms} ms (${i.backend})${retention}`,
  };
}
