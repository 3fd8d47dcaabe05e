import assert from 'node:assert/strict';
import {
  countRetries,
  efficiency,
  firstResponseDelays,
  percentile,
  turnDurations,
} from '../../../src/core/analytics/efficiency';
import { priceUsage } from '../../../src/core/analytics/pricedUsage';
import type { CompactionRow, PromptRow, ToolCallRow } from '../../../src/core/analytics/rows';
import { factsOfRows } from '../../../src/core/analytics/sessionFacts';
import { at, indexed, PRICES, usage } from './helpers';

let n = 0;
const call = (p: Partial<ToolCallRow> & { name: string; ts: number }): ToolCallRow => ({
  id: `t${n++}`,
  sessionId: 's1',
  inputKey: '{}',
  isError: false,
  isSidechain: false,
  ...p,
});

describe('analytics: efficiency (hand-computed)', () => {
  const t0 = at('2026-11-20T10:00:00Z');
  const rows = [
    // s1: 1 M input, 0.5 M output, 2 M cache read, 0.4 M cache write (5m) → $1 + $1 + $0.2 + $0.5 = $2.70
    usage({
      ts: t0 + 1000,
      input: 1_000_000,
      output: 500_000,
      cacheRead: 2_000_000,
      cache5m: 400_000,
      cacheCreation: 400_000,
    }),
    // s1 subagent: 0.3 M input → $0.30
    usage({ ts: t0 + 5000, input: 300_000, isSidechain: true }),
    // s2: 0.1 M input on an unpriced model, 0.2 M output on 'm' ($0.40)
    usage({ ts: t0 + 60_000, sessionId: 's2', model: 'nope', input: 100_000 }),
    usage({ ts: t0 + 65_000, sessionId: 's2', output: 200_000 }),
  ];
  const prompts = [
    { sessionId: 's1', ts: t0 },
    { sessionId: 's2', ts: t0 + 59_000 },
    { sessionId: 's2', ts: null },
  ];
  const calls = [
    call({ name: 'Bash', ts: t0 + 1, inputKey: '{"command":"make"}', isError: true }),
    call({ name: 'Bash', ts: t0 + 2, inputKey: '{"command":"make"}', isError: true }), // retry 1
    call({ name: 'Bash', ts: t0 + 3, inputKey: '{"command":"make"}', isError: false }), // retry 2, succeeds
    call({ name: 'Bash', ts: t0 + 4, inputKey: '{"command":"make"}', isError: false }), // after a success: no retry
    call({ name: 'Bash', ts: t0 + 5, inputKey: '{"command":"ls"}', isError: null }), // no result yet
    call({ name: 'Read', ts: t0 + 6, inputKey: '{"file_path":"a"}', isError: true }),
    call({ name: 'Read', ts: t0 + 7, inputKey: '{"file_path":"b"}', isError: false }), // other input: not a retry
    call({ name: 'Read', ts: t0 + 8, inputKey: '{"file_path":"a"}', isError: true, sessionId: 's2' }), // other session
  ];
  const facts = factsOfRows(rows, prompts, calls);
  const e = efficiency(indexed(rows, { facts }));
  const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

  it('tokens and cost per prompt and per session; unpriced usage is not counted as $0 silently', () => {
    assert.equal(e.sessions, 2);
    assert.equal(e.userPrompts, 3);
    assert.equal(e.totalTokens, 4_500_000);
    close(e.costUsd, 2.7 + 0.3 + 0.4);
    close(e.costPerPrompt, 3.4 / 3);
    close(e.tokensPerSession, 2_250_000);
    close(e.medianCostPerSession, (3.0 + 0.4) / 2);
  });

  it('cache hit ratio and the money caching saved (reads at input price minus read price, less the write premium)', () => {
    // cache read ÷ (input + cache read + cache write) = 2 M ÷ (1.4 M + 2 M + 0.4 M)
    close(e.cacheHitRatio, 2 / 3.8);
    close(e.cacheSavings.readSavedUsd, 2 * (1 - 0.1));
    close(e.cacheSavings.writePremiumUsd, 0.4 * (1.25 - 1));
    close(e.cacheSavings.netSavedUsd, 1.8 - 0.1);
  });

  it('output ÷ input, tool calls per turn, error rate by tool, retries, subagent share, first response', () => {
    close(e.outputPerInput, 700_000 / 1_400_000);
    close(e.outputPerPromptToken, 700_000 / 3_800_000);
    close(e.toolCallsPerTurn, 8 / 4);
    const bash = e.tools.find((t) => t.tool === 'Bash')!;
    assert.deepEqual(
      { calls: bash.calls, withResult: bash.withResult, errors: bash.errors, retries: bash.retries },
      { calls: 5, withResult: 4, errors: 2, retries: 2 },
    );
    close(bash.errorRate, 0.5);
    const read = e.tools.find((t) => t.tool === 'Read')!;
    assert.deepEqual([read.errors, read.retries], [2, 0]);
    assert.equal(e.retries, 2);
    close(e.subagentCostShare, 0.3 / 3.4);
    // s1: prompt at t0, first response t0+1 s; s2: prompt at t0+59 s, response t0+60 s → median 1 s
    assert.equal(e.medianFirstResponseMs, 1000);
    // no compaction rows given (as from a source without them): unknown, not none
    assert.equal(e.compaction, null);
    assert.deepEqual(e.notComputed, []);
  });

  it('retries are per session and reset by a success of the same call', () => {
    const r = countRetries([
      call({ name: 'X', ts: 1, isError: true }),
      call({ name: 'X', ts: 2, isError: false }),
      call({ name: 'X', ts: 3, isError: false }),
      call({ name: 'X', ts: 4, isError: true, sessionId: 'other' }),
      call({ name: 'X', ts: 5, isError: true }),
    ]);
    assert.equal(r.get('X'), 1);
  });

  it('the first response after each prompt, not after the next prompt', () => {
    const d = firstResponseDelays(
      [
        { sessionId: 's', ts: 0 },
        { sessionId: 's', ts: 100 },
      ],
      priceUsage([usage({ ts: 150, sessionId: 's' })], PRICES),
    );
    assert.deepEqual(d, [50]);
  });
});

