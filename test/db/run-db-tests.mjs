#!/usr/bin/env node
// db tier: a throwaway PostgreSQL 15 cluster shaped like a Supabase project, our migrations applied by the
// real Supabase CLI (`supabase db push --db-url …`), then pgTAP (`pg_prove`) over supabase/tests/database.
//
//   initdb -U supabase_admin (as the `postgres` OS user when we are root) → start on a free 127.0.0.1 port,
//   unix socket in the temp dir → test/db/bootstrap.sql (roles, grants, auth schema, publication, pgtap) →
//   supabase db push → pg_prove → checks (generated types up to date) → stop, always.
//
// Prints `db: N passed, M failed` last (N/M = pgTAP assertions, plus harness checks when they fail) and exits
// non-zero on any failure. A missing component fails with the command that installs it; nothing is skipped.
//
// Env: PG_BIN (default /usr/lib/postgresql/15/bin or `pg_config --bindir`), DB_KEEP=1 keeps the cluster
// running for debugging (prints how to connect), DB_TESTS=<glob substring> runs only matching test files.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = Date.now();
const log = (m) => process.stdout.write(`[db] ${m}\n`);

// ── components ───────────────────────────────────────────────────────────────────────────────────────
function fail(msg) {
  process.stderr.write(`db tier: ${msg}\n`);
  process.stdout.write('db: 0 passed, 1 failed\n');
  process.exit(1);
}

function findPgBin() {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    /* no pg_config on PATH */
  }
  for (const c of candidates) if (c && existsSync(join(c, 'initdb')) && existsSync(join(c, 'pg_ctl'))) return c;
  return null;
}

const pgBin = findPgBin();
if (!pgBin) fail('PostgreSQL 15 server binaries not found (initdb, pg_ctl). Install: apt-get install -y postgresql-15');
const version = execFileSync(join(pgBin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
if (!/\) 15\./.test(version)) fail(`expected PostgreSQL 15, found "${version}" in ${pgBin}. Install: apt-get install -y postgresql-15 (or set PG_BIN)`);
const pgProve = spawnSync('pg_prove', ['--version'], { encoding: 'utf8' });
if (pgProve.error || pgProve.status !== 0) fail('pg_prove not found. Install: apt-get install -y postgresql-15-pgtap');
if (!existsSync('/usr/share/postgresql/15/extension/pgtap.control') && !existsSync(join(execFileSync(join(pgBin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim(), 'extension', 'pgtap.control')))
  fail('the pgtap extension is not installed for PostgreSQL 15. Install: apt-get install -y postgresql-15-pgtap');
const supabaseCli = join(root, 'node_modules', '.bin', 'supabase');
if (!existsSync(supabaseCli)) fail('the Supabase CLI is missing. Install: npm ci (devDependency supabase@2.117.0)');

// ── cluster lifecycle ───────────────────────────────────────────────────────────────────────────────
const isRoot = process.getuid?.() === 0;
let pgUid = null;
let pgGid = null;
if (isRoot) {
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) fail('running as root but there is no `postgres` OS user to run the server as. Install: apt-get install -y postgresql-15 (creates it)');
  pgUid = Number(id.stdout.trim());
  pgGid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
}

/** Run a server binary as the postgres OS user when we are root (sync: only for the exit-time stop). */
function asPgUser(bin, args, opts = {}) {
  const cmd = isRoot ? 'runuser' : bin;
  const argv = isRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  return spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
}

// Long steps run asynchronously so SIGINT/SIGTERM are handled at once (spawnSync would defer the handler).
const children = new Set();
function run(cmd, args, opts = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      children.delete(child);
      res({ status: null, stdout, stderr, error });
    });
    child.on('close', (status) => {
      children.delete(child);
      res({ status, stdout, stderr });
    });
  });
}
const runAsPgUser = (bin, args, opts = {}) => (isRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args], opts) : run(bin, args, opts));

