// Enforces the layer rules of ARCHITECTURE.md; exits non-zero (failing the build) on any violation.
//  - nothing under src/core, src/shared, src/infra or webview/ imports `vscode`
//  - webview/ imports nothing from src/ but src/shared
//  - only src/infra/sqlite imports node:sqlite; only src/infra/supabase imports @supabase/*
//  - src/shared imports no node:* module (it runs in the browser too)
//  - zod is imported as a namespace (bundle size)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const exts = /\.(ts|mts|cts|js|mjs|svelte)$/;

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e === 'dist') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (exts.test(e)) yield p;
  }
}

// import … from 'x' | import 'x' | export … from 'x' | require('x') | import('x')
const importRe = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function importsOf(file) {
  const src = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...src.matchAll(importRe)].map((m) => m[1]);
}

const violations = [];
const rel = (p) => relative(root, p).split(sep).join('/');
const under = (file, dir) => rel(file).startsWith(`${dir}/`);

for (const file of [...walk(join(root, 'src')), ...walk(join(root, 'webview'))]) {
  const r = rel(file);
  for (const spec of importsOf(file)) {
    const target = spec.startsWith('.') ? rel(resolve(dirname(file), spec)) : null;
    const noVscode = ['src/core', 'src/shared', 'src/infra', 'src/cli', 'webview'].some((d) => under(file, d));
    if (spec === 'vscode' && noVscode)
      violations.push(`${r}: imports 'vscode' (only src/vscode, src/app.ts and src/extension.ts may)`);
    if (under(file, 'webview') && target && !target.startsWith('webview/') && !target.startsWith('src/shared/'))
      violations.push(`${r}: webview imports '${spec}' outside src/shared`);
    if (spec === 'node:sqlite' && !under(file, 'src/infra/sqlite'))
      violations.push(`${r}: imports node:sqlite outside src/infra/sqlite`);
    if (/^@supabase\//.test(spec) && !under(file, 'src/infra/supabase'))
      violations.push(`${r}: imports ${spec} outside src/infra/supabase`);
    if (
      under(file, 'src/shared') &&
      (/^node:/.test(spec) || ['fs', 'path', 'os', 'crypto', 'child_process'].includes(spec))
    )
      violations.push(`${r}: src/shared imports '${spec}' (it must run in the webview too)`);
    if (spec === 'zod' && /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*['"]zod['"]/.test(readFileSync(file, 'utf8')))
      violations.push(
        `${r}: use \`import * as z from 'zod'\` — the named \`z\` export keeps every zod locale in the bundle (~350 KB)`,
      );
    if (
      under(file, 'src/core') &&
      target &&
      (target.startsWith('src/vscode/') || target.startsWith('src/infra/') || target.startsWith('src/cli/'))
    )
      violations.push(`${r}: src/core imports '${spec}' from an outer layer`);
  }
}

if (violations.length) {
  console.error(`layer check: ${violations.length} violation(s)`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log('layer check: ok');
