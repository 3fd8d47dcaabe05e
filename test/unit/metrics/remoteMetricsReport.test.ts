/**
 * The Metrics view's DTO of rows read elsewhere (the remote scopes' synced rows): computed by the analytics worker
 * (AnalyticsService.metricsOfInput, a real worker thread) it equals the in-thread inputMetricsReport, says which source
 * answered and what it cannot tell, labels the sessions it names from the rows; and the official limits' DTO.
 */
import assert from 'node:assert/strict';
import { analyticsOf } from '../../../src/core/analytics/analytics';
import type { AnalyticsRows, UsageRow } from '../../../src/core/analytics/rows';
import { inputOfRows } from '../../../src/core/analytics/sessionFacts';
import { SYNCED_NOT_COMPUTED } from '../../../src/core/analytics/syncedRows';
import { inputMetricsReport } from '../../../src/core/metrics/inputMetricsReport';
import { officialLimitsDto } from '../../../src/core/metrics/officialLimitsDto';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { AnalyticsService } from '../../../src/infra/worker/analyticsService';
import { MetricsReportSchema } from '../../../src/shared/protocol';

const NOW = Date.parse('2026-11-29T00:00:00Z');
const usage = (sessionId: string, at: string, model: string, input: number, output: number): UsageRow => ({
  sessionId,
  ts: Date.parse(at),
  model,
  speed: null,
  input,
  output,
  cache5m: 0,
  cache1h: 0,
  cacheCreation: 0,
  cacheRead: input * 3,
  isSidechain: false,
});

function rows(): AnalyticsRows {
  const meta = (id: string, project: string, first: string) => ({
    sessionId: id,
    projectPath: project,
    entrypoint: 'cli',
    firstTs: Date.parse(first),
    lastTs: Date.parse(first) + 60_000,
    title: `prompt of ${id}`,
  });
  return {
    sessions: [
      meta('u1/s1', '/w/alpha', '2026-11-27T10:00:00Z'),
      meta('u1/s2', '/w/beta', '2026-11-28T22:00:00Z'),
      meta('u2/s1', '/w/alpha', '2026-11-28T23:30:00Z'),
    ],
    usage: [
      usage('u1/s1', '2026-11-27T10:00:10Z', 'claude-sonnet-4-5', 1000, 200),
      usage('u1/s2', '2026-11-28T22:00:10Z', 'claude-opus-4-5', 50_000, 9000),
      usage('u1/s2', '2026-11-28T22:01:10Z', 'claude-opus-4-5', 60_000, 9000),
      usage('u2/s1', '2026-11-28T23:30:10Z', 'claude-unreleased-9', 10, 10),
    ],
    prompts: [
      { sessionId: 'u1/s1', ts: Date.parse('2026-11-27T10:00:00Z') },
      { sessionId: 'u1/s2', ts: Date.parse('2026-11-28T22:00:00Z') },
      { sessionId: 'u2/s1', ts: Date.parse('2026-11-28T23:30:00Z') },
    ],
    toolCalls: [],
  };
}

describe('metrics: the remote scopes’ DTO and the official limits beside the estimate', () => {
  let service: AnalyticsService | undefined;
  after(() => service?.dispose());

  it('the worker computes rows read elsewhere into the same DTO as in-thread, with its source and labels', async () => {
    const input = { ...inputOfRows(rows()), notComputed: SYNCED_NOT_COMPUTED };
    const options = { timeZone: 'Asia/Tokyo', weekStartsOn: 1 as const, now: NOW };
    service = new AnalyticsService('/nonexistent/never-opened.db');
    const inWorker = await service.metricsOfInput({ input, options, range: 'all', scope: 'team' });
    const inThread = inputMetricsReport(input, analyticsOf(input, PriceTable.builtin(), options), {
      range: 'all',
      nowMs: NOW,
      scope: 'team',
    });
    const report = MetricsReportSchema.parse(inWorker.report);
    assert.deepEqual(report, inThread);
    assert.equal(inWorker.read, undefined, 'no store was read');
    assert.deepEqual(report.source, { scope: 'team', notComputed: SYNCED_NOT_COMPUTED });
    assert.equal(report.totals.sessions, 3);
    assert.equal(report.totals.apiMessages, 4);
    assert.deepEqual(report.totals.unpricedModels, ['claude-unreleased-9']);
    assert.ok(report.efficiency.notComputed.includes(SYNCED_NOT_COMPUTED[0]!));
    assert.ok(!report.efficiency.notComputed.some((x) => /rate_limits/.test(x)), 'no longer listed as not computed');
    assert.equal(report.officialLimits, null, 'the host adds them, not the worker');
    // the sessions the report names are labelled from the rows themselves (no local store knows them)
    const named = Object.entries(report.sessionLabels);
    assert.ok(named.length > 0);
    for (const [id, l] of named) assert.equal(l.firstPrompt, `prompt of ${id}`);
    // a request for rows does not become the one a scan recomputes
    await service.storeChanged();
  });

  it('official limits: null without figures; stale after the limits item’s 10 minutes; thresholds carried', () => {
    assert.equal(officialLimitsDto(undefined, NOW), null);
    assert.equal(
      officialLimitsDto({ source: 'official', fiveHour: undefined, sevenDay: undefined, observedAt: NOW }, NOW),
      null,
    );
    const o = {
      source: 'official' as const,
      fiveHour: { usedPercent: 91.5, resetsAt: NOW + 3_600_000 },
      sevenDay: { usedPercent: 12, resetsAt: undefined },
      observedAt: NOW - 10 * 60_000,
    };
    assert.deepEqual(officialLimitsDto(o, NOW, { warnPercent: 60, errorPercent: 80 }), {
      observedAtMs: NOW - 10 * 60_000,
      stale: false,
      fiveHour: { usedPercent: 91.5, resetsAtMs: NOW + 3_600_000 },
      sevenDay: { usedPercent: 12, resetsAtMs: null },
      warnPercent: 60,
      errorPercent: 80,
    });
    assert.equal(officialLimitsDto(o, NOW + 1)!.stale, true);
    assert.equal(officialLimitsDto(o, NOW)!.warnPercent, 75, 'the settings’ defaults');
  });
});
