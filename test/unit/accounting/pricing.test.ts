import assert from 'node:assert/strict';
import { tokensFromUsage } from '../../../src/core/accounting/tokens';
import { costUsd } from '../../../src/core/pricing/cost';
import { normalizeModelId } from '../../../src/core/pricing/modelId';
import { parsePriceRows } from '../../../src/core/pricing/priceSchema';
import builtinPrices from '../../../src/core/pricing/prices.json';
import { type PriceRow, PriceTable } from '../../../src/core/pricing/priceTable';

const ts = Date.parse('2026-06-01T00:00:00Z');
const one = { input: 1_000_000, output: 0, cache5m: 0, cache1h: 0, cacheRead: 0 };

describe('pricing: model ids', () => {
  const cases: [string, string, boolean][] = [
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', false],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku', false],
    ['us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5', false],
    ['global.anthropic.claude-sonnet-4-5-v1', 'claude-sonnet-4-5', false],
    ['eu.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6', false],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1', false],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6', false],
    ['claude-opus-4-6-fast', 'claude-opus-4-6', true],
    ['claude-sonnet-4-0', 'claude-sonnet-4', false],
    ['claude-4-opus-20250514', 'claude-opus-4', false],
    ['route/claude-opus-5-5', 'claude-opus-5-5', false],
  ];
  for (const [raw, id, fast] of cases) {
    it(`${raw} → ${id}${fast ? ' (fast)' : ''}`, () => assert.deepEqual(normalizeModelId(raw), { id, fast }));
  }

  it('never maps to another version of the family', () => {
    const table = PriceTable.builtin();
    // opus-4-9 does not exist in the table: it must NOT fall back to opus-4 ($15) or opus-4-5 ($5)
    assert.deepEqual(table.lookup({ model: 'claude-opus-4-9', ts }), { priced: false, reason: 'unknown_model' });
    assert.equal(costUsd(table, { model: 'claude-opus-4-9', ts }, one), undefined);
    assert.equal(costUsd(table, { model: 'claude-opus-4-6', ts }, one), 5);
    assert.equal(costUsd(table, { model: 'claude-opus-4', ts }, one), 15);
  });
});

