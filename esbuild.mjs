// Builds the three bundles: extension (node/cjs, vscode external), CLI (node/cjs) and webview (browser, Svelte 5).
// Flags: --watch, --production, --webview-outdir DIR (only the webview, into DIR: the dashboard benchmark builds a
// production webview there without touching dist/). Output follows the esbuild problem-matcher format used by .vscode/tasks.json.

import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import sveltePlugin from 'esbuild-svelte';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const webviewOutdirAt = process.argv.indexOf('--webview-outdir');
const webviewOutdir = webviewOutdirAt >= 0 ? process.argv[webviewOutdirAt + 1] : undefined;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Prints `[watch] build started/finished` and errors in the `$esbuild-watch` matcher's format. */
const problemMatcherPlugin = (name) => ({
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log(`[watch] build started (${name})`);
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log(`[watch] build finished (${name})`);
    });
  },
});

/**
 * re2js (custom privacy rules, linear-time regex) lives in its own dist/re2js.js: the extension, CLI and worker
 * bundles require it from there, by a path relative to themselves, instead of carrying ~150 KB each.
 */
const sharedRe2js = (fromBundleDir) => ({
  name: 'shared-re2js',
  setup(build) {
    build.onResolve({ filter: /^re2js$/ }, () => ({ path: `${fromBundleDir}/re2js.js`, external: true }));
  },
});

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'silent',
  legalComments: 'none',
  define: { __CCT_VERSION__: JSON.stringify(pkg.version) },
};

/** Every bundle that runs in Node (extension host, worker, CLI). */
const nodeBundle = {
  ...common,
  platform: 'node',
  // ESM entry points first so esbuild can tree-shake (zod's CJS build would be kept whole).
  mainFields: ['module', 'main'],
  format: 'cjs',
  target: 'node22',
};

/** @type {[string, esbuild.BuildOptions][]} */
const builds = [
  [
    'extension',
    {
      ...nodeBundle,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [sharedRe2js('.')],
    },
  ],
  [
    'cli',
    {
      ...nodeBundle,
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli-main.js',
      external: ['./commands/sync.js', './commands/team.js'],
      plugins: [sharedRe2js('.')],
    },
  ],
  [
    // `cct sync` only (supabase-js): loaded by the CLI on demand.
    'cli-sync',
    {
      ...nodeBundle,
      entryPoints: ['src/cli/commands/sync.ts'],
      outfile: 'dist/commands/sync.js',
    },
  ],
  [
    // `cct team` only (supabase-js): loaded by the CLI on demand.
    'cli-team',
    {
      ...nodeBundle,
      entryPoints: ['src/cli/commands/team.ts'],
      outfile: 'dist/commands/team.js',
    },
  ],
  [
    // Supabase sync (supabase-js, the store's sync connection): loaded by the extension after activation.
    'sync',
    {
      ...nodeBundle,
      entryPoints: ['src/vscode/syncEntry.ts'],
      outfile: 'dist/sync.js',
      external: ['vscode'],
    },
  ],
  [
    // "Re-mask Archive" (the Privacy Guard's rules and the store): loaded by the extension on first use.
    'remask',
    {
      ...nodeBundle,
      entryPoints: ['src/vscode/remaskRun.ts'],
      outfile: 'dist/remask.js',
      external: ['vscode'],
      plugins: [sharedRe2js('.')],
    },
  ],
  [
    // The dashboard's data side (the store reads behind its RPC methods): loaded by the extension after activation,
    // so activate() does not evaluate the store, its SQL and the price table (~150 KB minified).
    'dashboard-data',
    {
      ...nodeBundle,
      entryPoints: ['src/vscode/dashboard/dashboardDataEntry.ts'],
      outfile: 'dist/dashboardData.js',
      external: ['vscode'],
      plugins: [sharedRe2js('.')],
    },
  ],
  [
    // "Show Sessions for This File" (the store's reads): loaded by the extension on first use.
    'fileSessions',
    {
      ...nodeBundle,
      entryPoints: ['src/vscode/fileSessionsRead.ts'],
      outfile: 'dist/fileSessions.js',
      external: ['vscode'],
      plugins: [sharedRe2js('.')],
    },
  ],
  [
    // The transcript scan worker (src/infra/worker/runScanInWorker.ts starts it from dist/worker/).
    'worker',
    {
      ...nodeBundle,
      entryPoints: ['src/infra/worker/scanWorker.ts'],
      outfile: 'dist/worker/scanWorker.js',
      plugins: [sharedRe2js('..')],
    },
  ],
  [
    // The analytics worker (src/infra/worker/analyticsService.ts starts it from dist/worker/): rollups in, results out.
    'analytics-worker',
    {
      ...nodeBundle,
      entryPoints: ['src/infra/worker/analyticsWorker.ts'],
      outfile: 'dist/worker/analyticsWorker.js',
      plugins: [sharedRe2js('..')],
    },
  ],
  [
    // re2js alone (see sharedRe2js)
    're2js',
    {
      ...nodeBundle,
      entryPoints: ['src/core/privacy/re2jsBundle.ts'],
      outfile: 'dist/re2js.js',
    },
  ],
  [
    'webview',
    {
      ...common,
      entryPoints: { main: 'webview/src/main.ts' },
      outdir: 'dist/webview',
      platform: 'browser',
      // An ES module split into chunks: chart.js and the Markdown renderer load when a view first needs them, so
      // the Sessions list's first paint parses about half the code.
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      // esbuild-svelte transforms .svelte.ts with esbuild.transform, which rejects 'linked' maps.
      sourcemap: production ? false : 'inline',
      target: ['chrome120'],
      mainFields: ['svelte', 'browser', 'module', 'main'],
      conditions: ['svelte', 'browser', production ? 'production' : 'development'],
      plugins: [
        sveltePlugin({
          compilerOptions: { css: 'external', dev: !production },
        }),
      ],
    },
  ],
];

async function buildWebviewOnly(outdir) {
  const [, options] = builds.find(([name]) => name === 'webview');
  await esbuild.build({ ...options, outdir, plugins: [...options.plugins, problemMatcherPlugin('webview')] });
  console.log(`built webview into ${outdir}${production ? ' (production)' : ''}`);
}

async function main() {
  if (webviewOutdir) return buildWebviewOnly(webviewOutdir);
  const contexts = await Promise.all(
    builds.map(([name, options]) =>
      esbuild.context({ ...options, plugins: [...(options.plugins ?? []), problemMatcherPlugin(name)] }),
    ),
  );
  // A production build starts from an empty dist/ so no stale dev file (source maps) is packaged.
  if (production) rmSync('dist', { recursive: true, force: true });
  // dist/cli.js is a tiny launcher: Node's compile cache (22.1+) then spares every later `cct` run the
  // compile of the ~500 KiB bundle.
  mkdirSync('dist', { recursive: true });
  writeFileSync(
    'dist/cli.js',
    "#!/usr/bin/env node\n'use strict';\ntry { require('node:module').enableCompileCache?.(); } catch {}\nrequire('./cli-main.js').runCli();\n",
    { mode: 0o755 },
  );
  // sql.js (the store's fallback where node:sqlite is missing) loads its WASM from next to the bundle.
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const t0 = performance.now();
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    process.exitCode = 1;
    return;
  }
  console.log(
    `built ${builds.map(([n]) => n).join(', ')} in ${(performance.now() - t0).toFixed(0)} ms${production ? ' (production)' : ''}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
