/**
 * Rebased, amended and cherry-picked commits (issue 13): when a recorded sha is no longer on the session's branch,
 * the commit that carries the same change (git patch-id --stable) in the session's window replaces it, recorded
 * with the sha it replaced and how it was matched. Real repositories in temp dirs, real store, real git.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchRewritten } from '../../../src/core/codeContext/rewrittenCommits';
import { createPrivacyGuard } from '../../../src/core/privacy/privacyGuard';
import { refreshCodeContext } from '../../../src/infra/git/refreshCodeContext';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, transcript } from './transcriptLines';

const ENV = { CCT_HMAC_KEY: 'rewritten-commits-key-0123456789ab' };

describe('matchRewritten (patch-id)', () => {
  it('maps a vanished commit to the fresh one with its patch id, once, never to a commit still recorded', () => {
    const m = matchRewritten(
      [
        { sha: 'old1', patchId: 'p1' },
        { sha: 'kept', patchId: 'p2' },
        { sha: 'old3', patchId: 'p3' },
        { sha: 'noid', patchId: null },
      ],
      [
        { sha: 'kept', patchId: 'p2' },
        { sha: 'new1', patchId: 'p1' },
        { sha: 'new1b', patchId: 'p1' },
        { sha: 'new4', patchId: null },
      ],
    );
    assert.deepEqual([...m], [['new1', 'old1']]);
  });
});

describe('rewritten commits are found again by patch-id (real git)', function () {
  this.timeout(60_000);
  let root: string;
  const masker = createPrivacyGuard({ level: 'standard', hmacKey: ENV.CCT_HMAC_KEY });

  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-rewrite-')));
  });
  after(() => process.env.KEEP_TMP || rmSync(root, { recursive: true, force: true }));

  /** A repo on `branch` with a base commit before the window; a session there 10:00:00..10:00:02 UTC. */
  const setup = async (name: string, branch: string) => {
    const repo = join(root, name);
    initRepo(repo, 'main');
    const base = commitFile(repo, 'base.txt', 1, 'base', { author: '2026-11-05T09:00:00Z' });
    if (branch !== 'main') git(repo, ['checkout', '-q', '-b', branch]);
    const claude = join(root, `${name}-claude`);
    const sessionId = `5e55${name
      .padEnd(4, '0')
      .slice(0, 4)
      .replace(/[^0-9a-f]/g, 'a')}-0000-4000-8000-000000000001`;
    const dir = join(claude, 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${sessionId}.jsonl`),
      transcript({
        sessionId,
        cwd: repo,
        gitBranch: branch,
        start: '2026-11-05T10:00:00.000Z',
        prompt: 'change things',
        tools: [{ name: 'Write', input: { file_path: join(repo, 'x.txt'), content: 'x' } }],
      }),
    );
    const db = join(root, `${name}.db`);
    return { repo, base, claude, sessionId, db };
  };
  const scan = async (claude: string, db: string) => {
    const r = await runCct(['scan', '--root', claude, '--db', db, '--serial', '--json'], ENV);
    assert.equal(r.code, 0, r.err);
  };
  /** The rewrite check, due now (a finished session whose window did not change; fixture dates are in the past). */
  const recheck = async (db: string) => {
    const store = await Store.open(db, 'node:sqlite');
    try {
      const report = await refreshCodeContext(store, masker, ['github.com'], {
        rewriteCheckEveryMs: 0,
        rewriteHorizonMs: Date.now() - Date.parse('2026-11-01T00:00:00Z'),
      });
      return { report, git: store.codeContext.gitJsonBySession() };
    } finally {
      store.close();
    }
  };

  it('a rebase onto a newer main: the rebased commit replaces the recorded one, matched by patch-id', async () => {
    const s = await setup('rebase', 'topic');
    const original = commitFile(s.repo, 'feature.ts', 4, 'the feature', { author: '2026-11-05T10:00:01Z' });
    await scan(s.claude, s.db);
    git(s.repo, ['checkout', '-q', 'main']);
    commitFile(s.repo, 'other.ts', 2, 'meanwhile on main', { author: '2026-11-05T12:00:00Z' });
    git(s.repo, ['checkout', '-q', 'topic']);
    git(s.repo, ['rebase', '-q', 'main'], { author: '2026-11-05T10:00:01Z', committer: '2026-11-05T13:00:00Z' });
    const rebased = git(s.repo, ['rev-parse', 'HEAD']);
    assert.notEqual(rebased, original);

    const { report, git: all } = await recheck(s.db);
    assert.equal(report.sessions, 0, 'the session itself did not change');
    assert.equal(report.rechecked, 1);
    assert.equal(report.rewritten, 1);
    const g = all.get(s.sessionId)!;
    assert.deepEqual(
      g.commits.map((c) => [c.sha, c.subject, c.previousSha, c.matchedBy]),
      [[rebased, 'the feature', original, 'patch-id']],
    );
    // a second check finds nothing to do and keeps the match
    const again = await recheck(s.db);
    assert.equal(again.report.rechecked, 0);
    assert.equal(again.git.get(s.sessionId)!.commits[0]!.previousSha, original);
  });

  it('an amend that only rewords the message is matched; one that changes the content is not (no wrong link)', async () => {
    const s = await setup('amend', 'main');
    const first = commitFile(s.repo, 'a.ts', 3, 'first', { author: '2026-11-05T10:00:01Z' });
    await scan(s.claude, s.db);
    git(s.repo, ['commit', '-q', '--amend', '-m', 'first, reworded'], {
      author: '2026-11-05T10:00:01Z',
      committer: '2026-11-05T14:00:00Z',
    });
    const reworded = git(s.repo, ['rev-parse', 'HEAD']);
    let r = await recheck(s.db);
    assert.deepEqual(
      r.git.get(s.sessionId)!.commits.map((c) => [c.sha, c.subject, c.previousSha, c.matchedBy]),
      [[reworded, 'first, reworded', first, 'patch-id']],
    );
    // now change what the commit does
    writeFileSync(join(s.repo, 'a.ts'), 'something else entirely\n');
    git(s.repo, ['add', 'a.ts']);
    git(s.repo, ['commit', '-q', '--amend', '-m', 'first, rewritten'], {
      author: '2026-11-05T10:00:01Z',
      committer: '2026-11-05T15:00:00Z',
    });
    const rewritten = git(s.repo, ['rev-parse', 'HEAD']);
    r = await recheck(s.db);
    assert.equal(r.report.rechecked, 1);
    assert.equal(r.report.rewritten, 0);
    const c = r.git.get(s.sessionId)!.commits;
    assert.deepEqual(
      c.map((k) => [k.sha, k.previousSha ?? null]),
      [[rewritten, null]],
      'the commit of the window is listed, without a link to a different change',
    );
  });

  it('a cherry-pick onto a reset branch is matched; a deleted branch keeps its history as recorded', async () => {
    const s = await setup('pick', 'work');
    const picked = commitFile(s.repo, 'p.ts', 5, 'pick me', { author: '2026-11-05T10:00:02Z' });
    await scan(s.claude, s.db);
    git(s.repo, ['reset', '-q', '--hard', s.base]);
    commitFile(s.repo, 'q.ts', 1, 'new base', { author: '2026-11-05T11:00:00Z' });
    git(s.repo, ['cherry-pick', picked], { author: '2026-11-05T10:00:02Z', committer: '2026-11-05T16:00:00Z' });
    const copy = git(s.repo, ['rev-parse', 'HEAD']);
    const r = await recheck(s.db);
    assert.deepEqual(
      r.git.get(s.sessionId)!.commits.map((c) => [c.sha, c.previousSha, c.matchedBy]),
      [[copy, picked, 'patch-id']],
    );

    // merged and deleted: the history is not replaced by HEAD's commits
    git(s.repo, ['checkout', '-q', 'main']);
    git(s.repo, ['branch', '-q', '-D', 'work']);
    const after = await recheck(s.db);
    assert.equal(after.report.rechecked, 0);
    assert.deepEqual(
      after.git.get(s.sessionId)!.commits.map((c) => c.sha),
      [copy],
    );
  });
});
