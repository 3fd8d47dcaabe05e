import type { CliCommand } from './command';

/** A command whose implementation is loaded on first run (for commands with heavy dependencies). */
export function lazyCommand(
  meta: { name: string; summary: string; usage: string },
  load: () => Promise<CliCommand>,
): CliCommand {
  let loaded: Promise<CliCommand> | undefined;
  return {
    ...meta,
    async run(args, io) {
      loaded ??= load();
      return (await loaded).run(args, io);
    },
  };
}
