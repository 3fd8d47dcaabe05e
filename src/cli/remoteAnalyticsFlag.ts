import { type AnalyticsInput, analyticsFlags, analyticsInput } from './analyticsOptions';
import type { ParsedArgs } from './args';
import { type CliIo, UsageError } from './command';
import { loadSyncBundle } from './syncBundle';

/** The flags that read the rows from Supabase instead of the store (`cct insights`, `cct report blocks`). */
export const REMOTE_BOOLEANS = ['remote', 'team'];
export const REMOTE_USAGE = '[--remote [--team]]';
export const REMOTE_HELP = `--remote reads the sessions you synced from every machine from Supabase (SUPABASE_URL, SUPABASE_ANON_KEY and
the session of \`cct sync login\`, as for \`cct sync\`); --team: every synced session a team owner or admin may read.`;

/**
 * An analytics command's rows: from the store, or with --remote the synced rows (through the sync bundle, which
 * carries supabase-js). A remote failure is written to stderr and returned as the exit code (3: sign in first).
 */
export async function analyticsInputOrRemote(
  command: string,
  p: ParsedArgs,
  io: CliIo,
  opts: { topics?: boolean } = {},
): Promise<AnalyticsInput | number> {
  const remote = p.booleans.has('remote');
  const team = p.booleans.has('team');
  if (team && !remote) throw new UsageError('--team goes with --remote');
  if (!remote) return analyticsInput(p, io.env, opts);
  if (p.flags.has('db')) throw new UsageError('--db reads a local store and --remote reads Supabase: pick one');
  const flags = analyticsFlags(p);
  const { sinceMs, untilMs, project } = flags;
  const r = await (await loadSyncBundle()).remoteAnalyticsInput(io, {
    filter: { sinceMs, untilMs, project },
    team,
    topics: opts.topics === true,
  });
  if (!r.ok) {
    io.stderr.write(`cct ${command}: ${r.message}\n`);
    return r.code;
  }
  return { ...flags, data: r.input };
}
