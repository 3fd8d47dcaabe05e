// esbuild entry of dist/re2js.js: the linear-time regex engine, one copy shared by the extension, CLI and worker
// bundles (each loads it on its first custom rule, see linearRegex.ts).
export * from 're2js';
