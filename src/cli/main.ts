#!/usr/bin/env node
import { onSqlJsFallback } from '../infra/sqlite/backendNotice';
import { type CliIo, isUsageError } from './command';
import { COMMANDS, loadCommands } from './registry';

declare const __CCT_VERSION__: string;
const VERSION = typeof __CCT_VERSION__ === 'string' ? __CCT_VERSION__ : 'dev';

async function help(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'cct — Claude Code Tracer CLI',
    '',
    'Usage: cct <command> [options]   (every command accepts --help)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '  --version   print the version',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`cct: unknown command '${name}'\n\n${await help()}`);
    return 2;
  }
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${cmd.usage}\n`);
    return 0;
  }
  // Say once when a store opens on sql.js because this Node has no node:sqlite (slower, whole store in memory).
  let told = false;
  const stopListening = onSqlJsFallback((reason) => {
    if (!told) io.stderr.write(`cct: ${reason}\n`);
    told = true;
  });
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr.write(`cct ${name}: ${e.message}\nusage: ${cmd.usage}\n`);
      return 2;
    }
    io.stderr.write(`cct ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    stopListening();
  }
}

/** Process entry: dist/cli.js (a launcher that turns on Node's compile cache) calls this. */
export function runCli(): void {
  // Getters: Node builds each stdio stream on first access (stdin costs a few ms), most commands never read it.
  main(process.argv.slice(2), {
    get stdout() {
      // `cct report | head`: the reader went away; stop quietly like other Unix tools instead of crashing.
      if (process.stdout.listenerCount('error') === 0) {
        process.stdout.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'EPIPE') process.exit(0);
          throw e;
        });
      }
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`cct: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli();
