// Harness checks of the db tier beyond pgTAP. Each gets the running cluster and throws on failure.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { generateTypes, TYPES_FILE } from './gen-types.mjs';

export default {
  /** src/infra/supabase/database.types.ts equals a fresh @supabase/postgres-meta generation. */
  async 'generated types up to date'(cluster) {
    const fresh = await generateTypes(cluster.dbUrl);
    const committed = readFileSync(TYPES_FILE, 'utf8');
    if (committed !== fresh) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((l, k) => l !== b[k]);
      throw new Error(
        `database.types.ts is stale (first difference at line ${i + 1}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}); run: node scripts/gen-db-types.mjs`,
      );
    }
  },

  /**
   * PostgREST's own connection: log in over TCP as `authenticator` (password, scram), which has NO privileges of
   * its own (NOINHERIT), then one request = one transaction with the set_config prelude and the upsert.
   */
  async 'PostgREST-shaped request as authenticator over TCP'(cluster) {
    const admin = new pg.Client({ connectionString: cluster.dbUrl });
    await admin.connect();
    const client = new pg.Client({
      connectionString: cluster.dbUrl.replace('postgres:postgres@', 'authenticator:authenticator@'),
    });
    await client.connect();
    try {
      const uid = (
        await admin.query(
          `insert into auth.users (id, aud, role, email) values (gen_random_uuid(), 'authenticated', 'authenticated', 'pgrst@test.invalid') returning id`,
        )
      ).rows[0].id;
      await assert.rejects(
        client.query('select count(*) from public.claude_sessions'),
        /permission denied/,
        'authenticator alone must not read tables (NOINHERIT)',
      );
      const claims = JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated' });
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE');
      await client.query(
        `select set_config('search_path', '"public", "extensions"', true), set_config('role', 'authenticated', true),
                set_config('request.jwt.claims', $1, true), set_config('request.method', 'POST', true), set_config('request.path', '/claude_sessions', true)`,
        [claims],
      );
      const body = JSON.stringify([{ session_id: 'pgrst-1', start_time: '2026-06-01T10:00:00Z', status: 'active' }]);
      const r = await client.query(
        `WITH pgrst_source AS (
           INSERT INTO "public"."claude_sessions"("session_id", "start_time", "status")
           SELECT "pgrst_body"."session_id", "pgrst_body"."start_time", "pgrst_body"."status"
           FROM (SELECT $1::json AS json_data) pgrst_payload,
           LATERAL (SELECT "session_id", "start_time", "status" FROM json_to_recordset(pgrst_payload.json_data) AS _("session_id" text, "start_time" timestamptz, "status" text)) pgrst_body
           ON CONFLICT("user_id", "session_id") DO UPDATE SET "session_id" = EXCLUDED."session_id", "start_time" = EXCLUDED."start_time", "status" = EXCLUDED."status"
           RETURNING 1)
         SELECT pg_catalog.count(_postgrest_t) AS page_total FROM (SELECT * FROM pgrst_source) _postgrest_t`,
        [body],
      );
      assert.equal(Number(r.rows[0].page_total), 1);
      await client.query('COMMIT');
      const owner = (await admin.query(`select user_id from public.claude_sessions where session_id = 'pgrst-1'`))
        .rows[0].user_id;
      assert.equal(owner, uid, 'user_id came from the JWT claims');
      await admin.query('delete from auth.users where id = $1', [uid]);
    } finally {
      await client.end();
      await admin.end();
    }
  },
};
