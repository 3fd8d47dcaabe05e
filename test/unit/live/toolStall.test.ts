import assert from 'node:assert/strict';
import { LiveSessionStats } from '../../../src/core/live/liveSessionStats';
import { STALL_RULE, stalledFlag, stallsAt, stallThresholdMs, usualDurations } from '../../../src/core/live/toolStall';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { parseLine } from '../../../src/core/transcript/parseLine';

const MIN = 60_000;

describe('stalled tool calls', () => {
  it('usual duration per tool: median and 90th percentile of its past calls', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ name: 'Bash', durationMs: (i + 1) * 1000 }));
    const u = usualDurations([...rows, { name: 'Read', durationMs: 5 }, { name: 'Bash', durationMs: -1 }]);
    assert.deepEqual(u.get('Bash'), { samples: 10, medianMs: 5000, p90Ms: 9000 });
    assert.deepEqual(u.get('Read'), { samples: 1, medianMs: 5, p90Ms: 5 });
  });

  it('threshold: 3 × p90 for a tool with history, never under the floor; a fixed allowance without history', () => {
    const u = new Map([
      ['Bash', { samples: 50, medianMs: 2000, p90Ms: 4 * MIN }],
      ['Read', { samples: 50, medianMs: 10, p90Ms: 50 }],
      ['Rare', { samples: 3, medianMs: 10, p90Ms: 50 }],
    ]);
    assert.equal(stallThresholdMs('Bash', u), 12 * MIN);
    assert.equal(stallThresholdMs('Read', u), STALL_RULE.floorMs);
    assert.equal(stallThresholdMs('Rare', u), STALL_RULE.noHistoryMs);
    assert.equal(stallThresholdMs('Unknown', u), STALL_RULE.noHistoryMs);
  });

  it('flags a call past its threshold with the quiet minutes; not before', () => {
    const u = new Map([['Bash', { samples: 50, medianMs: 2000, p90Ms: 4 * MIN }]]);
    const run = { name: 'Bash', startedAt: 0 };
    assert.equal(stalledFlag(run, 0, u, 12 * MIN - 1), undefined);
    assert.equal(stalledFlag(undefined, 0, u, 99 * MIN), undefined);
    assert.deepEqual(stalledFlag(run, 2 * MIN, u, 14 * MIN + 30_000), {
      tool: 'Bash',
      quietMinutes: 12,
      runningMs: 14 * MIN + 30_000,
      thresholdMs: 12 * MIN,
    });
    assert.equal(stallsAt(run, u), 12 * MIN);
  });

  it('the live stats know the oldest main-thread tool call that has no result yet', () => {
    const st = new LiveSessionStats(PriceTable.builtin());
    const feed = (o: object) => {
      const r = parseLine(Buffer.from(JSON.stringify(o)));
      assert.equal(r.kind, 'record');
      if (r.kind === 'record') st.apply(r.record);
    };
    const base = { sessionId: 's', uuid: 'u', parentUuid: null, cwd: '/w' };
    const prompt = (t: string, ts: string) =>
      feed({ ...base, type: 'user', timestamp: ts, message: { role: 'user', content: t } });
    const call = (id: string, name: string, ts: string, isSidechain = false) =>
      feed({
        ...base,
        type: 'assistant',
        timestamp: ts,
        isSidechain,
        requestId: `r-${id}`,
        message: {
          id: `m-${id}`,
          model: 'claude-sonnet-4-5',
          content: [{ type: 'tool_use', id, name, input: {} }],
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      });
    const result = (id: string, ts: string) =>
      feed({
        ...base,
        type: 'user',
        timestamp: ts,
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] },
      });
    prompt('go', '2026-12-06T00:00:00Z');
    call('t1', 'Bash', '2026-12-06T00:00:01Z');
    call('t2', 'Read', '2026-12-06T00:00:02Z');
    call('sub', 'Grep', '2026-12-06T00:00:00Z', true);
    assert.deepEqual(st.snapshot().runningTool, { name: 'Bash', startedAt: Date.parse('2026-12-06T00:00:01Z') });
    result('t1', '2026-12-06T00:00:03Z');
    assert.deepEqual(st.snapshot().runningTool, { name: 'Read', startedAt: Date.parse('2026-12-06T00:00:02Z') });
    result('t2', '2026-12-06T00:00:04Z');
    assert.equal(st.snapshot().runningTool, undefined);
    call('t3', 'Bash', '2026-12-06T00:01:00Z');
    prompt('interrupted, next prompt', '2026-12-06T00:02:00Z');
    assert.equal(st.snapshot().runningTool, undefined, 'a new prompt closes what the last turn left open');
  });
});
