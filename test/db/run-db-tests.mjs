#!/usr/bin/env node
// db tier: a throwaway PostgreSQL 15 cluster shaped like a Supabase project (test/db/cluster.mjs: initdb as the
// postgres OS user, bootstrap.sql, migrations pushed by the real `supabase db push --db-url …`), then:
//   1. pgTAP via pg_prove over supabase/tests/database (helpers file first),
//   2. the partitioning plan (supabase/plans) pushed with the CLI onto a copy holding fixture rows, then
//      pg_prove over supabase/tests/partitioning,
//   3. upgrades: for each supabase/tests/upgrade/<version>_<name>.fixture.sql, a database migrated up to (not
//      including) <version>, the fixture's rows, then every migration, then pg_prove of <version>_<name>.test.sql,
//   4. harness checks (test/db/checks.mjs): generated types up to date, a PostgREST-style request as authenticator.
// The cluster is stopped afterwards even when something fails (and on SIGINT/SIGTERM).
// Prints `db: N passed, M failed` last (pgTAP assertions and the e2e mocha tests, plus harness checks when they fail); exit 1 on any failure.
// Env: DB_KEEP=1 leaves the cluster running; DB_TESTS=<substring> runs only matching pgTAP files.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import checks from './checks.mjs';
import { BOOTSTRAPPED_TEMPLATE, MissingComponent, root, run, startSupabaseCluster } from './cluster.mjs';

const started = Date.now();
const log = (m) => process.stdout.write(`[db] ${m}\n`);
let passed = 0;
let failed = 0;
let cluster = null;

const sqlFiles = (dir, keep = () => true) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && keep(f))
    .sort()
    .map((f) => join(dir, f));

