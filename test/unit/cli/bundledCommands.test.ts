/**
 * The CLI as shipped: `cct sync` and `cct team` are separate bundles (dist/commands/*.js) that main loads on demand.
 * Built here with the project's esbuild settings into a temp dir and run with node: a usage error inside such a
 * bundle must still be a usage error (exit 2 with the usage), although that bundle has its own UsageError class.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../helpers/repo';

describe('bundled CLI commands (dist/commands/*.js)', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cct-bundle-'));
    const common: esbuild.BuildOptions = {
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      absWorkingDir: REPO_ROOT,
      define: { __CCT_VERSION__: '"0.0.0-test"' },
    };
    await esbuild.build({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: join(dir, 'cli-main.js'),
      external: ['./commands/sync.js', './commands/team.js'],
    });
    writeFileSync(join(dir, 'cli.js'), "require('./cli-main.js').runCli();\n"); // as dist/cli.js
    for (const c of ['sync', 'team'])
      await esbuild.build({
        ...common,
        entryPoints: [`src/cli/commands/${c}.ts`],
        outfile: join(dir, 'commands', `${c}.js`),
      });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const argv of [
    ['team', 'frobnicate'],
    ['team', 'invite', 'not-an-address', '--team', 'x'],
    ['sync', 'frobnicate'],
  ])
    it(`cct ${argv.join(' ')}: exit 2 and the usage`, () => {
      const r = spawnSync(process.execPath, [join(dir, 'cli.js'), ...argv], {
        encoding: 'utf8',
        env: { ...process.env, SUPABASE_URL: '', SUPABASE_ANON_KEY: '' },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`usage: cct ${argv[0]} <`));
    });
});
