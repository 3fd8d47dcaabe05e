import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BLOCK_MS, billingBlocks } from '../../../src/core/analytics/billingBlocks';
import { priceUsage } from '../../../src/core/analytics/pricedUsage';
import { at, PRICES, usage } from './helpers';

const HOUR = 3_600_000;

describe('analytics: 5-hour billing blocks', () => {
  it('hand-computed: floored start, a new block 5 h after the start, burn rate and the active block projection', () => {
    const rows = [
      usage({ ts: at('2026-11-20T10:20:00Z'), input: 1_000_000 }), // $1
      usage({ ts: at('2026-11-20T11:00:00Z'), output: 500_000 }), // $1
      usage({ ts: at('2026-11-20T14:59:59Z'), input: 1_000_000, sessionId: 's2' }), // $1, still in 10:00–15:00
      usage({ ts: at('2026-11-20T15:00:00Z'), input: 3_000_000 }), // $3, 5 h after 10:00: block 2
      usage({ ts: at('2026-11-20T15:30:00Z'), input: 3_000_000 }), // $3
      usage({ ts: at('2026-11-21T02:10:00Z'), input: 1_000_000, model: 'nope' }), // unpriced, block 3
    ];
    const now = at('2026-11-20T16:00:00Z');
    const blocks = billingBlocks(priceUsage(rows, PRICES), now);
    assert.deepEqual(
      blocks.map((b) => [new Date(b.startMs).toISOString(), b.apiMessages, b.costUsd, b.sessions, b.active]),
      [
        ['2026-11-20T10:00:00.000Z', 3, 3, 2, false],
        ['2026-11-20T15:00:00.000Z', 2, 6, 1, true],
        ['2026-11-21T02:00:00.000Z', 1, null, 1, false],
      ],
    );
    const [b1, b2, b3] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]];
    // Block 1 burns $3 over 10:20:00 → 14:59:59 (279m59s); 3.5 M tokens over the same span.
    const span1 = (at('2026-11-20T14:59:59Z') - at('2026-11-20T10:20:00Z')) / 60_000;
    assert.ok(Math.abs(b1.burn!.costPerHour! - (3 / span1) * 60) < 1e-12);
    assert.ok(Math.abs(b1.burn!.tokensPerMinute - 2_500_000 / span1) < 1e-9);
    assert.equal(b1.projection, null);
    // Block 2 (active at 16:00): $6 over 30 min = $12/h; 240 min left → $6 + $48 = $54.
    assert.equal(b2.burn!.costPerHour, 12);
    assert.equal(b2.projection!.remainingMinutes, 240);
    assert.equal(b2.projection!.costUsd, 54);
    assert.equal(b2.projection!.totalTokens, 6_000_000 + 200_000 * 240);
    // A one-message block has no rate; an unpriced block has tokens and no cost.
    assert.equal(b3.burn, null);
    assert.equal(b3.unpricedTokens, 1_000_000);
    assert.deepEqual(b3.models, ['nope']);
  });

  it('a block is active from its start until 5 h after it, not before and not after', () => {
    const rows = priceUsage([usage({ ts: at('2026-11-20T10:00:00Z'), input: 10 })], PRICES);
    assert.equal(billingBlocks(rows, at('2026-11-20T14:59:00Z'))[0]!.active, true);
    assert.deepEqual(billingBlocks(rows, at('2026-11-20T14:59:00Z'))[0]!.projection, {
      costUsd: 0.00001,
      totalTokens: 10,
      remainingMinutes: 1,
    });
    assert.equal(billingBlocks(rows, at('2026-11-20T15:00:00Z'))[0]!.active, false);
    assert.equal(billingBlocks(rows, at('2026-11-20T09:00:00Z'))[0]!.active, false);
  });

  it('property: every row in exactly one block, blocks never overlap, each starts on the hour of its first row', () => {
    const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 4) });
    fc.assert(
      fc.property(
        fc.array(fc.record({ ts: instant, input: fc.nat(1_000_000) }), { maxLength: 80 }),
        instant,
        (rs, now) => {
          const rows = rs.map((r) => usage({ ts: r.ts, input: r.input }));
          const blocks = billingBlocks(priceUsage(rows, PRICES), now);
          assert.equal(
            blocks.reduce((n, b) => n + b.apiMessages, 0),
            rows.length,
          );
          assert.equal(
            blocks.reduce((n, b) => n + b.input, 0),
            rows.reduce((n, r) => n + r.input, 0),
          );
          assert.ok(blocks.filter((b) => b.active).length <= 1, 'at most one active block');
          for (const [i, b] of blocks.entries()) {
            assert.equal(b.startMs, Math.floor(b.firstMs / HOUR) * HOUR);
            assert.equal(b.endMs - b.startMs, BLOCK_MS);
            assert.ok(b.lastMs < b.endMs && b.firstMs <= b.lastMs);
            const inBlock = rows.filter((r) => r.ts >= b.firstMs && r.ts <= b.lastMs).length;
            assert.equal(inBlock, b.apiMessages, 'the block holds exactly the rows of its span');
            const next = blocks[i + 1];
            if (next) {
              assert.ok(next.startMs >= b.endMs, 'blocks do not overlap');
              assert.ok(next.firstMs - b.startMs >= BLOCK_MS || next.firstMs - b.lastMs >= BLOCK_MS);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