describe('analytics: per-turn latency and sessions that hit compaction (hand-computed)', () => {
  // a: prompts at 0, 10 s, 20 s, 40 s (never answered) and one without a time; b: one prompt at 100 s.
  const prompts: PromptRow[] = [
    { sessionId: 'a', ts: 0 },
    { sessionId: 'a', ts: 10_000 },
    { sessionId: 'a', ts: 20_000 },
    { sessionId: 'a', ts: 40_000 },
    { sessionId: 'a', ts: null },
    { sessionId: 'b', ts: 100_000 },
  ];
  const rows = [
    // a, turn 1: answered at 1 s and 3 s → 3,000 ms; $1.00 of input in all of a
    usage({ sessionId: 'a', ts: 1_000, input: 250_000 }),
    usage({ sessionId: 'a', ts: 3_000, input: 250_000 }),
    // turn 2: a message at the very instant of the prompt is its turn's; the last at 14 s → 4,000 ms
    usage({ sessionId: 'a', ts: 10_000, input: 250_000 }),
    usage({ sessionId: 'a', ts: 14_000 }),
    // turn 3: a subagent's message is part of the turn; the main thread's last at 29 s → 9,000 ms
    usage({ sessionId: 'a', ts: 20_500, input: 250_000 }),
    usage({ sessionId: 'a', ts: 21_000, isSidechain: true }),
    usage({ sessionId: 'a', ts: 29_000 }),
    // b: a message before its first prompt is in no turn; the prompt's turn → 1,000 ms; $2.00
    usage({ sessionId: 'b', ts: 99_000, input: 1_000_000 }),
    usage({ sessionId: 'b', ts: 101_000, input: 1_000_000 }),
    // c: no prompt (an SDK run): $1.00, compacted once
    usage({ sessionId: 'c', ts: 200_000, input: 1_000_000 }),
  ];
  // a compacted 3 times, c once, d (no usage in the input) once: 5 boundaries in 3 sessions
  const compactions: CompactionRow[] = [
    { sessionId: 'a', ts: 5_000 },
    { sessionId: 'a', ts: 15_000 },
    { sessionId: 'a', ts: null },
    { sessionId: 'c', ts: 199_000 },
    { sessionId: 'd', ts: 300_000 },
  ];
  const priced = priceUsage(rows, PRICES);

  it('a turn runs from its prompt to the last API message before the next prompt', () => {
    assert.deepEqual(
      turnDurations(prompts, priced).sort((x, y) => x - y),
      [1_000, 3_000, 4_000, 9_000],
    );
    const e = efficiency(indexed(rows, { facts: factsOfRows(rows, prompts, [], compactions) }));
    assert.equal(e.timedTurns, 4);
    assert.equal(e.medianTurnMs, 3_500);
    // nearest rank: ceil(0.9 × 4) = the 4th of [1, 3, 4, 9] s
    assert.equal(e.p90TurnMs, 9_000);
    // first responses: a 1,000 / 0 / 500 ms, b 1,000 ms → median 750 ms (kept next to the turn figures)
    assert.equal(e.medianFirstResponseMs, 750);
    assert.deepEqual([percentile([5, 1, 3], 0.5), percentile([], 0.9), percentile([7], 0.9)], [3, null, 7]);
  });

  it('sessions that hit compaction: count, share of sessions, boundaries, their cost and share of cost', () => {
    const e = efficiency(indexed(rows, { facts: factsOfRows(rows, prompts, [], compactions) }));
    assert.deepEqual(e.compaction, {
      sessions: 3, // a, c, d
      shareOfSessions: 3 / 4, // of a, b, c (usage) and d (a compaction)
      compactions: 5,
      costUsd: 2, // a $1 + c $1 (d has no usage)
      shareOfCost: 2 / 4,
    });
    assert.deepEqual(e.notComputed, []);
  });

  it('no compaction rows from the source: null, never 0; an empty list of them: measured, 0', () => {
    assert.equal(efficiency(indexed(rows, { facts: factsOfRows(rows, prompts, []) })).compaction, null);
    // usage-only sessions still say "unknown" (every session with usage has facts)
    assert.equal(efficiency(indexed(rows, { facts: factsOfRows(rows, [], []) })).compaction, null);
    assert.deepEqual(efficiency(indexed(rows, { facts: factsOfRows(rows, prompts, [], []) })).compaction, {
      sessions: 0,
      shareOfSessions: 0,
      compactions: 0,
      costUsd: 0,
      shareOfCost: 0,
    });
  });
});
