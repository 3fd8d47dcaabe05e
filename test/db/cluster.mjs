// A throwaway PostgreSQL 15 cluster shaped like a Supabase project, with our migrations pushed by the real
// Supabase CLI. Used by the db tier (run-db-tests.mjs) and by scripts/gen-db-types.mjs.
//
//   initdb -U supabase_admin (as the `postgres` OS user when we are root; scram over TCP, trust on the
//   socket in the temp dir) → postgres on a free 127.0.0.1 port → test/db/bootstrap.sql →
//   `supabase db push --db-url postgresql://postgres:postgres@127.0.0.1:PORT/postgres?sslmode=disable`.
//
// stop() runs `pg_ctl stop -m fast` and kills the postmaster by pid if it is still alive; it is also called
// on exit and on SIGINT/SIGTERM/SIGHUP (after the children we started were asked to stop, by pid).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A component is missing: the message names the command that installs it. */
export class MissingComponent extends Error {}

/** Database holding the bootstrap only (no migration): `template` of the upgrade checks. */
export const BOOTSTRAPPED_TEMPLATE = 'cct_bootstrapped';

function findPgBin() {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
  } catch {
    /* no pg_config on PATH */
  }
  for (const c of candidates) if (c && existsSync(join(c, 'initdb')) && existsSync(join(c, 'pg_ctl'))) return c;
  return null;
}