/** pg_prove as `supabase test db` runs it (user postgres); counts TAP results into passed/failed. */
async function prove(files, db) {
  const t0 = Date.now();
  const r = await run(
    'pg_prove',
    [
      '--verbose',
      '--host',
      cluster.host,
      '--port',
      String(cluster.port),
      '--username',
      'postgres',
      '--dbname',
      db,
      ...files,
    ],
    {
      env: cluster.env,
    },
  );
  if (r.error) throw r.error;
  const out = `${r.stdout}${r.stderr}`;
  let p = 0;
  let f = 0;
  for (const line of out.split('\n')) {
    if (/^\s*ok \d+/.test(line)) p++;
    else if (/^\s*not ok \d+/.test(line) && !/#\s*TODO/i.test(line)) f++;
  }
  const ok = r.status === 0 && /Result: PASS/.test(out);
  process.stdout.write(
    ok
      ? `${r.stdout
          .split('\n')
          .filter((l) => /^\/|^All tests|^Files=|^Result:/.test(l))
          .map((l) => l.replace(`${root}/`, ''))
          .join('\n')}\n`
      : out,
  );
  if (!ok && f === 0) f = 1; // a file died or its plan did not match: count it
  passed += p;
  failed += f;
  log(`pg_prove on ${db}: ${files.length} file(s), ${p} passed, ${f} failed (${Date.now() - t0} ms)`);
}

try {
  cluster = await startSupabaseCluster({ log, keep: process.env.DB_KEEP === '1' });
  const only = process.env.DB_TESTS;

  const files = sqlFiles(
    join(root, 'supabase', 'tests', 'database'),
    (f) => f.endsWith('.test.sql') && (!only || f.startsWith('00000') || f.includes(only)),
  );
  if (!files.length) throw new Error('no pgTAP files in supabase/tests/database');
  await prove(files, 'postgres');

  const plans = sqlFiles(join(root, 'supabase', 'plans'));
  if (plans.length && (!only || 'partitioning'.includes(only))) {
    const t = Date.now();
    cluster.must(
      await cluster.psql('supabase_admin', ['-c', 'create database plan_check owner postgres template postgres']),
      'create database plan_check',
    );
    cluster.must(
      await cluster.psql('postgres', ['-f', join(root, 'test', 'db', 'partition-fixture.sql')], 'plan_check'),
      'partition fixture',
    );
    const work = join(cluster.tmp, 'plan-work', 'supabase');
    mkdirSync(join(work, 'migrations'), { recursive: true });
    copyFileSync(join(root, 'supabase', 'config.toml'), join(work, 'config.toml'));
    for (const f of [...sqlFiles(join(root, 'supabase', 'migrations')), ...plans])
      copyFileSync(f, join(work, 'migrations', f.split('/').pop()));
    const planUrl = cluster.dbUrl.replace('/postgres?', '/plan_check?');
    cluster.must(
      await cluster.supabase(['db', 'push', '--workdir', dirname(work), '--db-url', planUrl, '--yes']),
      'supabase db push (partitioning plan)',
    );
    log(`partitioning plan pushed onto a copy with fixture rows (${Date.now() - t} ms)`);
    await prove(
      sqlFiles(join(root, 'supabase', 'tests', 'partitioning'), (f) => f.endsWith('.test.sql')),
      'plan_check',
    );
  }

  // A forward migration must upgrade data written under the migrations before it (here: memberships that
  // existed before consent was required become unaccepted invitations).
  const upgrades = join(root, 'supabase', 'tests', 'upgrade');
  const fixtures = existsSync(upgrades) ? sqlFiles(upgrades, (f) => f.endsWith('.fixture.sql')) : [];
  if (fixtures.length && (!only || 'upgrade'.includes(only))) {
    for (const fixture of fixtures) {
      const t = Date.now();
      const base = fixture
        .split('/')
        .pop()
        .replace(/\.fixture\.sql$/, '');
      const version = base.split('_')[0];
      const db = `upgrade_${version}`;
      cluster.must(
        await cluster.psql('supabase_admin', [
          '-c',
          `create database ${db} owner postgres template ${BOOTSTRAPPED_TEMPLATE}`,
        ]),
        `create database ${db}`,
      );
      const url = cluster.dbUrl.replace('/postgres?', `/${db}?`);
      const all = sqlFiles(join(root, 'supabase', 'migrations'));
      for (const [step, files] of [
        ['before', all.filter((f) => f.split('/').pop().split('_')[0] < version)],
        ['all', all],
      ]) {
        const work = join(cluster.tmp, `upgrade-${version}-${step}`, 'supabase');
        mkdirSync(join(work, 'migrations'), { recursive: true });
        copyFileSync(join(root, 'supabase', 'config.toml'), join(work, 'config.toml'));
        for (const f of files) copyFileSync(f, join(work, 'migrations', f.split('/').pop()));
        cluster.must(
          await cluster.supabase(['db', 'push', '--workdir', dirname(work), '--db-url', url, '--include-all', '--yes']),
          `supabase db push (${db}, ${step})`,
        );
        if (step === 'before') cluster.must(await cluster.psql('postgres', ['-f', fixture], db), `fixture ${base}`);
      }
      log(`upgrade to ${base}: migrated onto the fixture's rows (${Date.now() - t} ms)`);
      await prove([join(upgrades, `${base}.test.sql`)], db);
    }
  }

  if (!only) {
    for (const [name, fn] of Object.entries(checks)) {
      const t = Date.now();
      try {
        await fn(cluster);
        log(`check ${name}: ok (${Date.now() - t} ms)`);
      } catch (e) {
        failed++;
        process.stderr.write(`check ${name}: FAILED\n${e?.stack ?? e}\n`);
      }
    }
  }

  // End to end: SyncEngine → supabase-js → HTTP → PostgREST's SQL as `authenticator` on this cluster.
  if (!only || 'e2e'.includes(only)) {
    const t = Date.now();
    const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const r = await run(
      process.execPath,
      [
        mocha,
        '--no-config',
        '--node-option',
        'import=tsx',
        '--extension',
        'ts',
        '--timeout',
        '120000',
        '--reporter',
        'spec',
        join(root, 'test', 'db', 'e2e', '*.test.ts'),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          CCT_DB_ADMIN_URL: cluster.dbUrl,
          CCT_DB_API_URL: cluster.dbUrl.replace('postgres:postgres@', 'authenticator:authenticator@'),
        },
      },
    );
    process.stdout.write(r.stdout.replace(/\n{3,}/g, '\n\n'));
    if (r.stderr.trim()) process.stderr.write(r.stderr);
    const p = Number(/(\d+) passing/.exec(r.stdout)?.[1] ?? 0);
    const f = Number(/(\d+) failing/.exec(r.stdout)?.[1] ?? 0) || (r.status === 0 ? 0 : 1);
    passed += p;
    if (f) failed += f;
    log(`e2e (supabase-js → PostgREST SQL on this cluster): ${p} passing, ${f} failing (${Date.now() - t} ms)`);
  }
} catch (e) {
  failed = Math.max(failed, 1);
  process.stderr.write(`db tier: ${e instanceof MissingComponent ? e.message : (e?.stack ?? e)}\n`);
} finally {
  cluster?.stop();
}
log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(`db: ${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
