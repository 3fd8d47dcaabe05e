import { fmtInt, fmtModels, fmtUsd, renderTable } from '../../core/reports/table';
import { assertTimeZone, parseSince, systemTimeZone } from '../../core/reports/timeBuckets';
import { listSessions, type SessionSummaryJson } from '../../core/sessions/listSessions';
import { summaryOfRow } from '../../core/sessions/pagedSessions';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { loadPrices } from '../../infra/fs/priceOverrides';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { freshSessionStats } from '../freshSessionStats';
import { withGitField } from '../sessionGitField';
import { terminalColumns } from '../terminalColumns';

export const sessionsCommand: CliCommand = {
  name: 'sessions',
  summary: "list archived sessions with tokens, API-equivalent cost and Claude Code's own cost",
  usage:
    'cct sessions [--db FILE] [--json] [--since DATE] [--project TEXT] [--tz ZONE] [--prices FILE]\n' +
    '             [--sort time|cost|tokens|duration] [--asc] [--limit N] [--offset N]\n' +
    '  --sort/--limit/--offset page in the store (largest first; --asc flips), with the figures the last scan\n' +
    '  priced with the built-in table (--prices applies to the unpaged list only).',
  async run(args, io) {
    const p = parseArgs(args, {
      values: ['db', 'since', 'project', 'tz', 'prices', 'sort', 'limit', 'offset'],
      booleans: ['json', 'asc'],
    });
    const paging = pagingOf(p);
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    let sinceMs: number | undefined;
    try {
      // The zone only matters for a date-only --since; resolving the system zone loads ICU (~20 ms).
      const tzFlag = lastFlag(p, 'tz');
      if (tzFlag !== undefined) assertTimeZone(tzFlag);
      const since = lastFlag(p, 'since');
      sinceMs = since === undefined ? undefined : parseSince(since, tzFlag ?? systemTimeZone());
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    try {
      let list: SessionSummaryJson[];
      if (paging) {
        freshSessionStats(store, io.stderr);
        const page = store.querySessions({
          filters: { sinceMs, project: lastFlag(p, 'project') },
          ...paging,
          now: Date.now(),
          liveWindowMs: 5 * 60_000,
        });
        const tools = store.toolCountsFor(page.rows.map((r) => r.sessionId));
        list = page.rows.map((r) => summaryOfRow(r, tools.get(r.sessionId) ?? {}));
      } else {
        list = listSessions(store, pricesFrom(lastFlag(p, 'prices')), { sinceMs, project: lastFlag(p, 'project') });
      }
      if (p.booleans.has('json')) {
        io.stdout.write(`${JSON.stringify(withGitField(list, store.codeContext))}\n`);
        return 0;
      }
      const rows = list.map((s) => [
        s.sessionId.slice(0, 8),
        (s.startTime ?? '').slice(0, 16).replace('T', ' '),
        s.projectPath ?? '',
        fmtInt(s.userPrompts),
        fmtInt(s.apiMessages),
        fmtInt(s.tokens.input),
        fmtInt(s.tokens.output),
        fmtInt(s.tokens.cacheCreation),
        fmtInt(s.tokens.cacheRead),
        fmtUsd(s.costUsd, s.unpricedModels.length > 0),
        s.claudeCostUsd === null ? '-' : `$${s.claudeCostUsd.toFixed(2)}`,
        fmtModels(s.models),
      ]);
      io.stdout.write(
        renderTable(
          [
            { header: 'Session' },
            { header: 'Start (UTC)', dropOrder: 5 },
            { header: 'Project', maxWidth: 32, cut: 'start', flexible: true },
            { header: 'Prompts', align: 'right' },
            { header: 'API msgs', align: 'right', dropOrder: 4 },
            { header: 'Input', align: 'right' },
            { header: 'Output', align: 'right' },
            { header: 'Cache write', align: 'right', dropOrder: 1 },
            { header: 'Cache read', align: 'right', dropOrder: 2 },
            { header: 'Cost', align: 'right' },
            { header: 'Claude cost', align: 'right', dropOrder: 3 },
            { header: 'Models', maxWidth: 40, flexible: true },
          ],
          rows,
          undefined,
          { width: terminalColumns(io.stdout) },
        ),
      );
      const unpriced = [...new Set(list.flatMap((s) => s.unpricedModels))].sort();
      if (unpriced.length) io.stdout.write(`* partly unpriced (no known price): ${unpriced.join(', ')}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

const SORTS = ['time', 'cost', 'tokens', 'duration'] as const;

/** --sort/--limit/--offset → a page for Store.querySessions; undefined when none is given (the whole list). */
function pagingOf(p: ReturnType<typeof parseArgs>) {
  const sort = lastFlag(p, 'sort');
  const limit = lastFlag(p, 'limit');
  const offset = lastFlag(p, 'offset');
  if (sort === undefined && limit === undefined && offset === undefined && !p.booleans.has('asc')) return undefined;
  if (sort !== undefined && !(SORTS as readonly string[]).includes(sort))
    throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`);
  return {
    sort: {
      by: (sort ?? 'time') as (typeof SORTS)[number],
      dir: p.booleans.has('asc') ? ('asc' as const) : ('desc' as const),
    },
    limit: wholeNumber('limit', limit, 50, 1, 100_000),
    offset: wholeNumber('offset', offset, 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

function wholeNumber(name: string, v: string | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

/** A bad --prices file is a usage error (exit 2), not a crash. */
function pricesFrom(file: string | undefined) {
  try {
    return loadPrices(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
