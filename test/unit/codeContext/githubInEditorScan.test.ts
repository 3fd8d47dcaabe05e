/**
 * The editor's scan worker looks pull requests up only when the extension hands it a GitHub lookup
 * (claudeTracer.github.enabled and a VS Code GitHub session, githubAuth.ts): off by default, no request at all; on,
 * the token goes in the Authorization header to the configured API (here a local server speaking GitHub's REST
 * format, as a GitHub Enterprise Server would be) and the pull requests land in the store.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubTarget } from '../../../src/core/codeContext/githubTarget';
import { Store } from '../../../src/infra/sqlite/store';
import { runScanInWorker } from '../../../src/infra/worker/runScanInWorker';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, transcript } from './transcriptLines';

const TOKEN = 'gho_EditorSessionToken0123456789abcdefAB';
const SID = 'c0de0200-0000-4000-8000-000000000001';
const KEY = 'github-editor-key-0123456789abcdef';

describe('GitHub pull requests in the editor scan (opt-in, VS Code GitHub session)', function () {
  this.timeout(60_000);
  let root: string;
  let claude: string;
  let server: Server;
  let api: string;
  let sha: string;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', etag: '"e1"' });
      res.end(
        JSON.stringify([
          { number: 12, title: 'Faster widgets', state: 'open', html_url: 'https://ghe.example.com/acme/w/pull/12' },
        ]),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-gh-editor-')));
    claude = join(root, 'claude');
    const repo = join(root, 'repo');
    initRepo(repo, 'main');
    git(repo, ['remote', 'add', 'origin', 'git@ghe.example.com:acme/w.git']);
    sha = commitFile(repo, 'a.txt', 2, 'change', { author: '2026-11-01T10:00:01Z' });
    const dir = join(claude, 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SID}.jsonl`),
      transcript({
        sessionId: SID,
        cwd: repo,
        gitBranch: 'main',
        start: '2026-11-01T10:00:00.000Z',
        prompt: 'go',
        tools: [{ name: 'Write', input: { file_path: join(repo, 'a.txt'), content: 'x' } }],
      }),
    );
  });
  after(() => {
    server.close();
    if (!process.env.KEEP_TMP) rmSync(root, { recursive: true, force: true });
  });

  const scan = async (dbPath: string, github?: { apiBaseUrl: string; webHosts: string[]; token: string }) => {
    const r = await runScanInWorker({ dbPath, roots: [claude], hmacKey: KEY, github }).result;
    assert.equal(r.status, 'done');
    const s = await Store.open(dbPath, 'node:sqlite');
    try {
      return s.codeContext.gitJsonBySession().get(SID)!;
    } finally {
      s.close();
    }
  };

  it('off (no lookup handed over): the git context is there, GitHub is never asked', async () => {
    const g = await scan(join(root, 'off.db'));
    assert.deepEqual(
      g.commits.map((c) => c.sha),
      [sha],
    );
    assert.deepEqual(g.pullRequests, []);
    assert.equal(seen.length, 0);
  });

  it('on: the Enterprise host counts as GitHub, the token is sent as a Bearer header, the pull request is stored', async () => {
    const target = githubTarget('https://ghe.example.com');
    assert.ok(!('error' in target));
    const g = await scan(join(root, 'on.db'), { apiBaseUrl: api, webHosts: target.webHosts, token: TOKEN });
    assert.deepEqual(
      seen.map((r) => [r.path, r.headers.authorization]),
      [[`/repos/acme/w/commits/${sha}/pulls`, `Bearer ${TOKEN}`]],
    );
    assert.deepEqual(
      g.pullRequests.map((p) => [p.number, p.title, p.state]),
      [[12, 'Faster widgets', 'open']],
    );
  });
});
