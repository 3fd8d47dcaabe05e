import { existsSync } from 'node:fs';
import { CustomRuleError, createPrivacyGuard, LEVELS, type Level } from '../../core/privacy';
import { rulesHash } from '../../core/privacy/rulesHash';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { maskKeyDirOfStore, maskKeyFor } from '../../infra/keys/maskKeyFile';
import type { RemaskProgress } from '../../infra/sqlite/remask';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadRules } from '../rulesFile';

const mb = (n: number) => (n / 1_048_576).toFixed(1);

export const remaskCommand: CliCommand = {
  name: 'remask',
  summary: 'mask the stored archive again under the current level and rules (resumable), then scrub old bytes',
  usage: [
    'cct remask [--level minimal|standard|strict] [--rules FILE] [--db FILE] [--backend auto|node:sqlite|sql.js] [--json]',
    '',
    '  Applies the level and the custom rules to every stored text (prompts, responses, thinking, tool inputs and',
    '  results, titles, project paths, branches) and to the full-text index. Tags already in the text stay; new',
    '  findings get the tag a scan would give them (the mask.key of the store). Rows whose text changed are queued',
    '  for sync again. Runs in small transactions between which a scan can run; Ctrl-C or a crash stops it, and',
    '  the next run under the same rules continues where it stopped. At the end the freed bytes are scrubbed',
    '  (FTS merge, VACUUM, WAL truncated), so no byte of the old text stays in the store file, its WAL or SHM.',
  ].join('\n'),
  async run(args, io) {
    const p = parseArgs(args, { values: ['level', 'rules', 'db', 'backend'], booleans: ['json'] });
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const level = (lastFlag(p, 'level') ?? 'standard') as Level;
    if (!LEVELS.includes(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}`);
    const backend = lastFlag(p, 'backend') ?? 'auto';
    if (!['auto', 'node:sqlite', 'sql.js'].includes(backend))
      throw new UsageError('--backend must be auto, node:sqlite or sql.js');
    const rulesFile = lastFlag(p, 'rules');
    const customRules = rulesFile ? loadRules(rulesFile) : [];
    const dbPath = lastFlag(p, 'db') ?? defaultDbPath(io.env);
    // before the key: a typo in --db must not leave a new mask.key in some folder
    if (!existsSync(dbPath)) throw new Error(`no store at ${dbPath} (run 'cct scan' first, or pass --db)`);
    let guard: ReturnType<typeof createPrivacyGuard>;
    try {
      guard = createPrivacyGuard({
        level,
        customRules,
        hmacKey: maskKeyFor(maskKeyDirOfStore(dbPath, io.env), io.env),
      });
    } catch (e) {
      if (e instanceof CustomRuleError) throw new UsageError(`--rules ${rulesFile}: ${e.message}`);
      throw e;
    }
    const store = await openExistingStore(dbPath, backend as 'auto');
    const abort = new AbortController();
    // Ctrl-C: the batch in flight commits, the cursor stays, the next run continues
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const json = p.booleans.has('json');
    const tty = !json && (io.stderr as { isTTY?: boolean }).isTTY === true;
    let lastLine = 0;
    const progress = (g: RemaskProgress) => {
      const now = Date.now();
      if (json || now - lastLine < (tty ? 200 : 2000)) return;
      lastLine = now;
      const line = `re-masking: ${g.rows}/${g.rowsTotal} rows, ${mb(g.bytes)}/${mb(g.bytesTotal)} MB, ${g.changed} changed`;
      io.stderr.write(tty ? `\r${line}` : `${line}\n`);
    };
    try {
      const r = await store.remask({
        guard,
        level,
        rulesHash: rulesHash(level, customRules),
        leaseOwner: `cct-remask:${process.pid}:${Date.now()}`,
        signal: abort.signal,
        onProgress: progress,
        onLeaseWait: (holder) => {
          if (!json) io.stderr.write(`cct remask: waiting for ${holder ?? 'another process'} to finish ingesting\n`);
        },
      });
      if (tty) io.stderr.write('\n');
      if (json) io.stdout.write(`${JSON.stringify({ db: dbPath, backend: store.backend, ...r })}\n`);
      else {
        const secs = (r.ms / 1000).toFixed(1);
        io.stdout.write(
          [
            `${r.cancelled ? 'stopped' : 'done'}${r.resumed ? ' (resumed)' : ''}: ${r.rows} rows, ${mb(r.bytes)} MB scanned in ${secs} s`,
            `changed: ${r.changed} rows; queued for sync again: ${r.requeued}`,
            r.scrub
              ? `old bytes scrubbed in ${(r.scrub.ms / 1000).toFixed(1)} s (${mb(r.scrub.bytesBefore)} → ${mb(r.scrub.bytesAfter)} MB)${r.scrub.walTruncated ? '' : '; the WAL could not be truncated (another connection is reading): run again later'}${r.scrub.ftsMerged ? '' : '; the full-text index (FTS5) needs node:sqlite to drop the old terms: run again where node:sqlite is available'}`
              : 'run `cct remask` again with the same level and rules to continue',
            '',
          ].join('\n'),
        );
      }
      return r.cancelled ? 130 : 0;
    } finally {
      process.off('SIGINT', onSigint);
      store.close();
    }
  },
};
