/**
 * The Metrics view's DTO of the remote scopes' synced rows: streamed page by page to the analytics worker
 * (AnalyticsService.metricsOfSynced, a real worker thread) it equals the in-thread one, says which source answered and
 * what it cannot tell, labels the sessions it names from the rows; and the official limits' DTO.
 */
import assert from 'node:assert/strict';
import * as z from 'zod';
import { analyticsOf } from '../../../src/core/analytics/analytics';
import { syncedInput } from '../../../src/core/analytics/syncedInput';
import {
  SYNCED_NOT_COMPUTED,
  SyncedInteractionSchema,
  SyncedSessionSchema,
} from '../../../src/core/analytics/syncedRows';
import { inputMetricsReport } from '../../../src/core/metrics/inputMetricsReport';
import { officialLimitsDto } from '../../../src/core/metrics/officialLimitsDto';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { AnalyticsService } from '../../../src/infra/worker/analyticsService';
import { MetricsReportSchema } from '../../../src/shared/protocol';

const NOW = Date.parse('2026-11-29T00:00:00Z');

/** Synced rows as PostgREST sends them (two users, two projects, an unpriced model), validated as the source does. */
function syncedRows() {
  const sessions: unknown[] = [];
  const interactions: unknown[] = [];
  const models = ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-unreleased-9'];
  for (let s = 0; s < 9; s++) {
    const user = s % 3 === 2 ? 'u2' : 'u1';
    const sid = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
    const start = Date.parse('2026-11-20T08:00:00Z') + s * 19 * 3_600_000;
    sessions.push({
      user_id: user,
      session_id: sid,
      project_path: `/w/${s % 2 ? 'alpha' : 'beta'}`,
      start_time: new Date(start).toISOString(),
      end_time: null,
      metadata: { entrypoint: 'cli' },
    });
    for (let i = 0; i < 6; i++) {
      const prompt = i % 2 === 0;
      interactions.push({
        user_id: user,
        session_id: sid,
        message_uuid: `${sid}-${i}`,
        message_type: prompt ? 'user' : 'assistant',
        model: prompt ? null : models[(s + i) % 3],
        input_tokens: prompt ? 0 : 1000 * (s + 1),
        output_tokens: prompt ? 0 : 300 + i,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: prompt ? 0 : 5000,
        cost_usd: null,
        occurred_at: new Date(start + i * 20_000).toISOString(),
        performance_metrics: {},
        context_analysis: { isSidechain: false },
        tools_used: null,
        user_prompt: prompt ? `refactor the ${s % 2 ? 'parser' : 'renderer'} module, step ${i}` : null,
      });
    }
  }
  return {
    sessions: z.array(SyncedSessionSchema).parse(sessions),
    interactions: z.array(SyncedInteractionSchema).parse(interactions),
  };
}

describe('metrics: the remote scopes’ DTO and the official limits beside the estimate', () => {
  let service: AnalyticsService | undefined;
  after(() => service?.dispose());

  it('synced rows streamed page by page to the worker give the in-thread DTO, with its source and labels', async () => {
    const { sessions, interactions } = syncedRows();
    const options = { timeZone: 'Asia/Tokyo', weekStartsOn: 1 as const, now: NOW };
    service = new AnalyticsService('/nonexistent/never-opened.db');
    // a stream abandoned midway (the read failed) leaves nothing behind for the next one
    const failed = service.metricsOfSynced({ options, range: 'all', scope: 'team', userScoped: false, topics: true });
    failed.sessions(sessions.slice(0, 2));
    failed.abort();
    const stream = service.metricsOfSynced({ options, range: 'all', scope: 'team', userScoped: false, topics: true });
    for (let i = 0; i < sessions.length; i += 4) stream.sessions(sessions.slice(i, i + 4));
    for (let i = 0; i < interactions.length; i += 7) stream.interactions(interactions.slice(i, i + 7));
    const inWorker = await stream.end();
    const input = syncedInput(sessions, interactions, { userScoped: false, topics: true });
    const inThread = inputMetricsReport(input, analyticsOf(input, PriceTable.builtin(), options), {
      range: 'all',
      nowMs: NOW,
      scope: 'team',
    });
    const report = MetricsReportSchema.parse(inWorker.report);
    assert.deepEqual(report, inThread);
    assert.equal(inWorker.read, undefined, 'no store was read');
    assert.deepEqual(report.source, { scope: 'team', notComputed: SYNCED_NOT_COMPUTED });
    assert.equal(report.totals.sessions, 9);
    assert.equal(report.totals.apiMessages, 27);
    assert.deepEqual(report.totals.unpricedModels, ['claude-unreleased-9']);
    assert.ok(report.efficiency.notComputed.includes(SYNCED_NOT_COMPUTED[0]!));
    assert.ok(!report.efficiency.notComputed.some((x) => /rate_limits/.test(x)), 'no longer listed as not computed');
    assert.equal(report.officialLimits, null, 'the host adds them, not the worker');
    assert.ok(report.topics && report.topics.items.length > 0, 'topics from the masked prompts');
    // a team's sessions are keyed user/session, labelled from the rows themselves (no local store knows them)
    const named = Object.entries(report.sessionLabels);
    assert.ok(named.length > 0);
    for (const [id, l] of named) {
      assert.match(id, /^u[12]\//);
      assert.match(l.projectPath ?? '', /^\/w\/(alpha|beta)$/);
    }
    // a request for synced rows does not become the one a scan recomputes (that would open the store path)
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
