import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './repo';

/** Bundles the in-extension-host suites (TypeScript) into dist-test/<name>/ as CommonJS for the extension host. */
export async function buildHostSuites(name: string, srcDir: string): Promise<string> {
  const outdir = path.join(REPO_ROOT, 'dist-test', name);
  const entryPoints = readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(srcDir, f));
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'error',
  });
  return outdir;
}
