import type { CliCommand } from './command';
import { rootsCommand } from './commands/roots';
import { scanCommand } from './commands/scan';
import { sessionsCommand } from './commands/sessions';
import { reportCommand } from './commands/report';
import { exportCommand } from './commands/export';
import { maskCommand } from './commands/mask';
import { syncCommand } from './commands/sync';

/** Every `cct` subcommand; add new ones here (one file each under ./commands). */
export const COMMANDS: readonly CliCommand[] = [rootsCommand, scanCommand, sessionsCommand, reportCommand, exportCommand, maskCommand, syncCommand];
