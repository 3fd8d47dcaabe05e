import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeDataNotice } from '../../../scripts/start';
import { CODE_SERVER_VERSION } from '../../helpers/codeServer';

const ROOT = path.resolve(__dirname, '../../..');

/** Running (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start (scripts/start.ts)', () => {
  it('names the Claude Code folders it reads: CLAUDE_CONFIG_DIR when set, not "your real ~/.claude"', () => {
    const home = '/home/ada';
    assert.equal(claudeDataNotice({}, home), "It reads Claude Code's data in ~/.claude, ~/.config/claude.");
    const custom = claudeDataNotice({ CLAUDE_CONFIG_DIR: '/srv/claude-a,/srv/claude-b' }, home);
    assert.equal(
      custom,
      "It reads Claude Code's data in /srv/claude-a, /srv/claude-b, ~/.config/claude (from CLAUDE_CONFIG_DIR).",
    );
  });

  it('Ctrl-C stops code-server and its extension host and removes the cct-code-server-* temp folder', async function () {
    this.timeout(60_000);
    // The real start path (CodeServer.start, its signal hook) with a small stand-in for code-server's entry.js.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-start-test-'));
    const entry = path.join(work, 'code-server', 'out', 'node', 'entry.js');
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'test/unit/fixtures/fakeCodeServerEntry.cjs'), entry);
    fs.writeFileSync(path.join(work, 'code-server', 'package.json'), JSON.stringify({ version: CODE_SERVER_VERSION }));
    const infoFile = path.join(work, 'info.json');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `require('./scripts/start.ts').serveInCodeServer(${JSON.stringify(work)}, [])`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          CS_NODE: process.execPath,
          CS_ENTRY: entry,
          FAKE_CODE_SERVER_INFO: infoFile,
          CLAUDE_CONFIG_DIR: work,
        },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await until(
        () => out.includes('Press Ctrl-C') && fs.existsSync(infoFile),
        30_000,
        `the server to start:\n${out}`,
      );
      assert.ok(out.includes(`It reads Claude Code's data in ${work}`), out);
      const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as { tmp: string; server: number; host: number };
      assert.match(path.basename(info.tmp), /^cct-code-server-/);
      assert.ok(fs.existsSync(info.tmp) && alive(info.server) && alive(info.host));

      child.kill('SIGINT');
      assert.equal(await exited, 130);
      assert.equal(fs.existsSync(info.tmp), false, `${info.tmp} is removed`);
      await until(() => !alive(info.server) && !alive(info.host), 5000, 'the server and its extension host to end');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
