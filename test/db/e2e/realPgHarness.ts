/**
 * Mocha hooks shared by the db tier's sync suites: a fake GoTrue/PostgREST front (FakeSupabase) whose REST calls run
 * as PostgREST's SQL on the real cluster (PgRestBridge). Needs CCT_DB_ADMIN_URL / CCT_DB_API_URL from
 * test/db/run-db-tests.mjs; fails (never skips) without them. Call inside a describe().
 */
import assert from 'node:assert/strict';
import { FakeSupabase } from '../../unit/sync/fakeSupabase';
import { PgRestBridge } from './pgrestBridge';

export interface RealPg {
  readonly server: FakeSupabase;
  readonly bridge: PgRestBridge;
}

export function useRealPg(): RealPg {
  const ADMIN = process.env.CCT_DB_ADMIN_URL;
  const API = process.env.CCT_DB_API_URL;
  let server: FakeSupabase | undefined;
  let bridge: PgRestBridge | undefined;
  before(() => {
    assert.ok(
      ADMIN && API,
      'run through `npm run test:db` (needs CCT_DB_ADMIN_URL and CCT_DB_API_URL of the test cluster)',
    );
  });
  beforeEach(async () => {
    bridge = new PgRestBridge(API!, ADMIN!);
    server = await new FakeSupabase().start();
    server.restBackend = bridge.handle;
  });
  afterEach(async () => {
    await server?.stop();
    await bridge?.close();
  });
  return {
    get server() {
      return server!;
    },
    get bridge() {
      return bridge!;
    },
  };
}
