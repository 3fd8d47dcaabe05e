// Packages the built extension into a .vsix offline (vsce needs no network with --no-dependencies:
// everything runtime is bundled into dist/). Prints the path and size.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const kib = (p) => `${(statSync(p).size / 1024).toFixed(1)} KiB`;
console.log(
  `vsix: ${out} (${kib(out)}); extension bundle dist/extension.js ${kib(join(root, 'dist', 'extension.js'))}`,
);
