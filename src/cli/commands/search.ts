import { renderTable } from '../../core/reports/table';
import { searchRows } from '../../core/search/groupHits';
import { queryTerms } from '../../core/search/snippet';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { freshSessionStats } from '../freshSessionStats';
import { terminalColumns } from '../terminalColumns';

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'full-text search over the masked prompts and responses in the store',
  usage:
    'cct search QUERY [--db FILE] [--project TEXT] [--limit N] [--json]\n' +
    '  Every word must match (as a word prefix); best first. --json prints [{sessionId, projectPath, at, role, snippet}].',
  async run(args, io) {
    const p = parseArgs(args, { values: ['db', 'project', 'limit'], booleans: ['json'] });
    const query = p.positionals.join(' ').trim();
    if (!query) throw new UsageError('a QUERY is required');
    if (queryTerms(query).length === 0) throw new UsageError('the QUERY has no word to search for');
    const limitFlag = lastFlag(p, 'limit');
    if (limitFlag !== undefined && (!/^\d+$/.test(limitFlag) || Number(limitFlag) < 1 || Number(limitFlag) > 10_000))
      throw new UsageError('--limit must be a whole number from 1 to 10000');
    const limit = limitFlag === undefined ? 20 : Number(limitFlag);
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    try {
      freshSessionStats(store, io.stderr);
      // Texts, not hits: one response may match in several blocks and count once; ask for a few more.
      const r = store.searchTexts({
        query,
        filters: { project: lastFlag(p, 'project') },
        limit: limit * 3,
        now: Date.now(),
        liveWindowMs: 5 * 60_000,
      });
      const rows = searchRows(r.matches, query).slice(0, limit);
      if (p.booleans.has('json')) {
        io.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      if (rows.length === 0) {
        io.stdout.write('no match\n');
        return 0;
      }
      io.stdout.write(
        renderTable(
          [
            { header: 'Session' },
            { header: 'At (UTC)', dropOrder: 2 },
            { header: 'Role', dropOrder: 1 },
            { header: 'Project', maxWidth: 28, cut: 'start', flexible: true, dropOrder: 3 },
            { header: 'Snippet', maxWidth: 100, flexible: true },
          ],
          rows.map((h) => [
            h.sessionId.slice(0, 8),
            (h.at ?? '').slice(0, 16).replace('T', ' '),
            h.role,
            h.projectPath ?? '',
            h.snippet,
          ]),
          undefined,
          { width: terminalColumns(io.stdout) },
        ),
      );
      if (r.engine === 'scan')
        io.stderr.write('cct search: answered by a substring scan (no usable FTS index for this query)\n');
      return 0;
    } finally {
      store.close();
    }
  },
};
