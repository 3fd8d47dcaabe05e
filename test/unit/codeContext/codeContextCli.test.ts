import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, type SessionScript, transcript } from './transcriptLines';

const MAIL = 'alice.tanaka@acmecorp.io';
const ENV = { CCT_HMAC_KEY: 'code-context-test-key-0123456789' };
const cct = (argv: string[]) => runCct(argv, ENV);

const S = {
  main: 'c0de0001-0000-4000-8000-000000000001',
  worktree: 'c0de0002-0000-4000-8000-000000000002',
  detached: 'c0de0003-0000-4000-8000-000000000003',
  gone: 'c0de0004-0000-4000-8000-000000000004',
  plain: 'c0de0005-0000-4000-8000-000000000005',
  nowhere: 'c0de0006-0000-4000-8000-000000000006',
  later: 'c0de0007-0000-4000-8000-000000000007',
  maskedPath: 'c0de0008-0000-4000-8000-000000000008',
};

interface GitField {
  repoRoot: string;
  worktree: string | null;
  remoteUrl: string | null;
  branch: string | null;
  headStart: string | null;
  headEnd: string | null;
  commits: { sha: string; subject: string; authoredAt: string }[];
  filesTouched: string[];
  linesAdded: number;
  linesRemoved: number;
  claudeLinesAdded: number | null;
  claudeLinesRemoved: number | null;
  missing: boolean;
  pullRequests: unknown[];
}

