import { fmtInt, renderTable } from '../../core/reports/table';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { localFileKey } from '../../infra/fs/realPath';
import { storedPathKeys } from '../../infra/fs/storedPathKeys';
import { maskKeyDirOfStore, maskKeyFor } from '../../infra/keys/maskKeyFile';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { terminalColumns } from '../terminalColumns';

export const filesCommand: CliCommand = {
  name: 'files',
  summary: 'list the sessions whose tools touched a file (Edit, Write, MultiEdit, NotebookEdit, plain Bash)',
  usage:
    'cct files PATH [--db FILE] [--json]\n\n' +
    '  PATH is resolved against the current directory, symlinks followed where it exists. Paths are stored masked:\n' +
    "  PATH is also looked up as each privacy level masks it with this store's key (custom rules are not applied).",
  async run(args, io) {
    const p = parseArgs(args, { values: ['db'], booleans: ['json'] });
    const file = p.positionals[0];
    if (!file || p.positionals.length > 1) throw new UsageError('give exactly one PATH');
    const key = localFileKey(file, process.cwd());
    if (!key) throw new UsageError(`cannot read '${file}' as a path`);
    const dbPath = lastFlag(p, 'db') ?? defaultDbPath(io.env);
    const store = await openExistingStore(dbPath);
    try {
      // Stored paths are masked text: also look for the path as each privacy level masks it.
      const keys = storedPathKeys(key, maskKeyFor(maskKeyDirOfStore(dbPath, io.env), io.env));
      const seen = new Set<string>();
      const touches = [...keys]
        .flatMap((k) => store.codeContext.fileTouches(k))
        .filter((t) => !seen.has(`${t.toolCallId}\u0000${t.path}`) && seen.add(`${t.toolCallId}\u0000${t.path}`))
        .sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0));
      if (p.booleans.has('json')) {
        io.stdout.write(
          `${JSON.stringify({
            path: key.path,
            touches: touches.map((t) => ({ ...t, time: t.ts === null ? null : new Date(t.ts).toISOString() })),
          })}\n`,
        );
        return 0;
      }
      if (touches.length === 0) {
        io.stdout.write(`no stored session touched ${key.path}\n`);
        return 0;
      }
      const rows = touches.map((t) => [
        t.ts === null ? '' : new Date(t.ts).toISOString().slice(0, 19).replace('T', ' '),
        t.sessionId.slice(0, 8),
        t.tool,
        t.turnId ?? '',
        oneLine(t.prompt ?? t.title ?? ''),
      ]);
      io.stdout.write(
        renderTable(
          [
            { header: 'Time (UTC)' },
            { header: 'Session' },
            { header: 'Tool' },
            { header: 'Turn', maxWidth: 14, dropOrder: 1 },
            { header: 'Prompt', maxWidth: 60, flexible: true },
          ],
          rows,
          undefined,
          { width: terminalColumns(io.stdout) },
        ),
      );
      io.stdout.write(`${fmtInt(touches.length)} touches of ${key.path}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
