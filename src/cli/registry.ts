import type { CliCommand } from './command';
import { rootsCommand } from './commands/roots';
import { scanCommand } from './commands/scan';
import { sessionsCommand } from './commands/sessions';
import { reportCommand } from './commands/report';
import { exportCommand } from './commands/export';
import { maskCommand } from './commands/mask';
import { SYNC_META } from './commands/syncMeta';
import { lazyCommand } from './lazyCommand';

// `./commands/sync.js` is external in the CLI bundle and built on its own (esbuild.mjs): supabase-js is
// compiled only by `cct sync`, not by every `cct` start. From source (tsx) the same path resolves to sync.ts.
const syncCommand = lazyCommand(SYNC_META, async () => {
  const m = (await import('./commands/sync.js')) as { syncCommand?: CliCommand; default?: { syncCommand: CliCommand } };
  return m.syncCommand ?? m.default!.syncCommand;
});

/** Every `cct` subcommand; add new ones here (one file each under ./commands). */
export const COMMANDS: readonly CliCommand[] = [rootsCommand, scanCommand, sessionsCommand, reportCommand, exportCommand, maskCommand, syncCommand];
