/**
 * Code context end to end on the db tier's real PostgreSQL (issue 13): a real git repository whose remote carries a
 * token, `cct scan` into a real store, its outbox drained by SyncEngine → supabase-js → PostgREST's SQL. The
 * remote arrives without the token, with branch, HEADs, commit shas and pull requests; another user reads none of it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { SqliteOutbox } from '../../../src/infra/sqlite/sqliteOutbox';
import { Store } from '../../../src/infra/sqlite/store';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { runCct } from '../../helpers/cct';
import { commitFile, git, initRepo } from '../../unit/codeContext/gitFixture';
import { encodeCwd, transcript } from '../../unit/codeContext/transcriptLines';
import { signIn } from '../../unit/sync/helpers';
import { useRealPg } from './realPgHarness';

const SESSION = 'c0de6000-0000-4000-8000-000000000001';
const TOKEN = 'ghp_E2eTopSecretToken0123456789abcdefAB';

describe('code context reaches Supabase with the session row (real PostgreSQL)', function () {
  this.timeout(120_000);
  const pg = useRealPg();
  let root: string;

  after(() => root && !process.env.KEEP_TMP && rmSync(root, { recursive: true, force: true }));

  it('remote (no token), branch, HEADs, commit shas and pull requests arrive; cost per PR; RLS keeps them private', async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-codectx-e2e-')));
    const repo = join(root, 'repo');
    initRepo(repo, 'feature/e2e');
    git(repo, ['remote', 'add', 'origin', `https://bot:${TOKEN}@github.com/acme/widgets.git`]);
    const before = commitFile(repo, 'a.ts', 1, 'before', { author: '2026-11-03T09:00:00Z' });
    const inside = commitFile(repo, 'a.ts', 2, 'inside', { author: '2026-11-03T10:00:01Z' });
    const dir = join(root, 'claude', 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SESSION}.jsonl`),
      transcript({
        sessionId: SESSION,
        cwd: repo,
        gitBranch: 'feature/e2e',
        start: '2026-11-03T10:00:00.000Z',
        prompt: 'ship it',
        tools: [{ name: 'Edit', input: { file_path: join(repo, 'a.ts'), old_string: 'a', new_string: 'b' } }],
      }),
    );
    const db = join(root, 'store.db');
    const scan = await runCct(['scan', '--root', join(root, 'claude'), '--db', db, '--serial', '--json'], {
      CCT_HMAC_KEY: 'code-context-e2e-key-0123456789ab',
    });
    assert.equal(scan.code, 0, scan.err);

    const owner = await signIn(pg.server, 'e2e-codectx@example.test');
    const store = await Store.open(db, 'node:sqlite');
    try {
      store.codeContext.savePulls(
        { repo: 'acme/widgets', sha: inside, etag: null },
        JSON.stringify([
          { number: 7, title: 'Ship', state: 'closed', url: 'https://github.com/acme/widgets/pull/7', mergedAt: null },
        ]),
        null,
        Date.now(),
      );
      const report = await new SyncEngine(new SqliteOutbox(store), new SupabaseSyncRemote(owner.client), {
        mode: 'metadata',
      }).drain();
      assert.equal(report.outcome, 'drained', report.lastError);
    } finally {
      store.close();
    }

    const row = (
      await pg.bridge.adminQuery(
        `select git_remote_url, git_branch, git_head_start, git_head_end, git_commit_shas, git_pull_requests
         from public.claude_sessions where user_id = $1 and session_id = $2`,
        [owner.userId, SESSION],
      )
    ).rows[0] as Record<string, unknown>;
    assert.deepEqual(row, {
      git_remote_url: 'https://github.com/acme/widgets.git',
      git_branch: 'feature/e2e',
      git_head_start: before,
      git_head_end: inside,
      git_commit_shas: [inside],
      git_pull_requests: [{ number: 7, state: 'closed', url: 'https://github.com/acme/widgets/pull/7' }],
    });
    const everywhere = await pg.bridge.adminQuery(
      `select count(*) n from public.claude_sessions where user_id = $1 and (git_remote_url like $2 or metadata::text like $2)`,
      [owner.userId, `%${TOKEN}%`],
    );
    assert.equal(Number(everywhere.rows[0]!.n), 0, 'the token is stored nowhere on the server');

    // the owner reads cost per pull request through the security_invoker view; another user reads nothing
    const mine = await owner.client.from('claude_pull_request_costs').select('pr_number, sessions');
    assert.equal(mine.error, null);
    assert.deepEqual(mine.data, [{ pr_number: 7, sessions: 1 }]);
    const other = await signIn(pg.server, 'e2e-codectx-other@example.test');
    const theirs = await other.client.from('claude_sessions').select('git_remote_url').eq('session_id', SESSION);
    assert.deepEqual(theirs.data, []);
    const theirCosts = await other.client.from('claude_pull_request_costs').select('pr_number');
    assert.deepEqual(theirCosts.data, []);
  });
});
