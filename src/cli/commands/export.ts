import { exportHtml, exportJson, exportMarkdown } from '../../core/reports/exportConversation';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { openExistingStore } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "print one session's masked conversation as Markdown, JSON or HTML",
  usage: 'cct export SESSION_ID [--format md|json|html] [--db FILE]',
  async run(args, io) {
    const p = parseArgs(args, { values: ['db', 'format'], booleans: ['json'] });
    const id = p.positionals[0];
    if (!id || p.positionals.length > 1) throw new UsageError('give exactly one SESSION_ID');
    const format = p.booleans.has('json') ? 'json' : (lastFlag(p, 'format') ?? 'md');
    if (!['md', 'json', 'html'].includes(format)) throw new UsageError('--format must be md, json or html');
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    try {
      // A unique prefix is enough (the table shows 8 characters).
      let session = store.session(id);
      if (!session) {
        const matches = store.sessions().filter((s) => s.sessionId.startsWith(id));
        if (matches.length > 1) {
          io.stderr.write(`cct export: '${id}' matches ${matches.length} sessions; give more characters\n`);
          return 1;
        }
        session = matches[0];
      }
      if (!session) {
        io.stderr.write(`cct export: no session '${id}' in the store\n`);
        return 1;
      }
      const items = store.conversation(session.sessionId);
      const render = format === 'json' ? exportJson : format === 'html' ? exportHtml : exportMarkdown;
      io.stdout.write(render(session, items));
      return 0;
    } finally {
      store.close();
    }
  },
};
