import type { SqlDriver } from './driver';
import {
  type DriftCount,
  type DriftSamplePosition,
  type DriftSurface,
  driftCounts,
  driftSamplePositions,
  markDriftWarned,
  unwarnedDrift,
} from './formatDrift';

/** The store's format-drift tables behind `Store.drift`: counts, warned versions and sampled line positions. */
export class FormatDriftAccess {
  constructor(private readonly db: SqlDriver) {}

  driftCounts(): DriftCount[] {
    return driftCounts(this.db);
  }

  /** Drift under Claude Code versions this surface has not warned about yet (warn, then markDriftWarned). */
  unwarnedDrift(surface: DriftSurface): DriftCount[] {
    return unwarnedDrift(this.db, surface);
  }

  markDriftWarned(versions: readonly string[], surface: DriftSurface, now = Date.now()): void {
    markDriftWarned(this.db, versions, surface, now);
  }

  driftSamplePositions(): DriftSamplePosition[] {
    return driftSamplePositions(this.db);
  }
}
