import * as path from 'node:path';
import { compileCustomRules, createPrivacyGuard } from '../../core/privacy';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { buildDriftSample, writeDriftSample } from '../../infra/fs/driftSample';
import { maskKeyDirOfStore, maskKeyFor } from '../../infra/keys/maskKeyFile';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadRules } from '../rulesFile';

declare const __CCT_VERSION__: string;
const VERSION = typeof __CCT_VERSION__ === 'string' ? __CCT_VERSION__ : 'dev';

export const driftSampleCommand: CliCommand = {
  name: 'drift-sample',
  summary: 'write the transcript lines ingest could not read (format drift), masked at the strict level, to a file',
  usage:
    'cct drift-sample [--out FILE] [--db FILE] [--rules FILE] [--json]\n\n' +
    '  Re-reads a few of the lines each Claude Code version wrote that ingest could not read (unknown record types,\n' +
    '  missing fields), masks every key and value at the strict privacy level (plus --rules), and writes them with\n' +
    '  the counts to FILE (default ./cct-drift-sample-<date>.json, mode 0600) to attach to a bug report.',
  async run(args, io) {
    const p = parseArgs(args, { values: ['out', 'db', 'rules'], booleans: ['json'] });
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const rulesFile = lastFlag(p, 'rules');
    const customRules = rulesFile ? loadRules(rulesFile) : [];
    try {
      compileCustomRules(customRules);
    } catch (e) {
      throw new UsageError(`--rules ${rulesFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const dbPath = lastFlag(p, 'db') ?? defaultDbPath(io.env);
    const out = path.resolve(lastFlag(p, 'out') ?? `cct-drift-sample-${new Date().toISOString().slice(0, 10)}.json`);
    const store = await openExistingStore(dbPath);
    try {
      const counts = store.drift.driftCounts();
      const strict = createPrivacyGuard({
        level: 'strict',
        hmacKey: maskKeyFor(maskKeyDirOfStore(dbPath, io.env), io.env),
        customRules,
      });
      const sample = buildDriftSample(store.drift.driftSamplePositions(), counts, strict, VERSION);
      writeDriftSample(out, sample);
      const summary = { file: out, counts: sample.counts.length, lines: sample.lines.length };
      if (p.booleans.has('json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        io.stdout.write(
          counts.length
            ? `wrote ${sample.lines.length} masked lines (${counts.length} reason/version pairs) to ${out}\n`
            : `no format drift recorded; wrote an empty sample to ${out}\n`,
        );
      return 0;
    } finally {
      store.close();
    }
  },
};