describe('code context: cct files and the git field of cct sessions --json (issue 13)', function () {
  this.timeout(60_000);
  let root: string;
  let claude: string;
  let db: string;
  const sha: Record<string, string> = {};

  const writeSession = (s: SessionScript) => {
    const dir = join(claude, 'projects', encodeCwd(s.cwd));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${s.sessionId}.jsonl`), transcript(s), { flag: 'a' });
  };
  const sessionsJson = async () => {
    const r = await cct(['sessions', '--db', db, '--json']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { sessionId: string; git: GitField | null }[];
    return new Map(rows.map((x) => [x.sessionId, x.git]));
  };

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-codectx-')));
    claude = join(root, 'claude');
    db = join(root, 'store.db');
    // main repository, on feature/ctx, session window 2026-11-01 10:00:00 .. 10:00:07 UTC
    const main = join(root, 'main');
    initRepo(main, 'feature/ctx');
    git(main, ['remote', 'add', 'origin', 'https://alice:ghp_TOPSECRETtoken123@github.com/acme/widgets.git']);
    sha.before = commitFile(main, 'src/app.ts', 3, 'before the session', { author: '2026-11-01T09:00:00Z' });
    sha.inside = commitFile(main, 'src/app.ts', 5, 'made during the session', { author: '2026-11-01T10:00:03Z' });
    // authored long before, committed (rebased / amended) during the session: committer time in the window
    sha.rebased = commitFile(main, 'lib/old.ts', 2, 'rebased during the session', {
      author: '2026-10-01T08:00:00Z',
      committer: '2026-11-01T10:00:04Z',
    });
    sha.after = commitFile(main, 'src/later.ts', 1, 'after the session', { author: '2026-11-01T11:00:00Z' });
    // a linked worktree on its own branch
    const wt = join(root, 'wt');
    git(main, ['worktree', 'add', '-q', '-b', 'wt-branch', wt, sha.before]);
    sha.wt = commitFile(wt, 'wt.txt', 4, 'worktree commit', { author: '2026-11-01T10:00:02Z' });
    // a detached HEAD
    const det = join(root, 'det');
    initRepo(det, 'main');
    commitFile(det, 'a.txt', 1, 'det one', { author: '2026-11-01T09:00:00Z' });
    sha.det = commitFile(det, 'a.txt', 2, 'det two', { author: '2026-11-01T10:00:02Z' });
    git(det, ['checkout', '-q', '--detach']);
    // a repository that will be deleted, a plain folder, and a symlink into the main repository
    const gone = join(root, 'gone');
    initRepo(gone, 'main');
    sha.gone = commitFile(gone, 'g.txt', 1, 'gone commit', { author: '2026-11-01T10:00:01Z' });
    mkdirSync(join(root, 'plain'));
    symlinkSync(main, join(root, 'link'));

    const start = '2026-11-01T10:00:00.000Z';
    writeSession({
      sessionId: S.main,
      cwd: main,
      gitBranch: 'feature/ctx',
      start,
      prompt: 'refactor the app',
      tools: [
        { name: 'Edit', input: { file_path: join(root, 'link', 'src', 'app.ts'), old_string: 'a', new_string: 'b' } },
        { name: 'Write', input: { file_path: join(main, 'docs', 'new.md'), content: '# new' } },
        { name: 'Bash', input: { command: 'touch notes.txt', description: 'make notes' } },
        { name: 'Read', input: { file_path: join(main, 'README.md') } },
      ],
      linesAdded: 12,
      linesRemoved: 3,
    });
    writeSession({
      sessionId: S.worktree,
      cwd: wt,
      gitBranch: 'wt-branch',
      start,
      prompt: 'work in the worktree',
      tools: [{ name: 'Write', input: { file_path: join(wt, 'wt.txt'), content: 'x' } }],
    });
    // one tool call each: the window runs from the prompt (10:00:00) to its result (10:00:02)
    const read = [{ name: 'Read', input: { file_path: '/dev/null' } }];
    writeSession({ sessionId: S.detached, cwd: det, gitBranch: 'HEAD', start, prompt: 'detached', tools: read });
    writeSession({ sessionId: S.gone, cwd: gone, gitBranch: 'main', start, prompt: 'soon gone', tools: read });
    writeSession({ sessionId: S.plain, cwd: join(root, 'plain'), gitBranch: '', start, prompt: 'no repo', tools: [] });
    writeSession({
      sessionId: S.nowhere,
      cwd: join(root, 'never-existed'),
      gitBranch: 'main',
      start,
      prompt: 'nowhere',
      tools: [],
    });
    // an e-mail address in a folder name: stored masked
    writeSession({
      sessionId: S.maskedPath,
      cwd: join(root, 'plain'),
      gitBranch: '',
      start,
      prompt: 'configure',
      tools: [{ name: 'Write', input: { file_path: join(root, 'plain', MAIL, 'cfg.ts'), content: 'x' } }],
    });
    const r = await cct(['scan', '--root', claude, '--db', db, '--serial', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { codeContext: { sessions: number; inRepo: number; missing: number } };
    assert.deepEqual(
      { sessions: out.codeContext.sessions, inRepo: out.codeContext.inRepo, missing: out.codeContext.missing },
      { sessions: 7, inRepo: 4, missing: 1 },
    );
  });

  after(() => process.env.KEEP_TMP || rmSync(root, { recursive: true, force: true }));

  it('cct files lists the session, time, tool and turn that touched a file, by its real path or through a symlink', async () => {
    for (const query of [join(root, 'main', 'src', 'app.ts'), join(root, 'link', 'src', 'app.ts')]) {
      const r = await cct(['files', query, '--db', db, '--json']);
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as {
        path: string;
        touches: {
          sessionId: string;
          tool: string;
          time: string;
          turnId: string;
          timelineTurnId: string;
          prompt: string;
          relPath: string;
        }[];
      };
      assert.equal(out.path, join(root, 'main', 'src', 'app.ts'));
      assert.deepEqual(
        out.touches.map((t) => [t.sessionId, t.tool, t.time, t.turnId, t.timelineTurnId, t.prompt, t.relPath]),
        [
          [
            S.main,
            'Edit',
            '2026-11-01T10:00:01.000Z',
            `p:${S.main.slice(0, 8)}-0000-4000-8000-000000000000`,
            // the dashboard's timeline entry of the response that made the call (claudeTracer.openSession turnId)
            `r:msg_${S.main.slice(0, 8)}_0:req_${S.main.slice(0, 8)}_0`,
            'refactor the app',
            'src/app.ts',
          ],
        ],
      );
    }
    // a relative Bash path is resolved against the session's cwd; Read touches nothing
    const notes = JSON.parse((await cct(['files', join(root, 'main', 'notes.txt'), '--db', db, '--json'])).out);
    assert.deepEqual(
      notes.touches.map((t: { tool: string }) => t.tool),
      ['Bash'],
    );
    const readme = JSON.parse((await cct(['files', join(root, 'main', 'README.md'), '--db', db, '--json'])).out);
    assert.deepEqual(readme.touches, []);
    const table = await cct(['files', join(root, 'main', 'docs', 'new.md'), '--db', db]);
    assert.match(table.out, /c0de0001 +Write/);
    assert.match(table.out, /refactor the app/);
    assert.equal((await cct(['files', '--db', db])).code, 2);
  });

  it('cct files finds a file whose stored path is masked, by its plain path', async () => {
    const r = await cct(['files', join(root, 'plain', MAIL, 'cfg.ts'), '--db', db, '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { touches: { sessionId: string; path: string }[] };
    assert.deepEqual(
      out.touches.map((t) => t.sessionId),
      [S.maskedPath],
    );
    assert.ok(!out.touches[0]!.path.includes(MAIL), 'the stored path is masked');
  });

  it('git: root, masked remote without credentials, branch, HEAD at start and end, commits by author or committer time, lines', async () => {
    const g = (await sessionsJson()).get(S.main)!;
    assert.ok(g, 'the main session has a git field');
    assert.equal(g.repoRoot, join(root, 'main'));
    assert.equal(g.worktree, null);
    assert.equal(g.remoteUrl, 'https://github.com/acme/widgets.git');
    assert.equal(g.branch, 'feature/ctx');
    assert.equal(g.headStart, sha.before);
    assert.equal(g.headEnd, sha.rebased);
    assert.deepEqual(
      g.commits.map((c) => [c.sha, c.subject]),
      [
        [sha.inside, 'made during the session'],
        [sha.rebased, 'rebased during the session'],
      ],
    );
    assert.equal(g.commits[0]!.authoredAt, '2026-11-01T10:00:03Z'.replace('Z', '+00:00'));
    // git's own numstat of the in-window commit, plus the 2 new lines of the rebased one
    const [added = '', removed = ''] = git(join(root, 'main'), ['show', '--numstat', '--format=', sha.inside!]).split(
      '\t',
    );
    assert.equal(g.linesAdded, Number(added) + 2);
    assert.equal(g.linesRemoved, Number(removed));
    assert.equal(g.claudeLinesAdded, 12);
    assert.equal(g.claudeLinesRemoved, 3);
    assert.deepEqual(g.filesTouched, ['docs/new.md', 'notes.txt', 'src/app.ts']);
    assert.deepEqual(g.pullRequests, []);
    assert.equal(g.missing, false);
  });

  it('git: a linked worktree, a detached HEAD, no repository, a folder that never existed', async () => {
    const all = await sessionsJson();
    const w = all.get(S.worktree)!;
    assert.equal(w.repoRoot, join(root, 'wt'));
    assert.equal(w.worktree, join(root, 'wt'));
    assert.equal(w.branch, 'wt-branch');
    assert.deepEqual(
      w.commits.map((c) => c.sha),
      [sha.wt],
    );
    assert.deepEqual(w.filesTouched, ['wt.txt']);
    const d = all.get(S.detached)!;
    assert.equal(d.branch, null);
    assert.deepEqual(
      d.commits.map((c) => c.sha),
      [sha.det],
    );
    assert.equal(all.get(S.plain), null);
    assert.equal(all.get(S.nowhere), null);
  });

  it('the credentials of the remote are stored nowhere', async () => {
    const s = await Store.open(db, 'node:sqlite');
    try {
      const hits = s.db.prepare("SELECT count(*) AS n FROM session_git WHERE remote_url LIKE '%TOPSECRET%'").get();
      assert.equal(Number(hits!.n), 0);
    } finally {
      s.close();
    }
  });

  it('a repository deleted later is marked missing and keeps its history; unchanged sessions are not looked up again', async () => {
    const first = (await sessionsJson()).get(S.gone)!;
    assert.deepEqual(
      first.commits.map((c) => c.sha),
      [sha.gone],
    );
    rmSync(join(root, 'gone'), { recursive: true, force: true });
    writeSession({
      sessionId: S.later,
      cwd: join(root, 'main'),
      gitBranch: 'feature/ctx',
      start: '2026-11-01T10:59:59.000Z',
      prompt: 'a later session', // its window (10:59:59 .. 11:00:01) holds the 11:00 commit
      tools: [{ name: 'Read', input: { file_path: '/dev/null' } }],
    });
    const r = await cct(['scan', '--root', claude, '--db', db, '--serial', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { codeContext: { sessions: number; vanished: number } };
    assert.equal(out.codeContext.sessions, 1, 'only the new session is looked up');
    assert.equal(out.codeContext.vanished, 1);
    const all = await sessionsJson();
    const gone = all.get(S.gone)!;
    assert.equal(gone.missing, true);
    assert.deepEqual(gone.commits, first.commits);
    assert.deepEqual(
      all.get(S.later)!.commits.map((c) => c.sha),
      [sha.after],
    );
  });

  it('a re-mask under a new rule masks the touched paths and the git context again', async () => {
    const rules = join(root, 'rules.json');
    // a rule on the subject of a commit and on a folder name in touched paths
    writeFileSync(
      rules,
      JSON.stringify([{ id: 'docs', category: 'codename', keywords: ['docs', 'rebased'], pattern: '(docs|rebased)' }]),
    );
    const r = await runCct(['remask', '--db', db, '--rules', rules], ENV);
    assert.equal(r.code, 0, r.err);
    const files = JSON.parse((await cct(['files', join(root, 'main', 'docs', 'new.md'), '--db', db, '--json'])).out);
    assert.deepEqual(files.touches, [], 'the plain path no longer matches: the stored one is masked now');
    const g = (await sessionsJson()).get(S.main)!;
    assert.ok(
      g.filesTouched.some((f) => /^\[REDACTED:codename:[0-9a-f]+\]\/new\.md$/.test(f)),
      g.filesTouched.join(),
    );
    assert.ok(!g.filesTouched.some((f) => f.includes('docs/')));
    const subjects = g.commits.map((c) => c.subject);
    assert.ok(
      subjects.every((x) => !x.includes('rebased')),
      subjects.join(),
    );
    assert.deepEqual(
      g.commits.map((c) => c.sha),
      [sha.inside, sha.rebased],
      'shas stay as git wrote them',
    );
  });

  it('tool calls stored before schema v9 are back-filled into session_files once, at the next open', async () => {
    let s = await Store.open(db, 'node:sqlite');
    const before = s.db.prepare('SELECT tool_call_id, path, path_key, tool FROM session_files ORDER BY 1, 2').all();
    assert.ok(before.length >= 4);
    s.db.exec("DELETE FROM session_files; INSERT INTO meta(key, value) VALUES ('session_files_backfill', '0')");
    s.close();
    s = await Store.open(db, 'node:sqlite');
    try {
      const after = s.db.prepare('SELECT tool_call_id, path, path_key, tool FROM session_files ORDER BY 1, 2').all();
      assert.deepEqual(after, before);
      assert.equal(s.db.prepare("SELECT 1 FROM meta WHERE key = 'session_files_backfill'").get(), undefined);
    } finally {
      s.close();
    }
  });
});
