/**
 * Mocha runner loaded by VS Code's extension host as `extensionTestsPath` (the same contract
 * @vscode/test-electron uses): exports run(), resolves on success, rejects on failure.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// Reporter lines are tagged so the harness can tell them apart from the workbench's own log.
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`[cct-test] ${format(...args)}`);

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.CCT_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const results = { passed: 0, failed: 0, pending: 0, failures: [] as { title: string; error: string }[] };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.CCT_TEST_RESULTS;
      if (out) writeFileSync(out, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => results.passed++);
    runner.on('pending', () => results.pending++);
    runner.on('fail', (test, err: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
}
