import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers/repo';

/** Runs a copy of scripts/test-all.mjs next to a package.json that has only the given scripts. */
function runTestAll(scripts: Record<string, string>, args: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cct-test-all-'));
  try {
    mkdirSync(path.join(dir, 'scripts'));
    copyFileSync(path.join(REPO_ROOT, 'scripts', 'test-all.mjs'), path.join(dir, 'scripts', 'test-all.mjs'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts }));
    return spawnSync(process.execPath, [path.join(dir, 'scripts', 'test-all.mjs'), ...args], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/test-all.mjs', () => {
  it('fails naming the tier when a planned tier has no npm script (never a silent skip)', () => {
    const r = runTestAll({ build: 'true' }, ['unit']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /no script for unit \(npm run test:unit\)/);
  });

  it('refuses an unknown tier name', () => {
    const r = runTestAll({ build: 'true' }, ['contract']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown tier\(s\) contract/);
  });

  it('runs the tiers it is given and counts a step as one check', () => {
    const r = runTestAll({ build: 'true' }, ['build']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1 passed, 0 failed$/m);
  });
});