const tmp = mkdtempSync(join(tmpdir(), 'cct-db-'));
chmodSync(tmp, 0o755);
if (isRoot) chownSync(tmp, pgUid, pgGid);
const dataDir = join(tmp, 'data');
const logFile = join(tmp, 'postgres.log');
let serverUp = false;
let stopped = false;

function postmasterPid() {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

function stopCluster() {
  if (stopped) return;
  stopped = true;
  if (process.env.DB_KEEP === '1' && serverUp) {
    log(`DB_KEEP=1: cluster left running: psql -h ${tmp} -p ${port} -U postgres postgres ; stop with: runuser -u postgres -- ${pgBin}/pg_ctl -D ${dataDir} stop`);
    return;
  }
  const pid = postmasterPid();
  if (existsSync(dataDir)) asPgUser(join(pgBin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '20', 'stop'], { stdio: 'ignore' });
  if (pid) {
    try {
      process.kill(pid, 0);
      process.kill(pid, 'SIGKILL'); // still alive after pg_ctl stop: kill the postmaster we started, by pid
    } catch {
      /* gone */
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', stopCluster);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    log(`${sig}: stopping the cluster`);
    const pending = [...children].map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('close', r))));
    for (const c of children) {
      try {
        process.kill(c.pid, 'SIGTERM'); // only the children we started, by pid
      } catch {
        /* already gone */
      }
    }
    // let pg_ctl start / pg_prove / the CLI exit first, so a postmaster they were starting is seen and stopped
    await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 5000))]);
    await new Promise((r) => setTimeout(r, 300));
    stopCluster();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function must(r, what) {
  if (r.error || r.status !== 0) {
    process.stderr.write(`${what} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`);
    try {
      process.stderr.write(`--- postgres.log ---\n${readFileSync(logFile, 'utf8').slice(-4000)}\n`);
    } catch {
      /* no log yet */
    }
    throw new Error(`${what} failed`);
  }
  return r;
}

const port = await freePort();
const env = { ...process.env, PGHOST: tmp, PGPORT: String(port), PGDATABASE: 'postgres', PGCONNECT_TIMEOUT: '10' };
delete env.PGPASSWORD;
delete env.PGSERVICE;

