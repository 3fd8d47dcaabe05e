/**
 * The session row carries its code context to Supabase (issue 13): a real git repository whose remote holds a
 * token, `cct scan` into a real store, its outbox drained by the real SyncEngine through supabase-js into the fake
 * PostgREST server. The session is queued again when its code context or its pull requests change, and only then.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteSessionRow } from '../../../src/core/sync/rows';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { runCct } from '../../helpers/cct';
import { FakeSupabase } from '../sync/fakeSupabase';
import { signIn } from '../sync/helpers';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, transcript } from './transcriptLines';

const ENV = { CCT_HMAC_KEY: 'code-context-sync-key-0123456789' };
const SESSION = 'c0de5000-0000-4000-8000-000000000001';
const TOKEN = 'ghp_SyncTopSecretToken0123456789abcdef';

describe('code context syncs with the session row (issue 13)', function () {
  this.timeout(60_000);
  let root: string;
  let db: string;
  let repo: string;
  let server: FakeSupabase;
  const sha: Record<string, string> = {};

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-codesync-')));
    db = join(root, 'store.db');
    repo = join(root, 'repo');
    initRepo(repo, 'feature/pr');
    git(repo, ['remote', 'add', 'origin', `https://alice:${TOKEN}@github.com/acme/widgets.git`]);
    sha.before = commitFile(repo, 'a.ts', 1, 'before', { author: '2026-11-02T09:00:00Z' });
    sha.inside = commitFile(repo, 'a.ts', 3, 'inside', { author: '2026-11-02T10:00:01Z' });
    const dir = join(root, 'claude', 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SESSION}.jsonl`),
      transcript({
        sessionId: SESSION,
        cwd: repo,
        gitBranch: 'feature/pr',
        start: '2026-11-02T10:00:00.000Z',
        prompt: 'ship it',
        tools: [{ name: 'Write', input: { file_path: join(repo, 'a.ts'), content: 'x' } }],
      }),
    );
    const r = await runCct(['scan', '--root', join(root, 'claude'), '--db', db, '--serial', '--json'], ENV);
    assert.equal(r.code, 0, r.err);
    server = await new FakeSupabase().start();
  });
  after(async () => {
    await server.stop();
    if (!process.env.KEEP_TMP) rmSync(root, { recursive: true, force: true });
  });

  const drain = async (store: Store) => {
    const { client } = await signIn(server);
    const report = await new SyncEngine(new SqliteOutbox(store), new SupabaseSyncRemote(client), {
      mode: 'metadata',
      backoffBaseMs: 1,
      backoffCapMs: 5,
    }).drain();
    assert.equal(report.outcome, 'drained', report.lastError);
  };
  const sessionPosts = () => server.requests.filter((r) => r.path === '/rest/v1/claude_sessions').length;
  const serverRow = () => {
    const rows = server.rowsOf('sessions').filter((r) => r.row.session_id === SESSION);
    assert.equal(rows.length, 1);
    return rows[0]!.row as unknown as RemoteSessionRow;
  };
  const queued = (store: Store) =>
    store.db.prepare("SELECT count(*) AS n FROM sync_outbox WHERE entity = 'session' AND entity_id = ?").get([SESSION])!
      .n;

  it('sends the masked remote without its token, the branch, HEAD at start and end and the commit shas', async () => {
    const store = await Store.open(db, 'node:sqlite');
    try {
      await drain(store);
      const row = serverRow();
      assert.equal(row.git_remote_url, 'https://github.com/acme/widgets.git');
      assert.equal(row.git_branch, 'feature/pr');
      assert.equal(row.git_head_start, sha.before);
      assert.equal(row.git_head_end, sha.inside);
      assert.deepEqual(row.git_commit_shas, [sha.inside]);
      assert.equal(row.git_pull_requests, null, 'not looked up yet');
      const wire = JSON.stringify(server.requests.map((r) => [r.path, r.body]));
      assert.ok(!wire.includes(TOKEN) && !wire.includes('alice:'), 'no credential leaves the machine');
      assert.ok(!wire.includes('"inside"'), 'commit subjects stay local');
    } finally {
      store.close();
    }
  });

  it('re-queues the session when its pull requests arrive, and not when nothing it syncs changed', async () => {
    const store = await Store.open(db, 'node:sqlite');
    try {
      const lookup = { repo: 'acme/widgets', sha: sha.inside!, etag: null };
      store.codeContext.savePulls(
        lookup,
        JSON.stringify([
          {
            number: 42,
            title: 'Ship it',
            state: 'open',
            url: 'https://github.com/acme/widgets/pull/42',
            mergedAt: null,
          },
        ]),
        '"etag-1"',
        Date.now(),
      );
      assert.equal(Number(queued(store)), 1, 'the new pull request queued the session');
      await drain(store);
      assert.deepEqual(serverRow().git_pull_requests, [
        { number: 42, state: 'open', url: 'https://github.com/acme/widgets/pull/42' },
      ]);
      assert.ok(!JSON.stringify(server.requests.map((r) => r.body)).includes('Ship it'), 'titles stay local');

      // the same answer again (a revalidation without 304) and the same git context again: nothing to send
      const posts = sessionPosts();
      store.codeContext.savePulls(
        lookup,
        JSON.stringify([
          {
            number: 42,
            title: 'Ship it',
            state: 'open',
            url: 'https://github.com/acme/widgets/pull/42',
            mergedAt: null,
          },
        ]),
        '"etag-2"',
        Date.now(),
      );
      store.db.exec('UPDATE session_git SET window_first_ts = 0'); // due again: recomputed, unchanged
      const again = await runCct(['scan', '--root', join(root, 'claude'), '--db', db, '--serial', '--json'], ENV);
      assert.equal(again.code, 0, again.err);
      assert.equal(Number(queued(store)), 0, 'unchanged code context queues nothing');
      await drain(store);
      assert.equal(sessionPosts(), posts);

      // a commit amended during the session changes HEAD and the shas: queued again, the new shas arrive
      git(repo, ['commit', '-q', '--amend', '-m', 'inside, amended'], {
        author: '2026-11-02T10:00:01Z',
        committer: '2026-11-02T10:00:02Z',
      });
      const amended = git(repo, ['rev-parse', 'HEAD']);
      store.db.exec('UPDATE session_git SET window_first_ts = 0');
      const third = await runCct(['scan', '--root', join(root, 'claude'), '--db', db, '--serial', '--json'], ENV);
      assert.equal(third.code, 0, third.err);
      assert.equal(Number(queued(store)), 1, 'the changed code context queued the session');
      await drain(store);
      assert.deepEqual(serverRow().git_commit_shas, [amended]);
      assert.equal(serverRow().git_head_end, amended);
    } finally {
      store.close();
    }
  });

  it('a re-mask that masks the remote queues the session again, and the masked remote replaces the plain one', async () => {
    const rules = join(root, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify([{ id: 'product', category: 'codename', keywords: ['widgets'], pattern: 'widgets' }]),
    );
    const r = await runCct(['remask', '--db', db, '--rules', rules], ENV);
    assert.equal(r.code, 0, r.err);
    const store = await Store.open(db, 'node:sqlite');
    try {
      assert.equal(Number(queued(store)), 1, 'the re-masked git remote queued the session');
      await drain(store);
      const remote = serverRow().git_remote_url ?? '';
      assert.ok(!remote.includes('widgets') && /REDACTED:codename/.test(remote), remote);
    } finally {
      store.close();
    }
  });
});
