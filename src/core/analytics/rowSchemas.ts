import * as z from 'zod';

/**
 * The store boundary: rows as SQL returns them (arrays in SELECT order), validated before analytics sees them.
 * A malformed row is an error naming the table and row, not a silent NaN in a sum.
 */
const int = z.number().int().nonnegative();
const str = z.string();
const optStr = z.string().nullable();
const flag = z.union([z.literal(0), z.literal(1)]);

/** api_messages: session_id, ts, model, speed, input, output, cache_5m, cache_1h, cache_creation, cache_read, is_sidechain */
export const usageTuple = z.tuple([str, z.number().int(), optStr, optStr, int, int, int, int, int, int, flag]);
/** interactions (prompts): session_id, ts */
export const promptTuple = z.tuple([str, z.number().int().nullable()]);
/** compactions (main thread): session_id, ts */
export const compactionTuple = z.tuple([str, z.number().int().nullable()]);
/** tool_calls: id, session_id, name, input_json, ts, is_error, is_sidechain */
export const toolCallTuple = z.tuple([str, str, str, optStr, z.number().int().nullable(), flag.nullable(), flag]);
/** sessions: session_id, project_path, entrypoint, first_ts, last_ts, title */
export const sessionTuple = z.tuple([
  str,
  optStr,
  optStr,
  z.number().int().nullable(),
  z.number().int().nullable(),
  optStr,
]);

/** (session_id, masked text): a prompt, a title or a tool target. */
export const textTuple = z.tuple([str, str]);

/** Parses one row; the error says which table and which row. */
export function parseRow<T>(schema: z.ZodType<T>, row: unknown, table: string, index: number): T {
  const r = schema.safeParse(row);
  if (!r.success)
    throw new Error(
      `analytics: unreadable ${table} row ${index}: ${r.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`,
    );
  return r.data;
}
