import assert from 'node:assert/strict';
import { priceOverrideRows } from '../../../src/core/pricing/priceOverrides';
import { PriceTable } from '../../../src/core/pricing/priceTable';

describe('claudeTracer.pricing.overrides', () => {
  it('prices a model the built-in table does not know, cache rates derived from the input price', () => {
    const ts = Date.parse('2026-12-01T00:00:00Z');
    assert.equal(PriceTable.builtin().lookup({ model: 'acme-model-1', ts }).priced, false);
    const table = PriceTable.builtin(priceOverrideRows({ 'acme-model-1': { input: 2, output: 10 } }));
    const r = table.lookup({ model: 'acme-model-1', ts });
    assert.ok(r.priced);
    const { input, output, cacheWrite5m, cacheWrite1h, cacheRead } = r.rates;
    assert.deepEqual(
      { input, output, cacheWrite5m, cacheWrite1h, cacheRead },
      { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 },
    );
  });

  it('replaces the built-in price of a known model, for messages of any date', () => {
    const model = 'claude-sonnet-4-5-20250929';
    const old = Date.parse('2024-01-01T00:00:00Z');
    const table = PriceTable.builtin(priceOverrideRows({ [model]: { input: 1, output: 2, cacheRead: 0.05 } }));
    const r = table.lookup({ model, ts: old });
    assert.ok(r.priced);
    assert.equal(r.rates.input, 1);
    assert.equal(r.rates.cacheRead, 0.05);
    assert.notEqual(table.fingerprint(), PriceTable.builtin().fingerprint(), 'stored figures are recomputed');
  });
});