describe('pricing: rates', () => {
  const table = PriceTable.builtin();

  it('prices the 5 buckets separately (sonnet-4-5: $3 in, $15 out, $3.75 5m write, $6 1h write, $0.30 read)', () => {
    const c = costUsd(
      table,
      { model: 'claude-sonnet-4-5-20250929', ts },
      { input: 1000, output: 2000, cache5m: 3000, cache1h: 4000, cacheRead: 5000 },
    );
    // 1000·3 + 2000·15 + 3000·3.75 + 4000·6 + 5000·0.3 = 3000+30000+11250+24000+1500 = 69750 µ$
    assert.ok(Math.abs(c! - 0.06975) < 1e-12);
  });

  it('reprices the WHOLE request above the long-context threshold (sonnet-4-5 > 200k: $6/$22.50)', () => {
    const t = { input: 1000, output: 1000, cache5m: 0, cache1h: 0, cacheRead: 0 };
    assert.ok(
      Math.abs(costUsd(table, { model: 'claude-sonnet-4-5', ts, promptAbove: 200_000 }, t)! - (6000 + 22500) / 1e6) <
        1e-12,
    );
    assert.ok(
      Math.abs(costUsd(table, { model: 'claude-sonnet-4-5', ts, promptAbove: 0 }, t)! - (3000 + 15000) / 1e6) < 1e-12,
    );
    // haiku-5-5's tier starts at 100k (Claude Code's catalog), so a 100k bucket already counts
    assert.ok(
      Math.abs(costUsd(table, { model: 'claude-haiku-5-5', ts, promptAbove: 100_000 }, t)! - (500 + 2500) / 1e6) <
        1e-12,
    );
    assert.deepEqual(table.thresholds(), [100_000, 200_000]);
  });

  it('fast mode multiplies where a multiplier is known, else is unpriced', () => {
    assert.equal(costUsd(table, { model: 'claude-opus-4-6', ts, speed: 'fast' }, one), 30);
    assert.equal(costUsd(table, { model: 'claude-opus-4-6-fast', ts }, one), 30);
    assert.equal(costUsd(table, { model: 'claude-opus-4-5', ts, speed: 'fast' }, one), undefined);
    // opus-5-5 fast = 2× (what Claude Code 2.1.332 billed for the fixture's fast answer): 30·4 + 12·20 + 560·0.2 = 472 µ$ → 944 µ$
    const fast = costUsd(
      table,
      { model: 'claude-opus-5-5', ts, speed: 'fast' },
      { input: 30, output: 12, cache5m: 0, cache1h: 0, cacheRead: 560 },
    );
    assert.ok(Math.abs(fast! - 0.000944) < 1e-12, String(fast));
  });

  it('effective dates: the latest row not after the message applies; the earliest covers older messages', () => {
    const rows: PriceRow[] = [
      { model: 'm', effectiveFrom: '2026-01-01', input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
      { model: 'm', effectiveFrom: '2026-07-01', input: 2, output: 2, cacheWrite5m: 2, cacheWrite1h: 2, cacheRead: 2 },
    ];
    const t2 = new PriceTable(rows);
    assert.equal(costUsd(t2, { model: 'm', ts: Date.parse('2025-05-01T00:00:00Z') }, one), 1);
    assert.equal(costUsd(t2, { model: 'm', ts: Date.parse('2026-06-30T23:59:59Z') }, one), 1);
    assert.equal(costUsd(t2, { model: 'm', ts: Date.parse('2026-07-01T00:00:00Z') }, one), 2);
  });

  it('the built-in prices.json satisfies the price-row schema exactly (it is not re-validated at run time)', () => {
    assert.ok(builtinPrices.prices.length > 0);
    assert.deepEqual(
      parsePriceRows(builtinPrices.prices),
      builtinPrices.prices,
      'valid, and no field the schema would drop',
    );
  });

  it('invalid overrides are rejected by the schema', () => {
    assert.throws(() =>
      PriceTable.builtin([
        {
          model: 'x',
          effectiveFrom: '2026-01-01',
          input: -1,
          output: 1,
          cacheWrite5m: 1,
          cacheWrite1h: 1,
          cacheRead: 1,
        },
      ]),
    );
    assert.throws(() =>
      PriceTable.builtin([
        { model: 'x', effectiveFrom: 'soon', input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
      ]),
    );
  });

  it('user overrides replace the built-in rows of their model and can price unknown models', () => {
    const t3 = PriceTable.builtin([
      {
        model: 'claude-opus-4-5',
        effectiveFrom: '2020-01-01',
        input: 1,
        output: 1,
        cacheWrite5m: 1,
        cacheWrite1h: 1,
        cacheRead: 1,
      },
      {
        model: 'my-proxy-model',
        effectiveFrom: '2020-01-01',
        input: 7,
        output: 7,
        cacheWrite5m: 7,
        cacheWrite1h: 7,
        cacheRead: 7,
      },
    ]);
    assert.equal(costUsd(t3, { model: 'claude-opus-4-5-20251101', ts }, one), 1);
    assert.equal(costUsd(t3, { model: 'my-proxy-model', ts }, one), 7);
    assert.throws(() => PriceTable.builtin([{ model: 'x', effectiveFrom: 'soon', input: 1 }]));
  });
});

describe('accounting: usage → token buckets', () => {
  it('uses the 5m/1h breakdown when the flat cache_creation figure is 0 (CLI 2.1.152)', () => {
    assert.deepEqual(
      tokensFromUsage({
        input_tokens: 1,
        output_tokens: 2,
        cache_creation_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 4 },
      }),
      {
        input: 1,
        output: 2,
        cacheCreation: 7,
        cache5m: 3,
        cache1h: 4,
        cacheRead: 0,
      },
    );
  });
  it('without a breakdown, cache writes are 5-minute writes', () => {
    assert.deepEqual(
      tokensFromUsage({
        input_tokens: 1,
        output_tokens: 2,
        cache_creation_input_tokens: 50,
        cache_read_input_tokens: 9,
      }),
      {
        input: 1,
        output: 2,
        cacheCreation: 50,
        cache5m: 50,
        cache1h: 0,
        cacheRead: 9,
      },
    );
  });
});
