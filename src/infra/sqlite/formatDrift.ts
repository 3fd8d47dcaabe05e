import { DRIFT_SAMPLES_KEPT, type DriftSighting } from '../../core/collector/formatDrift';
import type { SqlDriver } from './driver';

// Format drift as stored (schema v9): counts by reason and Claude Code version (`format_drift`), a bounded sample
// of line positions per reason and version (`format_drift_samples`, never text), and which versions each surface
// (the editor, `cct scan`) has warned about (`format_drift_warned`).

export type DriftSurface = 'editor' | 'cli';

export interface DriftCount {
  reason: string;
  version: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface DriftSamplePosition {
  reason: string;
  version: string;
  path: string;
  offset: number;
}

/** Called in the ingest batch's transaction. */
export function writeDrift(db: SqlDriver, path: string, sightings: readonly DriftSighting[], now: number): void {
  if (sightings.length === 0) return;
  const up = db.prepare(
    `INSERT INTO format_drift (reason, cc_version, count, first_seen, last_seen) VALUES (?,?,?,?,?)
     ON CONFLICT(reason, cc_version) DO UPDATE SET count = format_drift.count + excluded.count, last_seen = excluded.last_seen`,
  );
  const sample = db.prepare(
    `INSERT OR IGNORE INTO format_drift_samples (reason, cc_version, path, byte_offset) SELECT ?1, ?2, ?3, ?4
     WHERE (SELECT count(*) FROM format_drift_samples WHERE reason = ?1 AND cc_version = ?2) < ?5`,
  );
  for (const s of sightings) {
    up.run([s.reason, s.version, s.count, now, now]);
    for (const o of s.offsets) sample.run([s.reason, s.version, path, o, DRIFT_SAMPLES_KEPT]);
  }
}

export function driftCounts(db: SqlDriver): DriftCount[] {
  return db
    .prepare('SELECT reason, cc_version, count, first_seen, last_seen FROM format_drift ORDER BY cc_version, reason')
    .values()
    .map(([reason, version, count, first, last]) => ({
      reason: String(reason),
      version: String(version),
      count: Number(count),
      firstSeen: Number(first),
      lastSeen: Number(last),
    }));
}

/** Drift counts of the Claude Code versions this surface has not warned about yet. */
export function unwarnedDrift(db: SqlDriver, surface: DriftSurface): DriftCount[] {
  const warned = new Set(
    db
      .prepare('SELECT cc_version FROM format_drift_warned WHERE surface = ?')
      .values([surface])
      .map((r) => String(r[0])),
  );
  return driftCounts(db).filter((d) => !warned.has(d.version));
}

export function markDriftWarned(db: SqlDriver, versions: readonly string[], surface: DriftSurface, now: number): void {
  db.transaction(() => {
    const ins = db.prepare('INSERT OR IGNORE INTO format_drift_warned (cc_version, surface, warned_at) VALUES (?,?,?)');
    for (const v of versions) ins.run([v, surface, now]);
  });
}

export function driftSamplePositions(db: SqlDriver): DriftSamplePosition[] {
  return db
    .prepare(
      'SELECT reason, cc_version, path, byte_offset FROM format_drift_samples ORDER BY cc_version, reason, path, byte_offset',
    )
    .values()
    .map(([reason, version, path, offset]) => ({
      reason: String(reason),
      version: String(version),
      path: String(path),
      offset: Number(offset),
    }));
}
