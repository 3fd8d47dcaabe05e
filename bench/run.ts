/**
 * `npm run bench` — every benchmark suite, one after the other, each in its own process (so one suite's heap and
 * caches do not colour the next one's figures), then a summary of which ran and how long each took.
 *
 *   npm run bench                       all suites
 *   npm run bench -- --only transcripts,analytics
 *   npm run bench -- --skip privacy
 *
 * Each suite prints its own figures, its targets and its peer where it has one (ccusage for transcripts, secretlint
 * for privacy); `npm run bench:<suite>` runs one alone with its own options.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');

/** Suite name → script (relative to bench/) and the arguments the all-suites run gives it. */
const SUITES: Record<string, { script: string; args: string[] }> = {
  transcripts: { script: 'transcripts/run.ts', args: [] },
  analytics: { script: 'analytics/run.ts', args: [] },
  topics: { script: 'analytics/topics.ts', args: [] },
  dashboard: { script: 'dashboard/queries.ts', args: [] },
  webview: { script: 'dashboard/webview.ts', args: [] },
  metrics: { script: 'metrics/run.ts', args: [] },
  statusline: { script: 'statusline/bridgeOverhead.ts', args: [] },
  live: { script: 'live/run.ts', args: [] },
  budgets: { script: 'budgets/run.ts', args: [] },
  hooks: { script: 'hooks/run.ts', args: [] },
  privacy: { script: 'privacy/run.ts', args: ['--quick'] },
};

const argList = (name: string): string[] | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? '').split(',').filter(Boolean) : undefined;
};
const only = argList('--only');
const skip = argList('--skip') ?? [];
for (const name of [...(only ?? []), ...skip])
  if (!(name in SUITES)) throw new Error(`unknown suite "${name}" (known: ${Object.keys(SUITES).join(', ')})`);

const results: { name: string; code: number | null; seconds: number }[] = [];
for (const [name, suite] of Object.entries(SUITES)) {
  if ((only && !only.includes(name)) || skip.includes(name)) continue;
  console.log(`\n━━ bench ${name} ━━`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench', suite.script), ...suite.args], {
    cwd: REPO,
    stdio: 'inherit',
  });
  results.push({ name, code: r.status, seconds: (performance.now() - t0) / 1000 });
}

console.log('\n━━ bench summary ━━');
for (const r of results)
  console.log(`${r.name.padEnd(12)} ${r.code === 0 ? 'ok    ' : `exit ${r.code}`} ${r.seconds.toFixed(1)} s`);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
