import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { BackendName } from '../../src/infra/sqlite/driver';
import { Store } from '../../src/infra/sqlite/store';
import { runCct } from './cct';
import { REPO_ROOT } from './repo';

export const FIXTURE_ROOT = path.join(REPO_ROOT, 'test/fixtures/claude/cli');

/** A real store: the real-CLI fixture transcripts through `cct scan` (parser, Privacy Guard, writer, stats refresh). */
export async function fixtureStore(dir: string, backend: BackendName): Promise<Store> {
  const db = path.join(dir, 'store.db');
  const r = await runCct(['scan', '--root', FIXTURE_ROOT, '--db', db, '--backend', backend, '--serial'], {
    HOME: dir,
    CLAUDE_CONFIG_DIR: FIXTURE_ROOT,
  });
  assert.equal(r.code, 0, r.err);
  return Store.open(db, backend);
}
