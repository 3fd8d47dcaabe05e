import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Test tiers that need the built bundles fail with the command to run instead of testing stale or missing code. */
export function requireBuilt(...relPaths: string[]): void {
  for (const p of relPaths) {
    if (!existsSync(path.join(REPO_ROOT, p))) throw new Error(`${p} is missing: run \`npm run build\` first`);
  }
}
