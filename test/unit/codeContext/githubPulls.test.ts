import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubRepoOf, webHostOfApi } from '../../../src/core/codeContext/githubRemote';
import { Store } from '../../../src/infra/sqlite/store';
import { runCct } from '../../helpers/cct';
import { commitFile, git, initRepo } from './gitFixture';
import { encodeCwd, transcript } from './transcriptLines';

const TOKEN = 'ghp_FixtureToken0123456789abcdefABCDEF01';
const SID = 'c0de0100-0000-4000-8000-000000000001';

describe('GitHub remotes (issue 13)', () => {
  it('reads owner/repo from https, ssh and scp-like remotes of the configured hosts only', () => {
    const hosts = ['github.com', 'ghe.example.com'];
    assert.equal(githubRepoOf('https://github.com/acme/widgets.git', hosts), 'acme/widgets');
    assert.equal(githubRepoOf('https://x:tok@github.com/acme/widgets', hosts), 'acme/widgets');
    assert.equal(githubRepoOf('ssh://git@github.com:22/acme/w.git', hosts), 'acme/w');
    assert.equal(githubRepoOf('git@github.com:acme/widgets.git', hosts), 'acme/widgets');
    assert.equal(githubRepoOf('git@GHE.example.com:team/app', hosts), 'team/app');
    assert.equal(githubRepoOf('https://gitlab.com/acme/widgets.git', hosts), undefined);
    assert.equal(githubRepoOf('https://github.com/acme/widgets/tree/x', hosts), undefined);
    assert.equal(githubRepoOf('/srv/git/widgets.git', hosts), undefined);
    assert.equal(webHostOfApi('https://api.github.com'), 'github.com');
    assert.equal(webHostOfApi('https://ghe.example.com/api/v3'), 'ghe.example.com');
  });
});

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

