/**
 * README command 1: build, package, and open the extension in VS Code on the user's real Claude Code data.
 * With `code` on PATH: installs the .vsix there and opens this folder. Otherwise: starts the pinned
 * code-server on localhost with the .vsix installed, prints the URL and runs until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeConfigRoots } from '../src/core/transcript/claudeRoots';
import { CodeServer } from '../test/helpers/codeServer';

const root = path.resolve(__dirname, '..');

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Which Claude Code folders the extension reads (the code-server child inherits this environment). */
export function claudeDataNotice(env: Record<string, string | undefined>, homeDir: string): string {
  const tilde = (p: string) =>
    p === homeDir || p.startsWith(`${homeDir}${path.sep}`) ? `~${p.slice(homeDir.length)}` : p;
  const roots = claudeConfigRoots({ env, homeDir }).map(tilde);
  return `It reads Claude Code's data in ${roots.join(', ')}${env.CLAUDE_CONFIG_DIR ? ' (from CLAUDE_CONFIG_DIR)' : ''}.`;
}

/**
 * Runs code-server with `vsix` installed on `workspace` until Ctrl-C / SIGTERM. The signal is handled by
 * CodeServer's hook (test/helpers/codeServer.ts), which kills the server's process group and removes its
 * cct-code-server-* temp folder before exiting.
 */
export async function serveInCodeServer(workspace: string, vsix: string[]): Promise<never> {
  const cs = await CodeServer.start({ workspace, installVsix: vsix });
  console.log(`\nVS Code (code-server) with Claude Code Tracer: ${cs.url}/?folder=${encodeURIComponent(workspace)}`);
  console.log(`${claudeDataNotice(process.env, os.homedir())} Press Ctrl-C to stop.`);
  return new Promise<never>(() => {});
}

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  sh('npm', ['run', '-s', 'package']);
  const forceCodeServer = process.argv.includes('--code-server');
  const hasCode = !forceCodeServer && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hasCode) {
    sh('code', ['--install-extension', vsix, '--force']);
    sh('code', [process.cwd()]);
    console.log('Installed into VS Code. Open the "Claude Code Tracer" view in the activity bar.');
  } else {
    const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup-code-server.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) process.exit(setup.status ?? 1);
    await serveInCodeServer(process.cwd(), [vsix]);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
