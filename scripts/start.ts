/**
 * README command 1: build, package, and open the extension in VS Code on the user's real ~/.claude.
 * With `code` on PATH: installs the .vsix there and opens this folder. Otherwise: starts the pinned
 * code-server on localhost with the .vsix installed, prints the URL and runs until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeServer } from '../test/helpers/codeServer';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function main(): Promise<void> {
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
    const cs = await CodeServer.start({ workspace: process.cwd(), installVsix: [vsix] });
    console.log(
      `\nVS Code (code-server) with Claude Code Tracer: ${cs.url}/?folder=${encodeURIComponent(process.cwd())}`,
    );
    console.log('It reads your real ~/.claude. Press Ctrl-C to stop.');
    const stop = async () => {
      await cs.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    await new Promise(() => {});
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
