/**
 * The scan worker asks its host for each repository's history (the editor answers from VS Code's Git extension,
 * gitExtensionHistory.ts) and reads the git CLI itself where the host has no answer (null). Real worker thread,
 * real repository; the host here answers with what it was asked about, read by the CLI reader, or null.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HistoryLookup, readRepoHistory } from '../../../src/infra/git/repoContext';
import { Store } from '../../../src/infra/sqlite/store';
import { runScanInWorker } from '../../../src/infra/worker/runScanInWorker';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, transcript } from './transcriptLines';

const SID = 'c0de0300-0000-4000-8000-000000000001';
const KEY = 'host-git-key-0123456789abcdef0123';

describe('git history from the host (the editor’s Git extension), the CLI as fallback', function () {
  this.timeout(60_000);
  let root: string;
  let claude: string;
  let repo: string;
  let sha: string;

  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-hostgit-')));
    claude = join(root, 'claude');
    repo = join(root, 'repo');
    initRepo(repo, 'feature/host');
    git(repo, ['remote', 'add', 'origin', 'https://user:tok3n@example.com/acme/w.git']);
    commitFile(repo, 'a.txt', 1, 'before', { author: '2026-11-01T09:00:00Z' });
    sha = commitFile(repo, 'a.txt', 2, 'during', { author: '2026-11-01T10:00:01Z' });
    const dir = join(claude, 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SID}.jsonl`),
      transcript({
        sessionId: SID,
        cwd: repo,
        gitBranch: 'feature/host',
        start: '2026-11-01T10:00:00.000Z',
        prompt: 'go',
        tools: [{ name: 'Write', input: { file_path: join(repo, 'a.txt'), content: 'x' } }],
      }),
    );
  });
  after(() => process.env.KEEP_TMP || rmSync(root, { recursive: true, force: true }));

  const scan = async (
    db: string,
    host: (cwd: string, hint: string | null, since: number) => Promise<HistoryLookup | null>,
  ) => {
    const r = await runScanInWorker({ dbPath: db, roots: [claude], hmacKey: KEY }, undefined, {}, { gitHistory: host })
      .result;
    assert.equal(r.status, 'done');
    const s = await Store.open(db, 'node:sqlite');
    try {
      return s.codeContext.gitJsonBySession().get(SID)!;
    } finally {
      s.close();
    }
  };

  it('asks the host with the session’s folder, branch and window start, and stores its answer', async () => {
    const asked: [string, string | null, number][] = [];
    const g = await scan(join(root, 'host.db'), async (cwd, hint, since) => {
      asked.push([cwd, hint, since]);
      const h = await readRepoHistory(cwd, hint, since);
      // the host's own view of the branch name, to see that its answer is the one stored
      return h.kind === 'repo' ? { ...h, history: { ...h.history, branch: 'feature/host (from the host)' } } : h;
    });
    assert.deepEqual(asked, [[repo, 'feature/host', Date.parse('2026-11-01T10:00:00.000Z')]]);
    assert.equal(g.branch, 'feature/host (from the host)');
    assert.deepEqual(
      g.commits.map((c) => c.sha),
      [sha],
    );
  });

  it('reads the git CLI itself when the host has no answer (Git extension disabled, or repository not open)', async () => {
    let asked = 0;
    const g = await scan(join(root, 'cli.db'), async () => {
      asked++;
      return null;
    });
    assert.equal(asked, 1);
    assert.equal(g.branch, 'feature/host');
    assert.equal(g.remoteUrl, 'https://example.com/acme/w.git');
    assert.deepEqual(
      g.commits.map((c) => c.sha),
      [sha],
    );
  });
});
