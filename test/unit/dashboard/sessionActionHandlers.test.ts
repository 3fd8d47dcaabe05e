import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sessionExport, sessionOpenFile } from '../../../src/shared/protocol';
import { DashboardStore } from '../../../src/vscode/dashboard/dashboardStore';
import { RequestRouter } from '../../../src/vscode/dashboard/requestRouter';
import { openablePath, registerSessionActionHandlers } from '../../../src/vscode/dashboard/sessionActionHandlers';
import type { Logger } from '../../../src/vscode/logger';
import { fixtureStore } from '../../helpers/dashboardFixtureStore';
import { REPO_ROOT } from '../../helpers/repo';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as unknown as Logger;
const TOOLS = 'cc7f0000-0000-4000-8000-000000000001';
// Placeholder-shaped values (…EXAMPLE…, @example.com) are left as they are by design.
const planted: { value: string }[] = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/claude/manifest.json'), 'utf8')).secrets as {
    value: string;
    placeholderShaped?: boolean;
  }[]
).filter((s) => !s.placeholderShaped);

describe('dashboard session actions (export, open a touched file) over a real store', function () {
  this.timeout(60_000);
  let dir: string;
  let store: DashboardStore;
  let router: RequestRouter;
  let workspace: string;
  const written: { file: string; text: string }[] = [];
  const opened: string[] = [];
  let saveTo: string | undefined;
  let id = 1;
  const call = (method: string, params: unknown) => router.dispatch({ type: 'request', id: id++, method, params });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-dash-act-'));
    (await fixtureStore(dir, 'node:sqlite')).close();
    workspace = path.join(dir, 'ws');
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'src', 'a.ts'), 'export {};\n');
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'secret\n');
    fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(workspace, 'link.txt'));
    store = new DashboardStore(path.join(dir, 'store.db'), quiet);
    router = new RequestRouter({ warn() {}, error() {}, debug() {} });
    registerSessionActionHandlers(router, {
      store,
      pickSaveTarget: async () => saveTo,
      writeFile: async (file, text) => {
        written.push({ file, text });
      },
      workspaceFolders: () => [workspace],
      openFile: async (file) => {
        opened.push(file);
      },
    });
  });
  after(() => {
    store?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a session, masked, in each format; a cancelled dialog saves nothing', async () => {
    saveTo = undefined;
    const cancelled = await call(sessionExport.name, { sessionId: TOOLS, format: 'markdown' });
    assert.deepEqual(cancelled.ok && cancelled.result, { saved: false });
    assert.equal(written.length, 0);
    for (const format of ['markdown', 'json', 'html'] as const) {
      saveTo = path.join(dir, `out.${format}`);
      const r = await call(sessionExport.name, { sessionId: TOOLS, format });
      assert.deepEqual(r.ok && r.result, { saved: true });
      const text = written.at(-1)!.text;
      assert.match(text, /check my setup/);
      assert.match(text, /«ghp_…github_token:/, `${format}: the token appears masked`);
      for (const s of planted) assert.ok(!text.includes(s.value), `${format}: planted secret ${s.value} unmasked`);
    }
    assert.equal(JSON.parse(written[1]!.text).session.sessionId, TOOLS);
    const missing = await call(sessionExport.name, { sessionId: 'no-such', format: 'json' });
    assert.equal(!missing.ok && missing.error.code, 'notFound');
  });

  it('opens only existing files under a workspace folder or the session folder, symlinks resolved', async () => {
    const inside = path.join(workspace, 'src', 'a.ts');
    const r = await call(sessionOpenFile.name, { sessionId: TOOLS, path: inside });
    assert.deepEqual(r.ok && r.result, { opened: true });
    assert.deepEqual(opened, [fs.realpathSync(inside)]);
    for (const bad of [
      path.join(dir, 'outside.txt'),
      path.join(workspace, 'link.txt'),
      path.join(workspace, 'src', '..', '..', 'outside.txt'),
      path.join(workspace, 'missing.ts'),
      path.join(workspace, 'src'),
      'src/a.ts',
      '/etc/passwd',
    ]) {
      const res = await call(sessionOpenFile.name, { sessionId: TOOLS, path: bad });
      assert.equal(!res.ok && res.error.code, 'notFound', bad);
    }
    assert.equal(opened.length, 1);
    assert.equal(openablePath(inside, []), undefined, 'no roots, nothing opens');
  });
});
