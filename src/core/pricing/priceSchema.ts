import * as z from 'zod';

// The zod schema of a price row: used for user overrides (settings, --prices) and by the unit test that
// checks the built-in prices.json. Kept out of priceTable.ts so reading the built-in table evaluates no zod.
const RatesSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative(),
  cacheWrite1h: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
});
export const PriceRowSchema = RatesSchema.extend({
  model: z.string().min(1),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  longContext: RatesSchema.extend({ threshold: z.number().int().positive() }).optional(),
  fastMultiplier: z.number().positive().optional(),
  source: z.string().optional(),
});

/** Validates price rows (throws a ZodError naming the bad field). */
export function parsePriceRows(rows: unknown): z.infer<typeof PriceRowSchema>[] {
  return z.array(PriceRowSchema).parse(rows);
}