describe('GitHub pull request lookup, opt-in (cct scan --github) against a local server speaking the REST format', function () {
  this.timeout(60_000);
  let root: string;
  let claude: string;
  let db: string;
  let server: Server;
  let api: string;
  const sha: Record<string, string> = {};
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  let replies = new Map<string, Reply>();

  const scan = async () => {
    const r = await runCct(
      ['scan', '--root', claude, '--db', db, '--serial', '--json', '--github', '--github-api', api],
      {
        CCT_HMAC_KEY: 'github-test-key-0123456789abcdef',
        GITHUB_TOKEN: TOKEN,
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes(TOKEN) && !r.err.includes(TOKEN), 'the token is never printed');
    return JSON.parse(r.out).pullRequests as {
      requests: number;
      stored: number;
      notModified: number;
      errors: number;
      rateLimitedUntil: string | null;
    };
  };
  const pulls = async () => {
    const r = await runCct(['sessions', '--db', db, '--json'], { CCT_HMAC_KEY: 'github-test-key-0123456789abcdef' });
    const row = (JSON.parse(r.out) as { sessionId: string; git: { pullRequests: { number: number }[] } }[]).find(
      (x) => x.sessionId === SID,
    )!;
    return row.git.pullRequests.map((p) => p.number);
  };
  const withStore = async (fn: (s: Store) => void) => {
    const s = await Store.open(db, 'node:sqlite');
    try {
      fn(s);
    } finally {
      s.close();
    }
  };
  const take = () => seen.splice(0).map((r) => r.path);

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const reply = replies.get(req.url ?? '') ?? { status: 500 };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = realpathSync(mkdtempSync(join(tmpdir(), 'cct-github-')));
    claude = join(root, 'claude');
    db = join(root, 'store.db');
    const repo = join(root, 'repo');
    initRepo(repo, 'main');
    git(repo, ['remote', 'add', 'origin', `https://x-access-token:${TOKEN}@github.com/acme/widgets.git`]);
    sha.one = commitFile(repo, 'a.txt', 1, 'first change', { author: '2026-11-01T10:00:01Z' });
    sha.two = commitFile(repo, 'b.txt', 1, 'second change', { author: '2026-11-01T10:00:02Z' });
    const dir = join(claude, 'projects', encodeCwd(repo));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${SID}.jsonl`),
      transcript({
        sessionId: SID,
        cwd: repo,
        gitBranch: 'main',
        start: '2026-11-01T10:00:00.000Z',
        prompt: 'ship it',
        tools: [{ name: 'Write', input: { file_path: join(repo, 'b.txt'), content: 'x' } }],
      }),
    );
  });

  after(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const path = (s: string) => `/repos/acme/widgets/commits/${s}/pulls`;
  const pr7 = {
    number: 7,
    title: 'Widgets: faster (thanks alice.tanaka@acmecorp.io)',
    state: 'open',
    html_url: 'https://github.com/acme/widgets/pull/7',
  };

  it('asks once per commit with the token, stores the answer (200) and retries a 5xx on the next scan', async () => {
    replies = new Map([
      [path(sha.one!), { status: 200, headers: { etag: '"e-one"' }, body: [{ ...pr7, merged_at: null }] }],
      [path(sha.two!), { status: 502 }],
    ]);
    const r = await scan();
    assert.deepEqual(
      { requests: r.requests, stored: r.stored, errors: r.errors },
      { requests: 2, stored: 1, errors: 1 },
    );
    const sent = seen.splice(0);
    assert.deepEqual(sent.map((x) => x.path).sort(), [path(sha.one!), path(sha.two!)].sort());
    for (const x of sent) {
      assert.equal(x.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(x.headers.accept, 'application/vnd.github+json');
      assert.equal(x.headers['if-none-match'], undefined);
    }
    assert.deepEqual(await pulls(), [7]);
  });

  it('a 429 with retry-after stops the lookups until then; nothing is sent while it lasts', async () => {
    replies = new Map([[path(sha.two!), { status: 429, headers: { 'retry-after': '120' } }]]);
    const r = await scan();
    assert.deepEqual(take(), [path(sha.two!)], 'only the commit without an answer is asked again');
    assert.ok(r.rateLimitedUntil && Date.parse(r.rateLimitedUntil) > Date.now() + 100_000);
    const again = await scan();
    assert.equal(again.requests, 0);
    assert.deepEqual(take(), []);
  });

  it('revalidates an old answer with its ETag (304 keeps it), and a 403 with x-ratelimit-remaining 0 waits for the reset', async () => {
    await withStore((s) => {
      s.codeContext.setGithubBackoff(0);
      s.db.prepare('UPDATE github_commit_prs SET fetched_at = 0').run();
    });
    const reset = Math.floor(Date.now() / 1000) + 3600;
    replies = new Map<string, Reply>([
      [path(sha.one!), { status: 304 }],
      [path(sha.two!), { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }],
    ]);
    const r = await scan();
    const sent = seen.splice(0);
    const one = sent.find((x) => x.path === path(sha.one!));
    assert.equal(one?.headers['if-none-match'], '"e-one"');
    assert.equal(r.notModified, 1);
    assert.equal(r.rateLimitedUntil, new Date(reset * 1000).toISOString());
    assert.deepEqual(await pulls(), [7], 'the 304 kept the stored pull request');
  });

  it('a 404 is stored as no pull request; titles are masked text; the token is in no stored row', async () => {
    await withStore((s) => s.codeContext.setGithubBackoff(0));
    replies = new Map([[path(sha.two!), { status: 404, body: { message: 'Not Found' } }]]);
    const r = await scan();
    assert.deepEqual(take(), [path(sha.two!)]);
    assert.equal(r.stored, 1);
    assert.deepEqual(await pulls(), [7]);
    await withStore((s) => {
      const rows = s.db.prepare('SELECT repo, prs_json FROM github_commit_prs ORDER BY sha').all();
      assert.ok(rows.every((x) => x.repo === 'acme/widgets'));
    });
    for (const f of [db, `${db}-wal`].filter((f) => existsSync(f)))
      assert.ok(!readFileSync(f).includes(Buffer.from(TOKEN)), `no byte of the token in ${f}`);
    const r2 = await runCct(['sessions', '--db', db, '--json'], { CCT_HMAC_KEY: 'github-test-key-0123456789abcdef' });
    assert.ok(r2.out.includes('Widgets: faster (thanks '), 'the title is kept');
    assert.ok(!r2.out.includes('alice.tanaka@acmecorp.io'), 'the e-mail in the title is masked');
  });
});
