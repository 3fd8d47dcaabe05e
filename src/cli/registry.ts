import type { CliCommand } from './command';
import { rootsCommand } from './commands/roots';
import { maskCommand } from './commands/mask';

/** Every `cct` subcommand; add new ones here (one file each under ./commands). */
export const COMMANDS: readonly CliCommand[] = [rootsCommand, maskCommand];
