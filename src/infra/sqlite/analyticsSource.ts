import type { AnalyticsFilter, AnalyticsSource } from '../../core/analytics/analytics';
import type { AnalyticsRows } from '../../core/analytics/rows';
import { readAnalyticsRows, readTopicDocs } from './analyticsReads';
import type { SqlDriver } from './driver';

/** The local store as an analytics source (computeAnalytics): its validated rows for the filter. */
export function storeAnalyticsSource(db: SqlDriver): AnalyticsSource {
  return {
    rows(filter: AnalyticsFilter): AnalyticsRows {
      const f = { sinceMs: filter.sinceMs, untilMs: filter.untilMs, project: filter.project };
      const rows = readAnalyticsRows(db, f);
      if (filter.topics) rows.topicDocs = readTopicDocs(db, f);
      return rows;
    },
  };
}
