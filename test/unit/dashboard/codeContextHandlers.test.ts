import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';
import { sessionCodeContext, sessionOpenPullRequest } from '../../../src/shared/protocol';
import { openablePullUrl, registerCodeContextHandlers } from '../../../src/vscode/dashboard/codeContextHandlers';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import type { Logger } from '../../../src/vscode/logger';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as unknown as Logger;
const TOOLS = 'cc7f0000-0000-4000-8000-000000000001';
const FAIL = 'cc7f0000-0000-4000-8000-000000000004';
const PR = 'https://github.com/acme/widgets/pull/42';

describe('dashboard code context (session/codeContext, session/openPullRequest) over a real store', function () {
  this.timeout(60_000);
  let dir: string;
  let store: DashboardStore;
  let router: RequestRouter;
  const opened: string[] = [];
  let id = 1;
  const call = (method: string, params: unknown) => router.dispatch({ type: 'request', id: id++, method, params });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-git-'));
    (await fixtureStore(dir, 'node:sqlite')).close();
    // The git context as refreshCodeContext stores it (saveGitContext), and one looked-up pull request.
    const s = await Store.open(path.join(dir, 'store.db'), 'node:sqlite');
    s.codeContext.saveGitContext(
      { sessionId: TOOLS, projectPath: '/tmp/cct-fixture-home/work/alpha', gitBranch: 'main', firstTs: 0, lastTs: 0 },
      {
        repoRoot: '/tmp/cct-fixture-home/work/alpha',
        worktree: null,
        remoteUrl: 'https://github.com/acme/widgets.git',
        branch: 'main',
        headStart: 'a'.repeat(40),
        headEnd: 'b'.repeat(40),
        commits: [{ sha: 'b'.repeat(40), subject: 'Fix the widget', authoredAt: '2026-11-28T10:00:00Z' }],
        linesAdded: 12,
        linesRemoved: 3,
        missing: false,
        githubRepo: 'acme/widgets',
      } as never,
    );
    s.codeContext.savePulls(
      { repo: 'acme/widgets', sha: 'b'.repeat(40), etag: null },
      JSON.stringify([{ number: 42, title: 'Widgets', state: 'open', url: PR, mergedAt: null }]),
      null,
      Date.now(),
    );
    s.close();
    store = new DashboardStore(path.join(dir, 'store.db'), quiet);
    router = new RequestRouter({ warn() {}, error() {}, debug() {} });
    registerCodeContextHandlers(router, {
      store,
      openExternal: async (url) => {
        opened.push(url);
        return true;
      },
      githubHosts: () => ['github.com'],
    });
  });
  after(() => {
    store?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the repository, branch, HEADs, commits, pull requests and touched files of a session', async () => {
    const r = await call(sessionCodeContext.name, { sessionId: TOOLS });
    assert.ok(r.ok, JSON.stringify(r));
    const { git, files } = sessionCodeContext.result.parse(r.result);
    assert.equal(git?.repository, 'https://github.com/acme/widgets.git');
    assert.equal(git?.branch, 'main');
    assert.equal(git?.headEnd, 'b'.repeat(40));
    assert.deepEqual(
      git?.commits.map((c) => c.subject),
      ['Fix the widget'],
    );
    assert.deepEqual(
      git?.pullRequests.map((p) => [p.number, p.url]),
      [[42, PR]],
    );
    assert.equal(git?.linesAdded, 12);
    assert.ok(Array.isArray(files));
  });

  it('says "no repository" (git null) for a session outside one, and notFound for an unknown id', async () => {
    const r = await call(sessionCodeContext.name, { sessionId: FAIL });
    assert.ok(r.ok);
    assert.equal(sessionCodeContext.result.parse(r.result).git, null);
    const unknown = await call(sessionCodeContext.name, { sessionId: 'nope' });
    assert.equal(!unknown.ok && unknown.error.code, 'notFound');
  });

  it("opens only this session's pull request URLs, https, on an allowed GitHub host", async () => {
    const ok = await call(sessionOpenPullRequest.name, { sessionId: TOOLS, url: PR });
    assert.deepEqual(ok.ok && ok.result, { opened: true });
    assert.deepEqual(opened, [PR]);
    for (const [sessionId, url] of [
      [TOOLS, 'https://github.com/acme/widgets/pull/43'], // not one of its pull requests
      [FAIL, PR], // another session's
      [TOOLS, 'javascript:alert(1)'],
      [TOOLS, 'not a url'],
    ]) {
      const r = await call(sessionOpenPullRequest.name, { sessionId, url });
      assert.equal(!r.ok && r.error.code, 'invalidParams', url);
    }
    assert.equal(opened.length, 1);
  });

  it('openablePullUrl refuses http, other hosts and credentials in the URL', () => {
    const hosts = ['github.com', 'ghe.example'];
    assert.equal(openablePullUrl(PR, [PR], hosts), PR);
    for (const bad of [
      'http://github.com/acme/widgets/pull/42',
      'https://evil.example/acme/widgets/pull/42',
      'https://user:pw@github.com/acme/widgets/pull/42',
    ])
      assert.equal(openablePullUrl(bad, [bad], hosts), undefined, bad);
    const ghe = 'https://ghe.example/acme/widgets/pull/1';
    assert.equal(openablePullUrl(ghe, [ghe], hosts), ghe);
    assert.equal(openablePullUrl(ghe, [ghe], ['github.com']), undefined);
  });
});
