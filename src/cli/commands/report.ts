import { fmtInt, fmtModels, fmtUsd, renderTable } from '../../core/reports/table';
import { assertTimeZone, fixedOffsetMs, type Period, parseSince, systemTimeZone } from '../../core/reports/timeBuckets';
import { buildUsageReport } from '../../core/reports/usageReport';
import { listSessions } from '../../core/sessions/listSessions';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { loadPrices } from '../../infra/fs/priceOverrides';
import { openExistingStore } from '../../infra/sqlite/store';
import { ANALYTICS_USAGE, ANALYTICS_VALUE_FLAGS, parseWeekStart } from '../analyticsOptions';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { REMOTE_BOOLEANS, REMOTE_USAGE } from '../remoteAnalyticsFlag';
import { terminalColumns } from '../terminalColumns';

const KINDS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'token and cost report per day, week, month, session or 5-hour block (from the store, time-zone correct)',
  usage: `cct report daily|weekly|monthly|session [--db FILE] [--json] [--tz ZONE] [--since DATE] [--prices FILE] [--week-start DAY (weekly)]\n       cct report blocks ${ANALYTICS_USAGE} ${REMOTE_USAGE}`,
  async run(args, io) {
    const p = parseArgs(args, { values: ANALYTICS_VALUE_FLAGS, booleans: ['json', ...REMOTE_BOOLEANS] });
    const kind = p.positionals[0] as (typeof KINDS)[number] | undefined;
    if (!kind || !KINDS.includes(kind)) throw new UsageError(`report kind must be one of ${KINDS.join(', ')}`);
    if (p.positionals.length > 1) throw new UsageError(`unexpected argument '${p.positionals[1]}'`);
    if (kind === 'blocks') return (await import('./reportBlocks')).runReportBlocks(p, io);
    for (const f of REMOTE_BOOLEANS)
      if (p.booleans.has(f)) throw new UsageError(`--${f} works with 'cct report blocks' and 'cct insights' only`);
    for (const f of ['until', 'project', 'now', ...(kind === 'weekly' ? [] : ['week-start'])])
      if (p.flags.has(f))
        throw new UsageError(`--${f} works with 'cct report blocks' and 'cct insights' only (so far)`);
    let tz: string;
    let sinceMs: number | undefined;
    let weekStartsOn: ReturnType<typeof parseWeekStart>;
    try {
      weekStartsOn = parseWeekStart(lastFlag(p, 'week-start'));
      tz = assertTimeZone(lastFlag(p, 'tz') ?? systemTimeZone());
      const since = lastFlag(p, 'since');
      sinceMs = since === undefined ? undefined : parseSince(since, tz);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const prices = pricesFrom(lastFlag(p, 'prices'));
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    try {
      const json = p.booleans.has('json');
      if (kind === 'session') {
        const list = listSessions(store, prices, { sinceMs });
        if (json) {
          io.stdout.write(`${JSON.stringify({ type: 'session', timeZone: tz, sessions: list })}\n`);
          return 0;
        }
        const rows = list.map((s) => [
          s.sessionId.slice(0, 8),
          s.endTime ? s.endTime.slice(0, 10) : '',
          (s.projectPath ?? '').split(/[\\/]/).pop() ?? '',
          fmtModels(s.models),
          fmtInt(s.tokens.input),
          fmtInt(s.tokens.output),
          fmtInt(s.tokens.cacheCreation),
          fmtInt(s.tokens.cacheRead),
          fmtInt(s.tokens.input + s.tokens.output + s.tokens.cacheCreation + s.tokens.cacheRead),
          fmtUsd(s.costUsd, s.unpricedModels.length > 0),
        ]);
        io.stdout.write(renderTable(header('Session', true), rows, undefined, { width: terminalColumns(io.stdout) }));
        return 0;
      }
      const groups = store.usageGroups({
        sinceMs,
        thresholds: prices.thresholds(),
        bySession: false,
        fixedOffsetMs: fixedOffsetMs(tz),
      });
      const report = buildUsageReport(groups, prices, kind as Period, tz, weekStartsOn);
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ type: kind, timeZone: tz, [kind]: report.rows, totals: report.totals })}\n`,
        );
        return 0;
      }
      const line = (label: string, r: typeof report.totals) => [
        label,
        fmtModels(r.models),
        fmtInt(r.tokens.input),
        fmtInt(r.tokens.output),
        fmtInt(r.tokens.cacheCreation),
        fmtInt(r.tokens.cacheRead),
        fmtInt(r.tokens.total),
        fmtUsd(r.costUsd, r.unpricedModels.length > 0),
      ];
      const label = kind === 'daily' ? 'Date' : kind === 'weekly' ? 'Week of' : 'Month';
      io.stdout.write(
        renderTable(
          header(label, false),
          report.rows.map((r) => line(r.period, r)),
          line('Total', report.totals),
          { width: terminalColumns(io.stdout) },
        ),
      );
      io.stdout.write(
        `time zone: ${tz}${report.totals.unpricedModels.length ? `; * unpriced: ${report.totals.unpricedModels.join(', ')}` : ''}\n`,
      );
      return 0;
    } finally {
      store.close();
    }
  },
};

function header(first: string, session: boolean) {
  return [
    { header: first },
    ...(session
      ? [
          { header: 'Last', dropOrder: 3 },
          { header: 'Project', maxWidth: 24, cut: 'start' as const, flexible: true },
        ]
      : []),
    { header: 'Models', maxWidth: 40, flexible: true },
    { header: 'Input', align: 'right' as const },
    { header: 'Output', align: 'right' as const },
    { header: 'Cache write', align: 'right' as const, dropOrder: 1 },
    { header: 'Cache read', align: 'right' as const, dropOrder: 2 },
    { header: 'Total tokens', align: 'right' as const },
    { header: 'Cost (USD)', align: 'right' as const },
  ];
}

/** A bad --prices file is a usage error (exit 2), not a crash. */
function pricesFrom(file: string | undefined) {
  try {
    return loadPrices(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
