import type { CliCommand } from './command';
import { SYNC_META } from './commands/syncMeta';
import { TEAM_META } from './commands/teamMeta';
import { lazyCommand } from './lazyCommand';

/**
 * Every `cct` subcommand by name; add new ones here (one file each under ./commands). Each is loaded when it
 * runs (the bundle evaluates a command's modules lazily): `cct report` does not evaluate the scan pipeline,
 * the Privacy Guard or the transcript schemas, and `cct --version` evaluates none of them.
 */
export const COMMANDS: readonly { name: string; load: () => Promise<CliCommand> }[] = [
  { name: 'roots', load: async () => (await import('./commands/roots')).rootsCommand },
  { name: 'scan', load: async () => (await import('./commands/scan')).scanCommand },
  { name: 'sessions', load: async () => (await import('./commands/sessions')).sessionsCommand },
  { name: 'search', load: async () => (await import('./commands/search')).searchCommand },
  { name: 'report', load: async () => (await import('./commands/report')).reportCommand },
  { name: 'insights', load: async () => (await import('./commands/insights')).insightsCommand },
  { name: 'files', load: async () => (await import('./commands/files')).filesCommand },
  { name: 'export', load: async () => (await import('./commands/export')).exportCommand },
  { name: 'mask', load: async () => (await import('./commands/mask')).maskCommand },
  { name: 'remask', load: async () => (await import('./commands/remask')).remaskCommand },
  { name: 'privacy-report', load: async () => (await import('./commands/privacyReport')).privacyReportCommand },
  { name: 'doctor', load: async () => (await import('./commands/doctor')).doctorCommand },
  { name: 'forget', load: async () => (await import('./commands/forget')).forgetCommand },
  { name: 'drift-sample', load: async () => (await import('./commands/driftSample')).driftSampleCommand },
  // `./commands/sync.js` is external in the CLI bundle and built on its own (esbuild.mjs): supabase-js is
  // compiled only by `cct sync`, not by every `cct` start. From source (tsx) the same path resolves to sync.ts.
  {
    name: 'sync',
    load: async () =>
      lazyCommand(SYNC_META, async () => {
        const m = (await import('./commands/sync.js')) as {
          syncCommand?: CliCommand;
          default?: { syncCommand: CliCommand };
        };
        return m.syncCommand ?? m.default!.syncCommand;
      }),
  },
  // `./commands/team.js`: the same arrangement as sync (supabase-js only when `cct team` runs).
  {
    name: 'team',
    load: async () =>
      lazyCommand(TEAM_META, async () => {
        const m = (await import('./commands/team.js')) as {
          teamCommand?: CliCommand;
          default?: { teamCommand: CliCommand };
        };
        return m.teamCommand ?? m.default!.teamCommand;
      }),
  },
];

/** All commands, loaded (for `cct --help`, which lists every summary). */
export async function loadCommands(): Promise<CliCommand[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
