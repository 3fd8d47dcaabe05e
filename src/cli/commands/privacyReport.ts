import { buildPrivacyReport, privacyRangeStartMs } from '../../core/privacy/buildPrivacyReport';
import { LEVELS, type Level } from '../../core/privacy/rule';
import { fmtInt, renderTable } from '../../core/reports/table';
import { assertTimeZone, LocalCalendar, parseSince, systemTimeZone } from '../../core/reports/timeBuckets';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { openExistingStore } from '../../infra/sqlite/store';
import { METRICS_RANGES, type MetricsRange } from '../../shared/protocol/metricsReport';
import type { PrivacyReport } from '../../shared/protocol/privacyReport';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadRules } from '../rulesFile';
import { terminalColumns } from '../terminalColumns';

export const privacyReportCommand: CliCommand = {
  name: 'privacy-report',
  summary: 'what the Privacy Guard masked: findings by category, rule and time, top sessions, last re-mask',
  usage: [
    'cct privacy-report [--db FILE] [--json] [--range 7d|30d|90d|all] [--tz ZONE] [--level L] [--rules FILE] [--now TIME]',
    '',
    '  counts only: the store never keeps a masked value. --range: the last 7, 30 or 90 local days, or all (default);',
    '  --level and --rules: the masking configuration to report as current (the extension reports its settings);',
    '  --now: the end of the range (an ISO time or YYYY-MM-DD), for reproducible output.',
  ].join('\n'),
  async run(args, io) {
    const p = parseArgs(args, { values: ['db', 'range', 'tz', 'level', 'rules', 'now'], booleans: ['json'] });
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const range = (lastFlag(p, 'range') ?? 'all') as MetricsRange;
    if (!METRICS_RANGES.includes(range)) throw new UsageError(`--range must be one of ${METRICS_RANGES.join(', ')}`);
    const level = (lastFlag(p, 'level') ?? 'standard') as Level;
    if (!LEVELS.includes(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}`);
    let timeZone: string;
    let nowMs = Date.now();
    try {
      timeZone = assertTimeZone(lastFlag(p, 'tz') ?? systemTimeZone());
      const now = lastFlag(p, 'now');
      if (now !== undefined) nowMs = parseSince(now, timeZone);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const rulesFile = lastFlag(p, 'rules');
    const customRules = rulesFile ? loadRules(rulesFile) : [];
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    let report: PrivacyReport;
    try {
      const since = privacyRangeStartMs(range, new LocalCalendar(timeZone), nowMs);
      report = buildPrivacyReport(store.privacyReportRows(since), { level, customRules, range, timeZone, nowMs });
    } finally {
      store.close();
    }
    if (p.booleans.has('json')) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return report.customRulesError ? 2 : 0;
    }
    io.stdout.write(renderHuman(report, terminalColumns(io.stdout)));
    if (report.customRulesError) {
      io.stderr.write(`cct privacy-report: --rules ${rulesFile}: ${report.customRulesError}\n`);
      return 2;
    }
    return 0;
  },
};

function renderHuman(r: PrivacyReport, width: number | undefined): string {
  const out: string[] = [];
  const remask =
    r.remask.state === 'done'
      ? `${r.remask.at} (level ${r.remask.level}, rules ${r.remask.rulesHash})`
      : r.remask.state === 'never'
        ? 'never'
        : 'unreadable record';
  const rules = r.customRules.length ? r.customRules.map((c) => `${c.id} (${c.category})`).join(', ') : 'none';
  out.push(
    `level: ${r.level}; custom rules: ${rules}`,
    `archive last re-masked: ${remask}`,
    `range: ${r.range} (${r.timeZone}); ${fmtInt(r.totals.findings)} findings in ${fmtInt(r.totals.sessions)} sessions`,
    '',
  );
  if (r.totals.findings === 0) return `${out.join('\n')}no findings\n`;
  out.push(
    renderTable(
      [{ header: 'Category', flexible: true }, { header: 'Kind' }, { header: 'Findings', align: 'right' }],
      r.byCategory.map((c) => [c.category, c.kind, fmtInt(c.findings)]),
      undefined,
      { width },
    ),
  );
  out.push(
    renderTable(
      [{ header: 'Rule', flexible: true }, { header: 'Category' }, { header: 'Findings', align: 'right' }],
      r.byRule.map((x) => [
        x.ruleId === null ? '(not recorded)' : `${x.ruleId}${x.custom ? ' (custom)' : ''}`,
        x.category,
        fmtInt(x.findings),
      ]),
      undefined,
      { width },
    ),
  );
  const perBucket = new Map<string, number>();
  for (const row of r.overTime.rows) perBucket.set(row.bucket, (perBucket.get(row.bucket) ?? 0) + row.findings);
  out.push(
    renderTable(
      [{ header: r.overTime.unit === 'day' ? 'Date' : 'Week of' }, { header: 'Findings', align: 'right' }],
      [...perBucket.entries()].map(([b, n]) => [b, fmtInt(n)]),
      undefined,
      { width },
    ),
  );
  out.push(
    renderTable(
      [
        { header: 'Session' },
        { header: 'Project', maxWidth: 32, cut: 'start', flexible: true },
        { header: 'Findings', align: 'right' },
      ],
      r.topSessions.map((s) => [s.sessionId, s.projectPath ?? '', fmtInt(s.findings)]),
      undefined,
      { width },
    ),
  );
  return out.join('\n');
}
