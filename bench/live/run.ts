/**
 * `npm run bench:live` — transcript append → status bar (issue 10: within 250 ms, reported as median and p95),
 * measured inside a real VS Code extension host (code-server): the integration tier's live-terminal test, run alone
 * with more samples. Each sample appends one assistant line to the transcript of a session bound to a terminal and
 * waits until the status-bar item's text changes. Needs `npm run build` and the code-server tools
 * (`npm run setup:code-server`).
 *
 *   npm run bench:live [-- --samples 100]
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const i = process.argv.indexOf('--samples');
const samples = i >= 0 ? Number(process.argv[i + 1]) : 100;
const REPO = path.resolve(__dirname, '../..');
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/integration/run.ts')], {
  cwd: REPO,
  encoding: 'utf8',
  env: {
    ...process.env,
    CCT_TEST_GREP: 'binds a terminal to the claude process',
    CCT_LIVE_SAMPLES: String(samples),
  },
  maxBuffer: 64 * 1024 * 1024,
});
const measures = `${r.stdout}`.split('\n').filter((l) => l.includes('[measure]'));
for (const l of measures) console.log(l.replace('[measure] ', ''));
console.log('target: transcript append → status bar ≤ 250 ms (debounced)');
if (r.status !== 0 || !measures.some((l) => l.includes('status bar'))) {
  process.stderr.write(r.stdout + r.stderr);
  process.exit(1);
}
