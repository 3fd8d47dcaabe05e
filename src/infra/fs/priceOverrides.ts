import * as fs from 'node:fs';
import { PriceTable } from '../../core/pricing/priceTable';

/**
 * The price table with the user's overrides: a JSON array of rows shaped like src/core/pricing/prices.json
 * (`model`, `effectiveFrom`, `input`, `output`, `cacheWrite5m`, `cacheWrite1h`, `cacheRead` per MTok, optional
 * `longContext`, `fastMultiplier`). An override replaces every built-in row of its model.
 */
export function loadPrices(file: string | undefined): PriceTable {
  if (!file) return PriceTable.builtin();
  let rows: unknown;
  try {
    rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--prices ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(rows)) throw new Error(`--prices ${file}: expected a JSON array of price rows`);
  try {
    return PriceTable.builtin(rows);
  } catch (e) {
    throw new Error(
      `--prices ${file}: invalid price row (${e instanceof Error ? e.message.slice(0, 300) : String(e)})`,
    );
  }
}
