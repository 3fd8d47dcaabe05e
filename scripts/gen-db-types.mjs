#!/usr/bin/env node
// Regenerates src/infra/supabase/database.types.ts from supabase/migrations:
// boots the db tier's throwaway Supabase-shaped PostgreSQL 15 cluster, pushes the migrations with the
// Supabase CLI, runs @supabase/postgres-meta's generator against it, writes the file, stops the cluster.
//   node scripts/gen-db-types.mjs            write the file
//   node scripts/gen-db-types.mjs --check    exit 1 if the committed file is stale
//   node scripts/gen-db-types.mjs --db-url postgresql://…?sslmode=disable   use an existing database instead
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { MissingComponent, root, startSupabaseCluster } from '../test/db/cluster.mjs';
import { generateTypes, TYPES_FILE } from '../test/db/gen-types.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const urlAt = args.indexOf('--db-url');
let cluster = null;
try {
  let dbUrl = urlAt >= 0 ? args[urlAt + 1] : null;
  if (!dbUrl) {
    cluster = await startSupabaseCluster({ log: (m) => process.stderr.write(`[gen-db-types] ${m}\n`), seed: false });
    dbUrl = cluster.dbUrl;
  }
  const fresh = await generateTypes(dbUrl);
  const rel = relative(root, TYPES_FILE);
  if (check) {
    let current = '';
    try {
      current = readFileSync(TYPES_FILE, 'utf8');
    } catch {
      /* missing */
    }
    if (current !== fresh) {
      process.stderr.write(`${rel} is stale: run node scripts/gen-db-types.mjs\n`);
      process.exitCode = 1;
    } else process.stderr.write(`${rel} is up to date\n`);
  } else {
    writeFileSync(TYPES_FILE, fresh);
    process.stderr.write(`wrote ${rel} (${fresh.split('\n').length} lines)\n`);
  }
} catch (e) {
  process.stderr.write(`${e instanceof MissingComponent ? e.message : (e?.stack ?? e)}\n`);
  process.exitCode = 1;
} finally {
  cluster?.stop();
}
