/**
 * The whole path a user's history takes to Supabase: the real CLI fixture transcripts are scanned into a real
 * store (`cct scan`, Privacy Guard, both SQLite backends), the store's outbox (SqliteOutbox) is drained by the real
 * SyncEngine through supabase-js (SupabaseSyncRemote) into the fake PostgREST/GoTrue server, which keeps rows by
 * their unique keys — so "exactly once" is counted server-side.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXCLUDED_PROJECTS_META_KEY } from '../../../src/core/sync/exclusions';
import type { RemoteSessionRow } from '../../../src/core/sync/rows';
import { type SyncConfig, SyncEngine } from '../../../src/core/sync/syncEngine';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { writeStoredExclusions } from '../../../src/infra/sqlite/syncExclusions';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { runCct } from '../../helpers/cct';
import { FakeSupabase } from './fakeSupabase';
import { signIn } from './helpers';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'claude');
interface Manifest {
  sessionIds: Record<string, string>;
  secrets: { id: string; value: string; placeholderShaped?: boolean }[];
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Manifest;
const realSecrets = manifest.secrets.filter((s) => !s.placeholderShaped).map((s) => s.value);

const cct = (argv: string[], env: Record<string, string> = { HOME: tmpdir() }) => runCct(argv, env);

const FAST: Partial<SyncConfig> = { mode: 'full', backoffBaseMs: 1, backoffCapMs: 5, maxAttempts: 3 };

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`store → Supabase: scanned fixtures drained through SqliteOutbox (${backend})`, function () {
    this.timeout(30_000);
    let dir: string;
    let root: string;
    let db: string;
    let server: FakeSupabase;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cct-store2supa-'));
      root = join(dir, 'claude');
      db = join(dir, 'store.db');
      cpSync(join(FIXTURES, 'cli'), root, { recursive: true });
      server = await new FakeSupabase().start();
    });
    afterEach(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const scan = async () => {
      const r = await cct(['scan', '--root', root, '--db', db, '--backend', backend, '--json']);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as { interactions: number; sessions: number };
    };
    const restPosts = () => server.requests.filter((r) => r.path.startsWith('/rest/v1/claude_'));

    it('every session and interaction arrives exactly once; a rescan sends nothing; an appended line re-sends only what changed; no planted secret leaves', async () => {
      await scan();
      let store = await Store.open(db, backend);
      const local = {
        sessions: store.db
          .prepare('SELECT session_id FROM sessions')
          .all()
          .map((r) => String(r.session_id))
          .sort(),
        prompts: store.db
          .prepare("SELECT id FROM interactions WHERE kind = 'prompt'")
          .all()
          .map((r) => String(r.id).slice(2))
          .sort(),
        interactions: store.counts().interactions,
      };
      assert.ok(
        local.sessions.length >= 10 && local.interactions >= 40,
        `fixtures scanned (${local.sessions.length} sessions, ${local.interactions} interactions)`,
      );
      const { client, userId } = await signIn(server);
      const remote = new SupabaseSyncRemote(client, { interactionResolution: 'merge' });

      // ── an outage first: a burst of 503s on interactions; the drain gives up, the store is closed (restart) ──
      let burst = 0;
      server.fault = (req) =>
        req.path === '/rest/v1/claude_interactions' && burst++ < 3
          ? { status: 503, body: { message: 'upstream connect error' } }
          : undefined;
      const t0 = Date.now();
      const first = await new SyncEngine(new SqliteOutbox(store), remote, FAST).drain();
      assert.equal(first.outcome, 'gave-up', first.lastError);
      assert.equal(server.interactions.size, 0, 'nothing of the failed batch was written');
      const queued = await new SqliteOutbox(store).stats();
      assert.equal(queued.pending, local.interactions, 'every interaction is still queued');
      store.close();
      store = await Store.open(db, backend);
      const outbox = new SqliteOutbox(store);
      const attempts = Number(
        store.db.prepare("SELECT max(attempts) AS n FROM sync_outbox WHERE entity = 'interaction'").get()!.n,
      );
      assert.equal(attempts, 1, 'the failed attempt survived the restart');
      // the retry is due once not_before passes (at most backoffCapMs)
      server.fault = undefined;
      const engine = new SyncEngine(outbox, remote, FAST);
      let rep = await engine.drain();
      for (let i = 0; rep.outcome === 'drained' && (await outbox.stats()).pending > 0 && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 5));
        rep = await engine.drain();
      }
      assert.equal(rep.outcome, 'drained', rep.lastError);
      const ms = Date.now() - t0;

      // server-side, by key: every local session and interaction exactly once, no interaction written twice
      const serverSessions = server.rowsOf('sessions', userId);
      const serverInteractions = server.rowsOf('interactions', userId);
      assert.deepEqual(serverSessions.map((s) => String(s.row.session_id)).sort(), local.sessions);
      assert.equal(serverInteractions.length, local.interactions);
      assert.deepEqual(serverInteractions.filter((r) => r.writes !== 1).length, 0, 'no interaction written twice');
      assert.deepEqual(serverSessions.filter((r) => r.writes !== 1).length, 0, 'one write per session');
      const userUuids = serverInteractions
        .filter((r) => r.row.message_type === 'user')
        .map((r) => String(r.row.message_uuid))
        .sort();
      assert.deepEqual(userUuids, local.prompts, 'prompts are keyed by their transcript line uuid');
      assert.deepEqual(await outbox.stats(), { pending: 0, deadLetters: 0 });

      // the session rows carry the same totals as `cct sessions --json` (a different code path over the store)
      const list = JSON.parse((await cct(['sessions', '--db', db, '--json'])).out) as {
        sessionId: string;
        tokens: { input: number; output: number; cacheCreation: number; cacheRead: number };
        costUsd: number | null;
        startTime: string;
      }[];
      for (const s of list) {
        const row = server.sessions.get(`${userId}|${s.sessionId}`)!.row as unknown as RemoteSessionRow;
        assert.deepEqual(
          [row.input_tokens, row.output_tokens, row.cache_creation_input_tokens, row.cache_read_input_tokens],
          [s.tokens.input, s.tokens.output, s.tokens.cacheCreation, s.tokens.cacheRead],
          s.sessionId,
        );
        assert.ok(
          Math.abs(row.total_cost_usd - (s.costUsd ?? 0)) < 1e-6,
          `${s.sessionId}: ${row.total_cost_usd} vs ${s.costUsd}`,
        );
        assert.equal(row.start_time, s.startTime);
      }
      const perSession = new Map<string, number>();
      for (const r of serverInteractions)
        perSession.set(String(r.row.session_id), (perSession.get(String(r.row.session_id)) ?? 0) + 1);
      for (const s of serverSessions)
        assert.equal(
          s.row.total_interactions,
          perSession.get(String(s.row.session_id)) ?? 0,
          'total_interactions = rows on the server',
        );
      const sent = rep.rowsSent + first.rowsSent;
      console.log(
        `      ${backend}: ${local.sessions.length} sessions + ${local.interactions} interactions; rows sent ${sent} (${first.rowsSent} in the failed drain), ` +
          `delivered ${serverSessions.length + serverInteractions.length}, duplicates 0, ${first.requests + rep.requests} requests, ${ms} ms incl. backoff`,
      );
      store.close();

      // ── a rescan with nothing new sends nothing ─────────────────────────────────────────────────────────
      await scan();
      store = await Store.open(db, backend);
      const before = restPosts().length;
      const idle = await new SyncEngine(new SqliteOutbox(store), remote, FAST).drain();
      assert.equal(idle.outcome, 'drained');
      assert.equal(idle.rowsSent, 0);
      assert.equal(restPosts().length, before);
      store.close();

      // ── one appended prompt (carrying a planted secret): that prompt and its session, nothing else ──────
      const sid = manifest.sessionIds.tools!;
      const file = join(root, 'projects', '-tmp-cct-fixture-home-work-alpha', `${sid}.jsonl`);
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const proto = lines.find((l) => l.type === 'user' && typeof l.message?.content === 'string')!;
      const lastTs = lines
        .map((l) => Date.parse(l.timestamp ?? ''))
        .filter((t) => !Number.isNaN(t))
        .reduce((a, b) => Math.max(a, b));
      const newUuid = '0a7e0a7e-0000-4000-8000-00000000a77e';
      appendFileSync(
        file,
        `${JSON.stringify({
          ...proto,
          uuid: newUuid,
          parentUuid: lines.at(-1).uuid ?? null,
          promptId: newUuid,
          timestamp: new Date(lastTs + 60_000).toISOString(),
          message: {
            role: 'user',
            content: `one more thing: the deploy key is ${realSecrets[0]} and ${realSecrets[2]}`,
          },
        })}\n`,
      );
      const again = await scan();
      assert.equal(again.interactions, 1);
      store = await Store.open(db, backend);
      const mark = server.requests.length;
      const delta = await new SyncEngine(new SqliteOutbox(store), remote, FAST).drain();
      assert.equal(delta.outcome, 'drained', delta.lastError);
      assert.equal(delta.rowsSent, 2, 'one session row, one interaction row');
      const bodies = server.requests
        .slice(mark)
        .filter((r) => r.path.startsWith('/rest/v1/'))
        .map((r) => JSON.parse(r.body) as Record<string, unknown>[]);
      assert.deepEqual(
        bodies.map((b) => b.map((r) => r.session_id ?? null)),
        [[sid], [sid]],
      );
      assert.equal(bodies[1]![0]!.message_uuid, newUuid);
      assert.match(String(bodies[1]![0]!.user_prompt), /the deploy key is/);
      assert.equal(server.rowsOf('interactions', userId).length, local.interactions + 1);
      assert.equal(server.sessions.get(`${userId}|${sid}`)!.row.total_interactions, (perSession.get(sid) ?? 0) + 1);
      assert.deepEqual(await new SqliteOutbox(store).stats(), { pending: 0, deadLetters: 0 });
      store.close();

      // ── privacy: no real-shaped planted secret in any request (URL, headers, body; raw or JSON-escaped) ───
      const captured = server.requests.map((r) => `${r.rawUrl}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
      assert.ok(captured.length > 10_000);
      const leaks = realSecrets.filter(
        (v) => captured.includes(v) || captured.includes(JSON.stringify(v).slice(1, -1)),
      );
      assert.deepEqual(leaks, []);
    });

    it('metadata mode: no prompt or response text leaves, numbers and tool names do', async () => {
      await scan();
      const store = await Store.open(db, backend);
      try {
        const { client } = await signIn(server);
        const rep = await new SyncEngine(new SqliteOutbox(store), new SupabaseSyncRemote(client), {
          ...FAST,
          mode: 'metadata',
        }).drain();
        assert.equal(rep.outcome, 'drained', rep.lastError);
        const rows = [...server.interactions.values()].map((r) => r.row);
        assert.equal(rows.length, store.counts().interactions);
        assert.ok(
          rows.every((r) => r.user_prompt === null && r.claude_response === null && r.context_analysis === null),
        );
        assert.ok(
          rows.some(
            (r) =>
              Array.isArray(r.tools_used) &&
              (r.tools_used as unknown[]).every((t) => typeof t === 'string') &&
              (r.tools_used as unknown[]).length > 0,
          ),
        );
        assert.ok(rows.some((r) => Number(r.output_tokens) > 0));
      } finally {
        store.close();
      }
    });
  });
}

describe('cct sync push (CLI, against the fake Supabase)', function () {
  this.timeout(30_000);
  let dir: string;
  let server: FakeSupabase;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cct-push-'));
    server = await new FakeSupabase().start();
    env = {
      HOME: dir,
      SUPABASE_URL: server.url,
      SUPABASE_ANON_KEY: server.anonKey,
      CCT_SUPABASE_AUTH_FILE: join(dir, 'auth.json'),
    };
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drains the store with the signed-in session; reports sent/acked/retried/dead-lettered; rows stay queued through an outage', async () => {
    const db = join(dir, 'store.db');
    assert.equal((await cct(['scan', '--root', join(FIXTURES, 'cli'), '--db', db, '--json'], env)).code, 0);
    const notSignedIn = await cct(['sync', 'push', '--db', db], env);
    assert.equal(notSignedIn.code, 3);
    assert.match(notSignedIn.err, /not signed in/);
    assert.equal((await cct(['sync', 'login', '--email', 'push@example.test', '--code', '123456'], env)).code, 0);
    const store = await Store.open(db);
    const local = store.counts();
    store.close();

    // the server answers 429 with a Retry-After beyond what a drain sleeps through: nothing delivered, all kept
    server.fault = (req) =>
      req.path.startsWith('/rest/v1/')
        ? { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '600' } }
        : undefined;
    const down = await cct(['sync', 'push', '--db', db, '--json'], env);
    assert.equal(down.code, 1, down.err);
    const d = JSON.parse(down.out);
    assert.equal(d.outcome, 'gave-up');
    assert.equal(d.acked, 0);
    assert.equal(d.pending, local.sessions + local.interactions);
    assert.match(d.lastError, /HTTP 429/);
    assert.ok(Date.parse(d.retryAt) > Date.now() + 500_000);
    const mark = server.requests.length;
    const waiting = JSON.parse((await cct(['sync', 'push', '--db', db, '--json'], env)).out);
    assert.equal(
      server.requests.slice(mark).filter((r) => r.path === '/rest/v1/claude_sessions').length,
      0,
      'sessions wait for their Retry-After',
    );
    assert.equal(waiting.acked, 0);
    assert.equal(waiting.pending, local.sessions + local.interactions);
    assert.equal(server.sessions.size + server.interactions.size, 0);

    // after the wait (not_before cleared here instead of waiting 10 minutes), everything goes, once
    server.fault = undefined;
    const s2 = await Store.open(db);
    s2.db.prepare('UPDATE sync_outbox SET not_before = 0').run();
    s2.close();
    const up = await cct(['sync', 'push', '--db', db, '--mode', 'full'], env);
    assert.equal(up.code, 0, up.err);
    assert.match(
      up.out,
      new RegExp(
        `^drained: sent ${local.sessions + local.interactions} rows in \\d+ requests \\(full\\), acked ${local.sessions + local.interactions}, retried 0, dead-lettered 0; 0 still queued, 0 dead letters`,
      ),
    );
    assert.equal(server.sessions.size, local.sessions);
    assert.equal(server.interactions.size, local.interactions);
    assert.ok(
      [...server.interactions.values()].some((r) => typeof r.row.user_prompt === 'string'),
      '--mode full sends the masked text',
    );
    const again = JSON.parse((await cct(['sync', 'push', '--db', db, '--json'], env)).out);
    assert.deepEqual([again.outcome, again.rowsSent, again.pending], ['drained', 0, 0]);
    assert.equal((await cct(['sync', 'push', '--db', db, '--mode', 'everything'], env)).code, 2);
  });

  // ── project exclusions: the list the extension recorded in the store, plus --exclude ──────────────────────
  const BETA = '/tmp/cct-fixture-home/work/beta';
  const GAMMA = '/tmp/cct-fixture-home/work/gamma';
  /** A scanned store and a signed-in CLI; the local session ids and interaction counts per project. */
  const scannedAndSignedIn = async () => {
    const db = join(dir, 'store.db');
    assert.equal((await cct(['scan', '--root', join(FIXTURES, 'cli'), '--db', db, '--json'], env)).code, 0);
    assert.equal((await cct(['sync', 'login', '--email', 'excl@example.test', '--code', '123456'], env)).code, 0);
    const store = await Store.open(db);
    const byProject = new Map<string, { sessions: string[]; interactions: number }>();
    for (const r of store.db
      .prepare(
        'SELECT s.project_path AS p, s.session_id AS sid, (SELECT count(*) FROM interactions i WHERE i.session_id = s.session_id) AS n FROM sessions s',
      )
      .all()) {
      const e = byProject.get(String(r.p)) ?? { sessions: [], interactions: 0 };
      e.sessions.push(String(r.sid));
      e.interactions += Number(r.n);
      byProject.set(String(r.p), e);
    }
    const counts = store.counts();
    store.close();
    assert.ok(
      byProject.get(BETA)!.sessions.length > 0 && byProject.get(GAMMA)!.sessions.length > 0,
      'fixtures have the beta and gamma projects',
    );
    return { db, byProject, counts };
  };
  const record = async (db: string, write: (s: Store) => void) => {
    const s = await Store.open(db);
    write(s);
    s.close();
  };
  const remoteSessionIds = () => [...server.sessions.values()].map((r) => String(r.row.session_id));
  const remoteProjects = () => new Set([...server.sessions.values()].map((r) => String(r.row.project_path)));
  const sentBodies = () =>
    server.requests
      .filter((r) => r.path.startsWith('/rest/v1/claude_'))
      .map((r) => r.body)
      .join('\n');

  it('applies the exclusion list the extension recorded in the store: nothing of the excluded project is sent, and the output says so', async () => {
    const { db, byProject, counts } = await scannedAndSignedIn();
    await record(db, (s) => writeStoredExclusions(s, ['**/work/beta']));
    const beta = byProject.get(BETA)!;
    const r = await cct(['sync', 'push', '--db', db, '--mode', 'full', '--json'], env);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.equal(out.outcome, 'drained');
    assert.ok(!remoteProjects().has(BETA), 'no beta session on the server');
    assert.deepEqual(
      remoteSessionIds().filter((id) => beta.sessions.includes(id)),
      [],
    );
    assert.equal(server.sessions.size, counts.sessions - beta.sessions.length);
    assert.equal(server.interactions.size, counts.interactions - beta.interactions, 'no beta interaction either');
    assert.ok([...server.interactions.values()].every((i) => !beta.sessions.includes(String(i.row.session_id))));
    assert.ok(!sentBodies().includes('work/beta'), 'the beta path is in no request body');
    assert.deepEqual(out.exclusions, {
      globs: ['**/work/beta'],
      stored: 'applied',
      fromStore: ['**/work/beta'],
      fromFlags: [],
      discarded: beta.sessions.length + beta.interactions,
    });
    assert.equal(out.pending, 0, 'the excluded rows left the queue unsent');
  });

  it('--exclude (repeatable) adds globs for that push, on top of the recorded list; human output names them and the discarded rows', async () => {
    const { db, byProject, counts } = await scannedAndSignedIn();
    await record(db, (s) => writeStoredExclusions(s, ['**/work/beta']));
    const beta = byProject.get(BETA)!;
    const gamma = byProject.get(GAMMA)!;
    const r = await cct(['sync', 'push', '--db', db, '--exclude', GAMMA, '--exclude=**/nothing-here'], env);
    assert.equal(r.code, 0, r.err);
    const discarded = beta.sessions.length + beta.interactions + gamma.sessions.length + gamma.interactions;
    assert.match(r.out, /^drained: /);
    assert.ok(
      r.out.includes(
        `excluded projects: "**/work/beta", "${GAMMA}", "**/nothing-here" (1 recorded by the extension, 2 from --exclude); ${discarded} rows of excluded projects discarded unsent`,
      ),
      r.out,
    );
    assert.deepEqual([...remoteProjects()], ['/tmp/cct-fixture-home/work/alpha']);
    assert.equal(server.sessions.size + server.interactions.size, counts.sessions + counts.interactions - discarded);

    // with no recorded list, --exclude alone applies
    const other = join(dir, 'other.db');
    assert.equal((await cct(['scan', '--root', join(FIXTURES, 'cli'), '--db', other, '--json'], env)).code, 0);
    await server.stop();
    server = await new FakeSupabase().start();
    env = { ...env, SUPABASE_URL: server.url };
    assert.equal((await cct(['sync', 'login', '--email', 'excl@example.test', '--code', '123456'], env)).code, 0);
    const j = JSON.parse((await cct(['sync', 'push', '--db', other, '--exclude', '**/gamma', '--json'], env)).out);
    assert.deepEqual(j.exclusions, {
      globs: ['**/gamma'],
      stored: 'none',
      fromStore: [],
      fromFlags: ['**/gamma'],
      discarded: gamma.sessions.length + gamma.interactions,
    });
    assert.ok(!remoteProjects().has(GAMMA));
    assert.ok(remoteProjects().has(BETA));
    assert.equal(
      (await cct(['sync', 'push', '--db', other, '--exclude', ' '], env)).code,
      2,
      'an empty glob is a usage error',
    );
  });

  it('an unreadable recorded list stops the push before anything is sent; --ignore-stored-exclusions pushes without it', async () => {
    const { db, byProject, counts } = await scannedAndSignedIn();
    for (const bad of ['["**/work/beta"', '{"globs":["**/work/beta"]}', '[42]']) {
      await record(db, (s) =>
        s.db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run([EXCLUDED_PROJECTS_META_KEY, bad]),
      );
      const r = await cct(['sync', 'push', '--db', db, '--json'], env);
      assert.notEqual(r.code, 0);
      assert.equal(r.code, 1);
      assert.equal(r.out, '', 'no report: nothing was attempted');
      assert.match(
        r.err,
        /project exclusions recorded by the extension .* cannot be read: .*Nothing was sent.*--ignore-stored-exclusions/s,
      );
      assert.equal(server.requests.filter((q) => q.path.startsWith('/rest/v1/')).length, 0, `nothing sent (${bad})`);
    }
    const s = await Store.open(db);
    assert.equal(
      (await new SqliteOutbox(s).stats()).pending,
      counts.sessions + counts.interactions,
      'every row still queued',
    );
    s.close();

    // the explicit override: the recorded list is ignored, --exclude still applies
    const gamma = byProject.get(GAMMA)!;
    const r = await cct(
      ['sync', 'push', '--db', db, '--ignore-stored-exclusions', '--exclude', '**/gamma', '--json'],
      env,
    );
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.deepEqual(out.exclusions, {
      globs: ['**/gamma'],
      stored: 'ignored',
      fromStore: [],
      fromFlags: ['**/gamma'],
      discarded: gamma.sessions.length + gamma.interactions,
    });
    assert.ok(remoteProjects().has(BETA), 'the unreadable list was ignored as asked');
    assert.ok(!remoteProjects().has(GAMMA));
    assert.equal(
      server.sessions.size + server.interactions.size,
      counts.sessions + counts.interactions - gamma.sessions.length - gamma.interactions,
    );
  });
});
