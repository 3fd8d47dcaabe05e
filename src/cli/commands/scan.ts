import * as os from 'node:os';
import * as path from 'node:path';
import { webHostOfApi } from '../../core/codeContext/githubRemote';
import { Collector } from '../../core/collector/collector';
import { driftWarning, groupDriftByVersion } from '../../core/collector/driftWarning';
import { PriceTable } from '../../core/pricing/priceTable';
import { compileCustomRules, createPrivacyGuard, LEVELS, type Level, type Masker } from '../../core/privacy';
import { claudeConfigRoots } from '../../core/transcript/claudeRoots';
import { dataDir, defaultDbPath, ensurePrivateDataDir } from '../../infra/fs/dataDir';
import { NodeFileTailer } from '../../infra/fs/fileTailer';
import { fsTranscriptSource, rootProblem } from '../../infra/fs/transcriptDiscovery';
import { type CodeContextReport, refreshCodeContext } from '../../infra/git/refreshCodeContext';
import { type PullRequestReport, refreshPullRequests } from '../../infra/github/refreshPullRequests';
import { maskKeyDirOfStore, maskKeyFor } from '../../infra/keys/maskKeyFile';
import { applyRetention } from '../../infra/sqlite/applyRetention';
import { Store } from '../../infra/sqlite/store';
import { WorkerParallelReader } from '../../infra/worker/parseWorkerReader';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadRules } from '../rulesFile';

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'ingest Claude Code transcripts (only new bytes) into the local store, masked',
  usage:
    'cct scan [--root DIR]... [--db FILE] [--privacy minimal|standard|strict] [--backend auto|node:sqlite|sql.js] [--serial]\n' +
    '         [--rules FILE] [--rebuild] [--max-age-days N] [--max-size-mb N] [--no-git] [--github [--github-api URL]] [--json]\n\n' +
    '  --serial          parse and mask on this thread only (default with 2+ CPUs: a second thread does it for\n' +
    '                    scans of 32 MiB or more of new data)\n' +
    '  --rules FILE      extra masking rules (as for cct mask), applied before anything is stored\n' +
    '  --rebuild         re-read every transcript that still exists (archived sessions stay)\n' +
    '  --max-age-days N  after the scan, delete sessions idle for more than N days\n' +
    '  --max-size-mb N   after the scan, delete the least recently active sessions until the store fits\n' +
    '  --no-git          do not ask git about the repositories of changed sessions (cct sessions --json `git`)\n' +
    "  --github          also ask GitHub which pull requests contain those sessions' commits (GITHUB_TOKEN when\n" +
    '                    set; stops at a rate limit and resumes on a later scan; answers revalidated by ETag)\n' +
    '  --github-api URL  GitHub Enterprise API base (default $GITHUB_API_URL or https://api.github.com)',
  async run(args, io) {
    const p = parseArgs(args, {
      values: ['root', 'db', 'privacy', 'backend', 'max-age-days', 'max-size-mb', 'rules', 'github-api'],
      booleans: ['json', 'parallel', 'serial', 'rebuild', 'no-git', 'github'],
    });
    const rulesFile = lastFlag(p, 'rules');
    const customRules = rulesFile ? loadRules(rulesFile) : [];
    try {
      compileCustomRules(customRules); // refuse a bad file before touching the store
    } catch (e) {
      throw new UsageError(`--rules ${rulesFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const positive = (name: string): number | undefined => {
      const v = lastFlag(p, name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
      return n;
    };
    const githubApi = lastFlag(p, 'github-api') ?? io.env.GITHUB_API_URL ?? 'https://api.github.com';
    try {
      webHostOfApi(githubApi);
    } catch {
      throw new UsageError(`--github-api must be a URL, not '${githubApi}'`);
    }
    const retention = { maxAgeDays: positive('max-age-days'), maxSizeMb: positive('max-size-mb') };
    const level = (lastFlag(p, 'privacy') ?? 'standard') as Level;
    if (!LEVELS.includes(level)) throw new UsageError(`--privacy must be one of ${LEVELS.join(', ')}`);
    const backend = lastFlag(p, 'backend') ?? 'auto';
    if (!['auto', 'node:sqlite', 'sql.js'].includes(backend))
      throw new UsageError('--backend must be auto, node:sqlite or sql.js');
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const explicit = p.flags.get('root');
    const roots = explicit?.length
      ? explicit.map((r) => path.resolve(r))
      : claudeConfigRoots({ env: io.env, homeDir: os.homedir() });
    // A root the user names must be there: a typo must not look like "nothing new" (issue 14 §3).
    for (const r of explicit?.length ? roots : []) {
      const problem = rootProblem(r);
      if (problem) throw new UsageError(`--root ${r}: ${problem}`);
    }
    const dbPath = lastFlag(p, 'db') ?? defaultDbPath(io.env);
    // The default data dir is ours: 0700 (an explicit --db folder is the user's, only created 0700 if missing).
    if (path.resolve(dbPath) === path.resolve(defaultDbPath(io.env))) ensurePrivateDataDir(dataDir(io.env));
    const store = await Store.open(dbPath, backend as 'auto');
    const owner = `cct-scan:${process.pid}:${Date.now()}`;
    try {
      if (!store.acquireLease(owner, 60_000)) {
        io.stderr.write(
          `cct scan: another process (${store.leaseHolder()}) is ingesting into ${dbPath}; try again later\n`,
        );
        return 3;
      }
      const beat = setInterval(() => store.heartbeat(owner, 60_000), 15_000);
      beat.unref();
      try {
        const hmacKey = maskKeyFor(maskKeyDirOfStore(dbPath, io.env), io.env);
        // Built on first use: a warm rescan with nothing new never pays for compiling the rules.
        let guard: Masker | undefined;
        const get = () => (guard ??= createPrivacyGuard({ level, hmacKey, customRules }));
        const masker: Masker = { maskText: (t) => get().maskText(t), maskJson: (v) => get().maskJson(v) };
        // Big scans (≥ 32 MiB new, see Collector) parse + mask in a worker while this thread writes: 61-72 MB/s
        // against 49-57 serial on an idle 2-core machine (200 MiB, 00:49 UTC). A loaded machine gains less, so
        // --serial keeps one thread; the extension's own scans stay serial (one core of the user's).
        const parallel = !p.booleans.has('serial') && (p.booleans.has('parallel') || os.availableParallelism() >= 2);
        const reader = parallel ? new WorkerParallelReader({ privacyLevel: level, hmacKey, customRules }) : undefined;
        const collector = new Collector(store, fsTranscriptSource, new NodeFileTailer(), masker, reader);
        if (p.booleans.has('rebuild')) store.forgetCursors();
        const stats = await collector.scan(roots);
        const pruned = applyRetention(store, retention);
        // Reports and session lists then read small rollups instead of grouping the whole ledger.
        const prices = PriceTable.builtin();
        store.refreshRollups(prices.thresholds());
        // The per-session figures the dashboard and `cct sessions --sort` sort on (issue 9).
        store.refreshSessionStats(prices);
        // What analytics (cct insights, the dashboard) computes over instead of every API message (issue 11).
        store.refreshAnalyticsRollups(prices);
        // Off the ingest path: git context of the sessions whose window changed (a git failure never fails the scan).
        let codeContext: CodeContextReport | { error: string } | undefined;
        let pullRequests: PullRequestReport | undefined;
        if (!p.booleans.has('no-git')) {
          try {
            codeContext = await refreshCodeContext(store, masker, ['github.com', webHostOfApi(githubApi)]);
            // Opt-in: the only step of a scan that talks to a server (GITHUB_TOKEN sent, never printed).
            if (p.booleans.has('github'))
              pullRequests = await refreshPullRequests(store, masker, {
                baseUrl: githubApi,
                token: io.env.GITHUB_TOKEN,
              });
          } catch (e) {
            codeContext = { error: e instanceof Error ? e.message : String(e) };
            io.stderr.write(`cct scan: git context: ${codeContext.error}\n`);
          }
        }
        const totals = store.counts();
        const fts = store.ftsStatus();
        const out = {
          ...stats,
          pruned,
          roots,
          db: dbPath,
          backend: store.backend,
          fts: fts.engine,
          ftsWritable: fts.writable,
          totals,
          codeContext,
          pullRequests,
        };
        // What could not be read is named on stderr whatever the format; the rest is stored and the exit stays 0.
        for (const pr of stats.problems) io.stderr.write(`cct scan: ${pr.path}: ${pr.reason}\n`);
        // Format drift: once per Claude Code version (recorded in the store, so the next scan stays quiet).
        const drift = groupDriftByVersion(store.drift.unwarnedDrift('cli'));
        for (const [version, reasons] of drift)
          io.stderr.write(`cct scan: format drift: ${driftWarning(version, reasons)}; see cct drift-sample --help\n`);
        if (drift.size) store.drift.markDriftWarned([...drift.keys()], 'cli');
        if (p.booleans.has('json')) io.stdout.write(`${JSON.stringify(out)}\n`);
        else {
          const skipped =
            Object.entries(stats.skipped)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || 'none';
          io.stdout.write(
            [
              `scanned ${stats.files} files (${stats.filesRead} with new data, ${(stats.bytes / 1048576).toFixed(1)} MiB, ${stats.lines} lines) in ${stats.ms} ms`,
              `new: ${stats.interactions} interactions, ${stats.apiMessages} API messages across ${stats.sessions} sessions`,
              `store: ${totals.sessions} sessions, ${totals.interactions} interactions, ${totals.apiMessages} API messages (${store.backend}, ${fts.engine})`,
              `skipped lines: ${skipped}`,
              ...(stats.problems.length ? [`not readable: ${stats.problems.length} paths (listed on stderr)`] : []),
              ...(pruned ? [`retention: deleted ${pruned} sessions`] : []),
              ...(stats.forgotten ? [`forgotten: ${stats.forgotten} files not read (cct forget --list)`] : []),
              '',
            ].join('\n'),
          );
        }
        return 0;
      } finally {
        clearInterval(beat);
        store.releaseLease(owner);
      }
    } finally {
      store.close();
    }
  },
};
