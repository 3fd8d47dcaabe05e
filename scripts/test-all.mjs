// `npm test`: every tier in order against real components, each timed; all tiers run even after a failure
// so one report shows everything. Ends with the plain closing line "N passed, N failed".
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const only = process.argv.slice(2);

/** [name, npm script, kind]; kind 'step' = must succeed, counted as 1 check; 'tier' = counted by its tests. */
const allTiers = [
  ['build', 'build', 'step'],
  ['layers', 'lint:layers', 'step'],
  ['lint', 'lint', 'step'],
  ['typecheck', 'typecheck', 'step'],
  ['unit', 'test:unit', 'tier'],
  ['db', 'test:db', 'tier'],
  ['webview', 'test:webview', 'tier'],
  ['integration', 'test:integration', 'tier'],
  ['package', 'package', 'step'],
  ['e2e', 'test:e2e', 'tier'],
];
const unknown = only.filter((name) => !allTiers.some(([n]) => n === name));
if (unknown.length) {
  console.error(`test-all: unknown tier(s) ${unknown.join(', ')}; known: ${allTiers.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
const plan = allTiers.filter(([name]) => only.length === 0 || only.includes(name));
// A planned tier whose npm script is gone is a failure, never a silent skip.
const missing = plan.filter(([, script]) => !scripts[script]);
if (missing.length) {
  console.error(
    `test-all: package.json has no script for ${missing.map(([n, s]) => `${n} (npm run ${s})`).join(', ')}`,
  );
  process.exit(2);
}

function run(script) {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn('npm', ['run', '-s', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code, signal) =>
      resolvePromise({ code: code ?? (signal ? 128 : 1), out, ms: performance.now() - t0 }),
    );
  });
}

/** Counts from the tier's own summary: mocha's "N passing/failing/pending" or a "name: N passed, N failed" line. */
function counts(out) {
  const plain = [...out.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].pop();
  if (plain) return { passed: +plain[1], failed: +plain[2], skipped: +(plain[3] ?? 0) };
  const num = (re) => [...out.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
  return {
    passed: num(/^\s*(\d+) passing/gm),
    failed: num(/^\s*(\d+) failing/gm),
    skipped: num(/^\s*(\d+) pending/gm),
  };
}

const rows = [];
for (const [name, script, kind] of plan) {
  console.log(`\n━━━ ${name} (npm run ${script}) ━━━`);
  const r = await run(script);
  let c = kind === 'step' ? { passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, skipped: 0 } : counts(r.out);
  if (kind === 'tier' && r.code !== 0 && c.failed === 0) c = { ...c, failed: 1 }; // crashed before reporting
  if (kind === 'tier' && r.code === 0 && c.passed === 0) c = { ...c, failed: 1 }; // a tier that ran no test is a failure
  rows.push({ name, ok: r.code === 0 && c.failed === 0, ...c, s: r.ms / 1000 });
}

console.log('\n━━━ summary ━━━');
console.log('tier         result   passed  failed  skipped   time');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(12)} ${(r.ok ? 'ok' : 'FAIL').padEnd(7)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.skipped).padStart(8)} ${r.s.toFixed(1).padStart(6)} s`,
  );
}
const total = rows.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
