import { fmtInt, fmtModels, fmtUsd, renderTable } from '../../core/reports/table';
import { assertTimeZone, parseSince, systemTimeZone } from '../../core/reports/timeBuckets';
import { listSessions } from '../../core/sessions/listSessions';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { loadPrices } from '../../infra/fs/priceOverrides';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { withGitField } from '../sessionGitField';
import { terminalColumns } from '../terminalColumns';

export const sessionsCommand: CliCommand = {
  name: 'sessions',
  summary: "list archived sessions with tokens, API-equivalent cost and Claude Code's own cost",
  usage: 'cct sessions [--db FILE] [--json] [--since DATE] [--project TEXT] [--tz ZONE] [--prices FILE]',
  async run(args, io) {
    const p = parseArgs(args, { values: ['db', 'since', 'project', 'tz', 'prices'], booleans: ['json'] });
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
      const list = listSessions(store, pricesFrom(lastFlag(p, 'prices')), { sinceMs, project: lastFlag(p, 'project') });
      if (p.booleans.has('json')) {
        io.stdout.write(`${JSON.stringify(withGitField(list, store))}\n`);
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

/** A bad --prices file is a usage error (exit 2), not a crash. */
function pricesFrom(file: string | undefined) {
  try {
    return loadPrices(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
