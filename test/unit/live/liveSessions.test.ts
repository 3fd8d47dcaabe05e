import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pickPrimary, selectLiveSessions } from '../../../src/core/live/liveSessionRecord';
import { readLiveRegistry } from '../../../src/infra/live/liveRegistryReader';
import { isProcessAlive, procStartTime } from '../../../src/infra/live/processProbe';

describe('live session registry', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-live-'));
    mkdirSync(path.join(tmp, 'sessions'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads <pid>.json entries, never *.key files, and reports half-written ones', async () => {
    const s = path.join(tmp, 'sessions');
    writeFileSync(
      path.join(s, '101.json'),
      JSON.stringify({ pid: 101, sessionId: 'a', cwd: '/w/a', status: 'busy', extra: 1 }),
    );
    writeFileSync(path.join(s, '102.json'), '{"pid":102,"sessionId":"b","cw');
    writeFileSync(path.join(s, '101.abc.key'), 'peer-token-secret');
    writeFileSync(path.join(s, 'notes.txt'), 'x');
    const r = await readLiveRegistry([tmp, path.join(tmp, 'missing')]);
    assert.deepEqual(
      r.records.map((x) => x.sessionId),
      ['a'],
    );
    assert.equal(r.records[0]!.extra, 1, 'unknown fields are kept');
    assert.equal(r.invalid.length, 1);
    assert.match(r.invalid[0]!.file, /102\.json$/);
  });

  it('a real running process is live; after it exits, or with another start time, it is stale', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      const start = procStartTime(pid);
      if (process.platform === 'linux') assert.match(start ?? '', /^\d+$/);
      assert.equal(isProcessAlive(pid, start), true);
      if (process.platform === 'linux')
        assert.equal(isProcessAlive(pid, String(Number(start) + 1)), false, 'pid reused by another process');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    assert.equal(isProcessAlive(child.pid!, undefined), false);
  });

  it('keeps live records, newest first, and prefers a session in the workspace', () => {
    const records = [
      { pid: 1, sessionId: 'old', cwd: '/w/other', updatedAt: 10 },
      { pid: 2, sessionId: 'dead', cwd: '/w/app', updatedAt: 30 },
      { pid: 3, sessionId: 'mine', cwd: '/w/app/sub', updatedAt: 5, status: 'idle' },
      { pid: 4, sessionId: 'new', cwd: '/w/other2', updatedAt: 20 },
    ];
    const live = selectLiveSessions(records, (pid) => pid !== 2);
    assert.deepEqual(
      live.map((s) => s.sessionId),
      ['new', 'old', 'mine'],
    );
    assert.equal(pickPrimary(live, ['/w/app'])?.sessionId, 'mine');
    assert.equal(pickPrimary(live, ['/w/ap'])?.sessionId, 'new', 'a prefix that is not a path boundary does not match');
    assert.equal(pickPrimary([], ['/w/app']), null);
  });
});

describe('LiveSessionMonitor', () => {
  it('fires on a new live session and on a status change, not on identical re-reads', async () => {
    const { LiveSessionMonitor } = await import('../../../src/core/live/liveSessionMonitor');
    let records = [{ pid: 7, sessionId: 's', cwd: '/w', status: 'busy' }];
    const m = new LiveSessionMonitor({
      readRegistry: async () => ({ records }),
      isAlive: () => true,
      workspaceFolders: () => ['/w'],
      intervalMs: 60_000,
    });
    const seen: (string | undefined)[] = [];
    m.onDidChange((s) => seen.push(s.primary?.status));
    try {
      await m.refresh();
      await m.refresh();
      records = [{ pid: 7, sessionId: 's', cwd: '/w', status: 'idle' }];
      await m.refresh();
      records = [];
      await m.refresh();
      assert.deepEqual(seen, ['busy', 'idle', undefined]);
      assert.equal(m.current.primary, null);
    } finally {
      m.dispose();
    }
  });

  it('shows a session Claude Code registered before its first status as starting, not "unknown"', () => {
    // CLI 2.1.x writes sessions/<pid>.json at start-up without `status`; the first status update follows.
    const [s] = selectLiveSessions([{ pid: 9, sessionId: 'new', cwd: '/w', startedAt: 1 }], () => true);
    assert.equal(s!.status, 'starting');
  });

  it('keeps a live session while its registry file is unreadable mid-rewrite (no flash of "no session")', async () => {
    const { LiveSessionMonitor } = await import('../../../src/core/live/liveSessionMonitor');
    let read: {
      records: { pid: number; sessionId: string; cwd: string; status?: string }[];
      invalid?: { file: string }[];
    } = { records: [{ pid: process.pid, sessionId: 's', cwd: '/w', status: 'busy' }] };
    const m = new LiveSessionMonitor({
      readRegistry: async () => read,
      isAlive: () => true,
      workspaceFolders: () => ['/w'],
      intervalMs: 60_000,
    });
    const seen: (string | undefined)[] = [];
    m.onDidChange((st) => seen.push(st.primary?.status));
    try {
      await m.refresh();
      read = { records: [], invalid: [{ file: `/c/sessions/${process.pid}.json` }] };
      await m.refresh();
      assert.equal(m.current.primary?.sessionId, 's');
      read = { records: [{ pid: process.pid, sessionId: 's', cwd: '/w', status: 'idle' }] };
      await m.refresh();
      read = { records: [] };
      await m.refresh();
      assert.deepEqual(seen, ['busy', 'idle', undefined]);
    } finally {
      m.dispose();
    }
  });
});
