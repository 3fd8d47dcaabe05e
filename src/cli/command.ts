/** One `cct` subcommand. Each lives in its own file under src/cli/commands and is listed in registry.ts. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  name: string;
  /** One line for `cct --help`. */
  summary: string;
  /** Full usage text for `cct <name> --help`. */
  usage: string;
  /** Returns the process exit code. Errors: write to io.stderr and return non-zero. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad flags/arguments; main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * By name, not instanceof: `cct sync` and `cct team` are separate bundles (dist/commands/*.js), each with its own
 * copy of UsageError, so their usage errors are not instances of the class main.ts sees.
 */
export function isUsageError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'UsageError';
}