/** Checks every component and returns where they are; throws MissingComponent with the install command. */
export function checkComponents() {
  const pgBin = findPgBin();
  if (!pgBin)
    throw new MissingComponent(
      'PostgreSQL 15 server binaries not found (initdb, pg_ctl). Install: apt-get install -y postgresql-15',
    );
  const version = execFileSync(join(pgBin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  if (!/\) 15\./.test(version))
    throw new MissingComponent(
      `expected PostgreSQL 15, found "${version}" in ${pgBin}. Install: apt-get install -y postgresql-15 (or set PG_BIN)`,
    );
  const share = execFileSync(join(pgBin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
  if (
    !existsSync(join(share, 'extension', 'pgtap.control')) &&
    !existsSync('/usr/share/postgresql/15/extension/pgtap.control')
  )
    throw new MissingComponent(
      'the pgtap extension is not installed for PostgreSQL 15. Install: apt-get install -y postgresql-15-pgtap',
    );
  const prove = spawnSync('pg_prove', ['--version'], { encoding: 'utf8' });
  if (prove.error || prove.status !== 0)
    throw new MissingComponent('pg_prove not found. Install: apt-get install -y postgresql-15-pgtap');
  const supabaseCli = join(root, 'node_modules', '.bin', 'supabase');
  if (!existsSync(supabaseCli))
    throw new MissingComponent('the Supabase CLI is missing. Install: npm ci (devDependency supabase@2.117.0)');
  const isRoot = process.getuid?.() === 0;
  let pgUid = null;
  let pgGid = null;
  if (isRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0)
      throw new MissingComponent(
        'running as root but there is no `postgres` OS user to run the server as. Install: apt-get install -y postgresql-15 (creates it)',
      );
    pgUid = Number(id.stdout.trim());
    pgGid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  }
  return { pgBin, version, supabaseCli, isRoot, pgUid, pgGid };
}

// Long steps run asynchronously so SIGINT/SIGTERM are handled at once (spawnSync would defer the handler).
const children = new Set();
export function run(cmd, args, opts = {}) {
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

const clusters = new Set();
let handlersInstalled = false;
function installHandlers(log) {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const c of clusters) c.stop();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      log(`${sig}: stopping the cluster`);
      const pending = [...children].map(
        (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('close', r))),
      );
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
      for (const c of clusters) c.stop();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Starts the cluster, applies the bootstrap and pushes supabase/migrations with the Supabase CLI.
 * @param {{ log?: (m: string) => void, keep?: boolean, seed?: boolean }} [opts]
 */
export async function startSupabaseCluster(opts = {}) {
  const log = opts.log ?? (() => {});
  const c = checkComponents();
  installHandlers(log);

  const tmp = mkdtempSync(join(tmpdir(), 'cct-db-'));
  chmodSync(tmp, 0o755);
  if (c.isRoot) chownSync(tmp, c.pgUid, c.pgGid);
  const dataDir = join(tmp, 'data');
  const logFile = join(tmp, 'postgres.log');
  const port = await freePort();
  const env = { ...process.env, PGHOST: tmp, PGPORT: String(port), PGDATABASE: 'postgres', PGCONNECT_TIMEOUT: '10' };
  delete env.PGPASSWORD;
  delete env.PGSERVICE;
  const dbUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;

  let serverUp = false;
  let stopped = false;
  const runAsPgUser = (bin, args, o = {}) =>
    c.isRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args], o) : run(bin, args, o);
  const postmasterPid = () => {
    try {
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return null;
    }
  };

  const cluster = {
    port,
    host: tmp,
    tmp,
    dbUrl,
    env,
    version: c.version,
    pgBin: c.pgBin,
    run,
    /** psql with ON_ERROR_STOP over the unix socket. */
    psql: (user, args, db = 'postgres') =>
      run(join(c.pgBin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-U', user, '-d', db, ...args], { env }),
    /** the npm Supabase CLI, telemetry off. */
    supabase: (args) =>
      run(c.supabaseCli, args, {
        cwd: root,
        env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', CI: '1' },
      }),
    /** Synchronous so it also works from process 'exit'. Idempotent. */
    stop() {
      if (stopped) return;
      stopped = true;
      clusters.delete(cluster);
      if (opts.keep && serverUp) {
        log(
          `DB_KEEP=1: cluster left running: psql -h ${tmp} -p ${port} -U postgres postgres ; stop: runuser -u postgres -- ${c.pgBin}/pg_ctl -D ${dataDir} stop`,
        );
        return;
      }
      const pid = postmasterPid();
      if (existsSync(dataDir)) {
        const argv = ['-D', dataDir, '-m', 'fast', '-w', '-t', '20', 'stop'];
        if (c.isRoot)
          spawnSync('runuser', ['-u', 'postgres', '--', join(c.pgBin, 'pg_ctl'), ...argv], { stdio: 'ignore' });
        else spawnSync(join(c.pgBin, 'pg_ctl'), argv, { stdio: 'ignore' });
      }
      if (pid) {
        try {
          process.kill(pid, 0);
          process.kill(pid, 'SIGKILL'); // still alive after pg_ctl stop: kill the postmaster we started, by pid
        } catch {
          /* gone */
        }
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  clusters.add(cluster);

  const must = (r, what) => {
    if (r.error || r.status !== 0) {
      let pglog = '';
      try {
        pglog = `\n--- postgres.log ---\n${readFileSync(logFile, 'utf8').slice(-4000)}`;
      } catch {
        /* no log yet */
      }
      throw new Error(
        `${what} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}${pglog}`,
      );
    }
    return r;
  };
  cluster.must = must;

  try {
    // superuser password only so initdb accepts scram over TCP; nothing connects as supabase_admin over TCP.
    const pwfile = join(tmp, 'pwfile');
    writeFileSync(pwfile, 'supabase_admin\n', { mode: 0o600 });
    if (c.isRoot) chownSync(pwfile, c.pgUid, c.pgGid);
    let t = Date.now();
    must(
      await runAsPgUser(join(c.pgBin, 'initdb'), [
        '-D',
        dataDir,
        '-U',
        'supabase_admin',
        '--pwfile',
        pwfile,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
      ]),
      'initdb',
    );
    must(
      await runAsPgUser(join(c.pgBin, 'pg_ctl'), [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '30',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${tmp} -c wal_level=logical -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`,
        'start',
      ]),
      'pg_ctl start',
    );
    serverUp = true;
    log(
      `${c.version} up on 127.0.0.1:${port} (${Date.now() - t} ms, ${c.isRoot ? 'as OS user postgres' : 'as current user'})`,
    );

    t = Date.now();
    must(await cluster.psql('supabase_admin', ['-f', join(root, 'test', 'db', 'bootstrap.sql')]), 'bootstrap.sql');
    // A copy of the bootstrapped, not yet migrated database: upgrade tests start from it (run-db-tests.mjs).
    must(
      await cluster.psql('supabase_admin', [
        '-c',
        `create database ${BOOTSTRAPPED_TEMPLATE} owner postgres template postgres`,
      ]),
      'bootstrapped template',
    );
    log(`Supabase bootstrap applied (${Date.now() - t} ms)`);

    // Migrations through the tool users use, over TCP with the postgres role's password (scram).
    t = Date.now();
    must(
      await cluster.supabase([
        'db',
        'push',
        '--db-url',
        dbUrl,
        '--include-all',
        ...(opts.seed === false ? [] : ['--include-seed']),
        '--yes',
      ]),
      'supabase db push',
    );
    const files = readdirSync(join(root, 'supabase', 'migrations')).filter((f) => f.endsWith('.sql')).length;
    const recorded = must(
      await cluster.psql('postgres', ['-At', '-c', 'select count(*) from supabase_migrations.schema_migrations']),
      'migration history',
    ).stdout.trim();
    if (Number(recorded) !== files) throw new Error(`supabase db push recorded ${recorded} migrations, ${files} exist`);
    log(`supabase db push applied ${files} migration(s) (${Date.now() - t} ms)`);
  } catch (e) {
    cluster.stop();
    throw e;
  }
  return cluster;
}
