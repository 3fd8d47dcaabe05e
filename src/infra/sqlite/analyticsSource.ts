import type { AnalyticsSource } from '../../core/analytics/analytics';
import type { AnalyticsFilter, AnalyticsRows } from '../../core/analytics/rows';
import { readAnalyticsRows, readTopicDocs } from './analyticsReads';
import type { SqlDriver } from './driver';

/** The local store as an analytics source (computeAnalytics): its validated rows for the filter, with topic text. */
export function storeAnalyticsSource(db: SqlDriver, opts: { topics?: boolean } = {}): AnalyticsSource {
  return {
    read(filter: AnalyticsFilter): AnalyticsRows {
      const rows = readAnalyticsRows(db, filter);
      if (opts.topics ?? true) rows.topicDocs = readTopicDocs(db, filter);
      return rows;
    },
  };
}
