import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the worker script is: the bundled dist/worker/scanWorker.js next to the calling bundle (dist/cli.js,
 * dist/extension.js, or dist/worker/ itself), or the TypeScript source through tsx when running from source.
 */
export function workerEntry(name: 'scanWorker' | 'analyticsWorker' = 'scanWorker'): {
  file: string;
  execArgv: string[];
} {
  if (!__filename.endsWith('.ts')) {
    const bundled = [path.join(__dirname, 'worker', `${name}.js`), path.join(__dirname, `${name}.js`)].find((p) =>
      fs.existsSync(p),
    );
    if (bundled) return { file: bundled, execArgv: [] };
  }
  return { file: path.join(__dirname, `${name}.ts`), execArgv: ['--import', 'tsx'] };
}
