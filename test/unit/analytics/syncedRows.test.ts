/**
 * The Supabase boundary of analytics (core/analytics/syncedRows.ts): synced rows in both sync modes map to the
 * analytics rows they can honestly stand for; numerics PostgREST sends as strings parse; a malformed row is an
 * error naming the table and the row. The real-server path is test/db/e2e/analyticsViews.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { buildAnalytics } from '../../../src/core/analytics/analytics';
import {
  analyticsRowsOfSynced,
  parseSynced,
  SYNCED_NOT_COMPUTED,
  SyncedInteractionSchema,
  SyncedSessionSchema,
} from '../../../src/core/analytics/syncedRows';
import { PRICES } from './helpers';

const U1 = 'user-1';
const U2 = 'user-2';
const session = (over: Record<string, unknown> = {}) => ({
  user_id: U1,
  session_id: 's1',
  project_path: '/w/alpha',
  start_time: '2026-11-02T10:00:00+00:00',
  end_time: '2026-11-02T11:00:00+00:00',
  metadata: { entrypoint: 'cli', machine: 'm1' },
  ...over,
});
const interaction = (over: Record<string, unknown> = {}) => ({
  user_id: U1,
  session_id: 's1',
  message_uuid: '00000000-0000-4000-8000-000000000001',
  message_type: 'assistant',
  model: 'm',
  input_tokens: 100,
  output_tokens: 10,
  cache_creation_input_tokens: 300,
  cache_read_input_tokens: 1000,
  cost_usd: 0.000865,
  occurred_at: '2026-11-02T10:00:01.5+00:00',
  performance_metrics: { speed: null, cache_creation_5m_tokens: 200, cache_creation_1h_tokens: 100 },
  context_analysis: { sidechain: false },
  tools_used: [{ name: 'Read', input: { file_path: '/w/alpha/a.ts' } }],
  user_prompt: null,
  ...over,
});

describe('analytics rows of synced Supabase rows', () => {
  it('full mode: usage with its cache split, prompts, tool calls with their input, sidechain, topic texts', () => {
    const sessions = parseSynced(SyncedSessionSchema, [session()], 'claude_sessions');
    const rows = parseSynced(
      SyncedInteractionSchema,
      [
        interaction({
          message_uuid: 'p1',
          message_type: 'user',
          model: null,
          user_prompt: 'fix the parser',
          performance_metrics: null,
          tools_used: null,
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cost_usd: null,
          occurred_at: '2026-11-02T10:00:00Z',
        }),
        interaction({
          message_uuid: 'p2',
          message_type: 'user',
          user_prompt: 'subagent task',
          context_analysis: { sidechain: true },
        }),
        interaction(),
        interaction({ message_uuid: 'a2', context_analysis: { sidechain: true }, tools_used: null }),
      ],
      'claude_interactions',
    );
    const r = analyticsRowsOfSynced(sessions, rows, { topics: true });
    assert.deepEqual(r.sessions, [
      {
        sessionId: 's1',
        projectPath: '/w/alpha',
        entrypoint: 'cli',
        firstTs: Date.parse('2026-11-02T10:00:00Z'),
        lastTs: Date.parse('2026-11-02T11:00:00Z'),
        title: null,
      },
    ]);
    assert.deepEqual(
      r.prompts,
      [{ sessionId: 's1', ts: Date.parse('2026-11-02T10:00:00Z') }],
      'sidechain prompts are not prompts',
    );
    assert.deepEqual(r.usage[0], {
      sessionId: 's1',
      ts: Date.parse('2026-11-02T10:00:01.500Z'),
      model: 'm',
      speed: null,
      input: 100,
      output: 10,
      cache5m: 200,
      cache1h: 100,
      cacheCreation: 300,
      cacheRead: 1000,
      isSidechain: false,
    });
    assert.equal(r.usage[1]!.isSidechain, true);
    assert.deepEqual(r.toolCalls, [
      {
        id: '00000000-0000-4000-8000-000000000001:0',
        sessionId: 's1',
        name: 'Read',
        inputKey: '{"file_path":"/w/alpha/a.ts"}',
        ts: Date.parse('2026-11-02T10:00:01.500Z'),
        isError: null,
        isSidechain: false,
      },
    ]);
    assert.deepEqual(r.topicDocs, [{ sessionId: 's1', texts: ['fix the parser'], toolTargets: [] }]);
    // priced like the store: 100·1 + 10·2 + 200·1.25 + 100·2 + 1000·0.1 = 670 per million, ×2 messages
    const a = buildAnalytics(r, PRICES, { timeZone: 'UTC', now: Date.parse('2026-11-03T00:00:00Z') });
    assert.ok(Math.abs(a.totals.costUsd! - 0.00134) < 1e-12, String(a.totals.costUsd));
    assert.equal(a.efficiency.userPrompts, 1);
    assert.ok(a.efficiency.subagentCostShare! > 0.49 && a.efficiency.subagentCostShare! < 0.51);
    // a turn from the rows' times (prompt 10:00:00 → its last message at 10:00:01.5, the subagent's included)
    assert.deepEqual([a.efficiency.timedTurns, a.efficiency.medianTurnMs, a.efficiency.p90TurnMs], [1, 1500, 1500]);
    // compaction boundaries are not synced: unknown (null), said so, never 0
    assert.equal(r.compactions, undefined);
    assert.equal(a.efficiency.compaction, null);
    assert.ok(SYNCED_NOT_COMPUTED.some((x) => /^sessions that hit compaction/.test(x)));
  });

  it('metadata mode: tool names only (no input, no result), no sidechain flag, no text; a missing split is 5m', () => {
    const rows = parseSynced(
      SyncedInteractionSchema,
      [
        interaction({
          context_analysis: null,
          tools_used: ['Bash', 'Read'],
          performance_metrics: null,
          cost_usd: '0.001065',
          input_tokens: '100',
        }),
      ],
      'claude_interactions',
    );
    const r = analyticsRowsOfSynced(parseSynced(SyncedSessionSchema, [session()], 'claude_sessions'), rows, {
      topics: true,
    });
    assert.equal(rows[0]!.cost_usd, 0.001065, 'a numeric sent as a string parses');
    assert.equal(r.usage[0]!.cache5m, 300, 'no 5m/1h split: priced as 5m writes, as the store prices an unsplit total');
    assert.equal(r.usage[0]!.cache1h, 0);
    assert.equal(r.usage[0]!.isSidechain, false);
    assert.deepEqual(
      r.toolCalls.map((c) => [c.name, c.inputKey, c.isError]),
      [
        ['Bash', null, null],
        ['Read', null, null],
      ],
    );
    assert.deepEqual(r.topicDocs, [{ sessionId: 's1', texts: [], toolTargets: [] }]);
  });

  it('several users (a team admin): the same session id of two users stays two sessions', () => {
    const sessions = parseSynced(SyncedSessionSchema, [session(), session({ user_id: U2 })], 'claude_sessions');
    const rows = parseSynced(
      SyncedInteractionSchema,
      [interaction(), interaction({ user_id: U2, message_uuid: 'b1' })],
      'claude_interactions',
    );
    const r = analyticsRowsOfSynced(sessions, rows, { keyOf: (u, s) => `${u}/${s}` });
    assert.deepEqual(
      r.usage.map((u) => u.sessionId),
      ['user-1/s1', 'user-2/s1'],
    );
    const a = buildAnalytics(r, PRICES, { timeZone: 'UTC', now: Date.parse('2026-11-03T00:00:00Z') });
    assert.equal(a.totals.sessions, 2);
  });

  it('a malformed row is an error naming the table and the row, never a NaN in a sum', () => {
    assert.throws(
      () =>
        parseSynced(SyncedInteractionSchema, [interaction(), interaction({ input_tokens: -1 })], 'claude_interactions'),
      /unreadable claude_interactions row 1: \[input_tokens\]/,
    );
    assert.throws(
      () => parseSynced(SyncedSessionSchema, [session({ start_time: 'yesterday' })], 'claude_sessions'),
      /unreadable claude_sessions row 0: \[start_time\] not a timestamp/,
    );
    assert.throws(() => parseSynced(SyncedSessionSchema, { rows: [] }, 'claude_sessions'), /expected an array/);
  });
});