let passed = 0;
let failed = 0;
try {
  // superuser password only for the pwfile initdb needs to enable scram over TCP; nothing uses it.
  const pwfile = join(tmp, 'pwfile');
  writeFileSync(pwfile, 'supabase_admin\n', { mode: 0o600 });
  if (isRoot) chownSync(pwfile, pgUid, pgGid);
  let t = Date.now();
  must(
    await runAsPgUser(join(pgBin, 'initdb'), ['-D', dataDir, '-U', 'supabase_admin', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']),
    'initdb',
  );
  must(
    await runAsPgUser(join(pgBin, 'pg_ctl'), [
      '-D', dataDir, '-l', logFile, '-w', '-t', '30',
      '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${tmp} -c wal_level=logical -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`,
      'start',
    ]),
    'pg_ctl start',
  );
  serverUp = true;
  log(`${version} up on 127.0.0.1:${port} (${Date.now() - t} ms, ${isRoot ? 'as OS user postgres' : 'as current user'})`);

  const psql = (user, args, db = 'postgres') => run(join(pgBin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-U', user, '-d', db, ...args], { env });
  const supabase = (args) =>
    run(supabaseCli, args, { cwd: root, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', CI: '1' } });

  /** pg_prove as `supabase test db` runs it (user postgres); counts TAP results into passed/failed. */
  async function prove(files, db) {
    const t0 = Date.now();
    const r = await run('pg_prove', ['--verbose', '--host', tmp, '--port', String(port), '--username', 'postgres', '--dbname', db, ...files], { env });
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
        ? r.stdout
            .split('\n')
            .filter((l) => /^\/|^All tests|^Files=|^Result:/.test(l))
            .map((l) => l.replace(root + '/', ''))
            .join('\n') + '\n'
        : out,
    );
    if (!ok && f === 0) f = 1; // a file died or its plan did not match: count it
    passed += p;
    failed += f;
    log(`pg_prove on ${db}: ${files.length} file(s), ${p} passed, ${f} failed (${Date.now() - t0} ms)`);
  }
  const sqlFiles = (dir, keep = () => true) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.sql') && keep(f))
      .sort()
      .map((f) => join(dir, f));

  t = Date.now();
  must(await psql('supabase_admin', ['-f', join(root, 'test', 'db', 'bootstrap.sql')]), 'bootstrap.sql');
  log(`Supabase bootstrap applied (${Date.now() - t} ms)`);

  // Migrations through the tool users use, over TCP with the postgres role's password (scram).
  t = Date.now();
  const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  must(await supabase(['db', 'push', '--db-url', dbUrl, '--include-all', '--include-seed', '--yes']), 'supabase db push');
  const applied = readdirSync(join(root, 'supabase', 'migrations')).filter((f) => f.endsWith('.sql')).length;
  const recorded = must(await psql('postgres', ['-At', '-c', 'select count(*) from supabase_migrations.schema_migrations']), 'migration history').stdout.trim();
  if (Number(recorded) !== applied) throw new Error(`supabase db push recorded ${recorded} migrations, ${applied} exist`);
  log(`supabase db push applied ${applied} migration(s) (${Date.now() - t} ms)`);

  // pgTAP over supabase/tests/database, files in name order (the helpers file first; it commits).
  const only = process.env.DB_TESTS;
  const files = sqlFiles(join(root, 'supabase', 'tests', 'database'), (f) => f.endsWith('.test.sql') && (!only || f.startsWith('00000') || f.includes(only)));
  if (!files.length) throw new Error('no pgTAP files in supabase/tests/database');
  await prove(files, 'postgres');

  // The partitioning plan (supabase/plans, not applied by default) is proven on a copy of the migrated
  // database holding fixture rows: pushed with the Supabase CLI like any migration, then its own pgTAP files.
  const plans = sqlFiles(join(root, 'supabase', 'plans'));
  if (plans.length && (!only || 'partitioning'.includes(only))) {
    t = Date.now();
    must(await psql('supabase_admin', ['-c', 'create database plan_check owner postgres template postgres']), 'create database plan_check');
    must(await psql('postgres', ['-f', join(root, 'test', 'db', 'partition-fixture.sql')], 'plan_check'), 'partition fixture');
    const work = join(tmp, 'plan-work', 'supabase');
    mkdirSync(join(work, 'migrations'), { recursive: true });
    copyFileSync(join(root, 'supabase', 'config.toml'), join(work, 'config.toml'));
    for (const f of [...sqlFiles(join(root, 'supabase', 'migrations')), ...plans]) copyFileSync(f, join(work, 'migrations', f.split('/').pop()));
    const planUrl = dbUrl.replace('/postgres?', '/plan_check?');
    must(await supabase(['db', 'push', '--workdir', dirname(work), '--db-url', planUrl, '--yes']), 'supabase db push (partitioning plan)');
    log(`partitioning plan pushed onto a copy with fixture rows (${Date.now() - t} ms)`);
    await prove(sqlFiles(join(root, 'supabase', 'tests', 'partitioning'), (f) => f.endsWith('.test.sql')), 'plan_check');
  }

  // Harness checks beyond pgTAP (reported separately, counted as failures when they fail).
  const checks = await import('./checks.mjs').catch((e) => (e.code === 'ERR_MODULE_NOT_FOUND' ? null : Promise.reject(e)));
  if (checks) {
    for (const [name, fn] of Object.entries(checks.default ?? {})) {
      t = Date.now();
      try {
        await fn({ root, port, host: tmp, dbUrl, env, psql });
        log(`check ${name}: ok (${Date.now() - t} ms)`);
      } catch (e) {
        failed++;
        process.stderr.write(`check ${name}: FAILED\n${e?.stack ?? e}\n`);
      }
    }
  }
} catch (e) {
  failed = Math.max(failed, 1);
  process.stderr.write(`${e?.stack ?? e}\n`);
} finally {
  stopCluster();
}
log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(`db: ${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
