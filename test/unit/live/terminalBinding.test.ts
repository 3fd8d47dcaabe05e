import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LiveSessionRecord } from '../../../src/core/live/liveSessionRecord';
import { bindTerminals, liveRecordsIn } from '../../../src/core/live/terminalBinding';
import { readLiveRegistry } from '../../../src/infra/live/liveRegistryReader';
import {
  parseCimJson,
  parseProcStat,
  parsePsOutput,
  readLinuxProcessTable,
} from '../../../src/infra/live/processTableReader';
import { FakeProc } from './fakeProc';

describe('terminal ⇄ session binding', () => {
  let tmp: string;
  let proc: FakeProc;
  let config: string;
  const registry = (r: LiveSessionRecord) =>
    writeFileSync(path.join(config, 'sessions', `${r.pid}.json`), JSON.stringify(r));
  const bindNow = async (terminals: Parameters<typeof bindTerminals>[0]) => {
    const table = await readLinuxProcessTable(proc.root);
    const { records } = await readLiveRegistry([config]);
    return bindTerminals(terminals, table, liveRecordsIn(table, records));
  };

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-bind-'));
    proc = new FakeProc(path.join(tmp, 'proc'));
    config = path.join(tmp, 'claude');
    mkdirSync(path.join(config, 'sessions'), { recursive: true });
    // pid 1, the VS Code pty host and an unrelated process
    proc.add({ pid: 1, ppid: 0, comm: 'systemd', start: 1 });
    proc.add({ pid: 50, ppid: 1, comm: 'node', start: 100 });
    proc.add({ pid: 60, ppid: 1, comm: 'cron', start: 90 });
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('binds a terminal to the claude process its shell started, through its registry file', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    proc.add({ pid: 130, ppid: 100, comm: 'claude', start: 300, args: ['claude', '--verbose'] });
    proc.add({ pid: 131, ppid: 130, comm: 'sh', start: 310 }); // a tool's shell under it
    registry({ pid: 130, sessionId: 's-a', cwd: '/w/a', procStart: '300', status: 'busy', updatedAt: 5 });
    const b = await bindNow([
      { id: 't1', pid: 100, cwd: '/w/a' },
      { id: 't2', pid: 60, cwd: '/w/a' },
    ]);
    assert.deepEqual(b, [{ terminalId: 't1', pid: 130, sessionId: 's-a', source: 'process', guess: false }]);
  });

  it('finds claude under nested shells, whatever its command name (the native binary is claude.exe)', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'zsh', start: 200 });
    proc.add({ pid: 110, ppid: 100, comm: 'bash', start: 210 });
    proc.add({ pid: 120, ppid: 110, comm: 'sh', start: 220 });
    proc.add({ pid: 140, ppid: 120, comm: 'claude.exe', start: 400 });
    registry({ pid: 140, sessionId: 's-deep', cwd: '/w/b', procStart: '400', status: 'idle' });
    const b = await bindNow([{ id: 't1', pid: 100, cwd: '/w/a' }]);
    assert.equal(b[0]?.sessionId, 's-deep');
    assert.equal(b[0]?.source, 'process');
  });

  it('ignores a stale registry file left by kill -9 and one whose pid another program reuses', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    // pid 150 now belongs to a different process (start time 999, not the 500 the registry recorded)
    proc.add({ pid: 150, ppid: 100, comm: 'vim', start: 999 });
    registry({ pid: 150, sessionId: 's-reused', cwd: '/w/a', procStart: '500', status: 'busy' });
    // pid 170 is gone altogether
    registry({ pid: 170, sessionId: 's-killed', cwd: '/w/a', procStart: '700', status: 'busy' });
    const b = await bindNow([{ id: 't1', pid: 100, cwd: '/w/a' }]);
    assert.deepEqual(b, [], 'neither stale entry binds, not even as a cwd guess');
  });

  it('tells two terminals with a claude each apart, in the same folder', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    proc.add({ pid: 101, ppid: 50, comm: 'bash', start: 201 });
    proc.add({ pid: 130, ppid: 100, comm: 'claude', start: 300 });
    proc.add({ pid: 131, ppid: 101, comm: 'claude', start: 301 });
    registry({ pid: 130, sessionId: 's-1', cwd: '/w/a', procStart: '300', updatedAt: 10 });
    registry({ pid: 131, sessionId: 's-2', cwd: '/w/a', procStart: '301', updatedAt: 20 });
    const b = await bindNow([
      { id: 't1', pid: 100, cwd: '/w/a' },
      { id: 't2', pid: 101, cwd: '/w/a' },
    ]);
    assert.deepEqual(
      b.map((x) => [x.terminalId, x.sessionId, x.source]),
      [
        ['t1', 's-1', 'process'],
        ['t2', 's-2', 'process'],
      ],
    );
  });

  it('after /clear (same pid, new session id) the terminal binds the new session', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    proc.add({ pid: 130, ppid: 100, comm: 'claude', start: 300 });
    registry({ pid: 130, sessionId: 's-before', cwd: '/w/a', procStart: '300' });
    assert.equal((await bindNow([{ id: 't1', pid: 100, cwd: '/w/a' }]))[0]?.sessionId, 's-before');
    registry({ pid: 130, sessionId: 's-after', cwd: '/w/a', procStart: '300' });
    assert.equal((await bindNow([{ id: 't1', pid: 100, cwd: '/w/a' }]))[0]?.sessionId, 's-after');
  });

  it('follows a tmux client to the session its -t names, and a shell left after claude exits binds nothing', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    proc.add({ pid: 101, ppid: 50, comm: 'bash', start: 201 });
    proc.add({ pid: 110, ppid: 100, comm: 'tmux: client', start: 250, args: ['tmux', 'attach', '-t', 'work'] });
    // the tmux server daemonized under pid 1; claude runs in its panes
    proc.add({ pid: 80, ppid: 1, comm: 'tmux: server', start: 150, args: ['tmux', 'new', '-d', '-s', 'work'] });
    proc.add({ pid: 81, ppid: 80, comm: 'bash', start: 151 });
    proc.add({ pid: 82, ppid: 81, comm: 'claude', start: 160 });
    proc.add({ pid: 83, ppid: 80, comm: 'bash', start: 152 });
    proc.add({ pid: 84, ppid: 83, comm: 'claude', start: 161 });
    registry({ pid: 82, sessionId: 's-work', cwd: '/w/a', procStart: '160', tmux: 'work:@0.%0', updatedAt: 1 });
    registry({ pid: 84, sessionId: 's-other', cwd: '/w/a', procStart: '161', tmux: 'other:@1.%1', updatedAt: 2 });
    const b = await bindNow([
      { id: 't1', pid: 100, cwd: '/w/a' },
      { id: 't2', pid: 101, cwd: '/w/a' },
    ]);
    assert.deepEqual(b, [{ terminalId: 't1', pid: 82, sessionId: 's-work', source: 'tmux', guess: false }]);
  });

  it('a bare tmux client (no session name) falls back to a guess by folder, marked as a guess', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'bash', start: 200 });
    proc.add({ pid: 110, ppid: 100, comm: 'tmux: client', start: 250, args: ['tmux'] });
    proc.add({ pid: 80, ppid: 1, comm: 'tmux: server', start: 150, args: ['tmux'] });
    proc.add({ pid: 82, ppid: 80, comm: 'claude', start: 160 });
    registry({ pid: 82, sessionId: 's-0', cwd: '/w/a', procStart: '160', tmux: '0:@0.%0' });
    const b = await bindNow([{ id: 't1', pid: 100, cwd: '/w/a' }]);
    assert.deepEqual(b, [{ terminalId: 't1', pid: 82, sessionId: 's-0', source: 'cwd', guess: true }]);
  });

  it('without a process snapshot every terminal guesses by folder: the newest live entry there', () => {
    const records: LiveSessionRecord[] = [
      { pid: 1, sessionId: 'old', cwd: '/w/a', updatedAt: 1 },
      { pid: 2, sessionId: 'new', cwd: '/w/a', updatedAt: 2 },
      { pid: 3, sessionId: 'elsewhere', cwd: '/w/b', updatedAt: 3 },
    ];
    const b = bindTerminals(
      [
        { id: 't1', pid: 100, cwd: '/w/a' },
        { id: 't2', pid: undefined, cwd: '/w/c' },
      ],
      null,
      records,
    );
    assert.deepEqual(b, [{ terminalId: 't1', pid: 2, sessionId: 'new', source: 'cwd', guess: true }]);
  });

  it('skips processes that vanish mid-walk and reads comm with spaces and parentheses', async () => {
    proc.add({ pid: 100, ppid: 50, comm: 'a (b) c', start: 200 });
    mkdirSync(path.join(proc.root, '777')); // a directory without stat: the process exited
    writeFileSync(path.join(proc.root, 'self'), 'not a pid');
    const t = await readLinuxProcessTable(proc.root);
    assert.equal(t.get(100)?.comm, 'a (b) c');
    assert.equal(t.get(100)?.ppid, 50);
    assert.equal(t.get(100)?.startTime, '200');
    assert.equal(t.has(777), false);
    assert.deepEqual(parseProcStat('garbage'), undefined);
  });
});

describe('process snapshot parsers (macOS ps, Windows CIM)', () => {
  it('parses `ps -A -o pid=,ppid=,comm=` output, paths and spaces included', () => {
    // captured on macOS 14 (trimmed)
    const out = [
      '    1     0 /sbin/launchd',
      '  412     1 /Applications/Visual Studio Code.app/Contents/MacOS/Electron',
      '  900   412 /bin/zsh',
      '  950   900 claude',
      '',
    ].join('\n');
    const t = parsePsOutput(out);
    assert.equal(t.size, 4);
    assert.equal(t.get(412)?.comm, 'Electron');
    assert.deepEqual(t.get(950), { pid: 950, ppid: 900, comm: 'claude', args: ['claude'] });
    const b = bindTerminals([{ id: 't', pid: 900, cwd: '/x' }], t, [{ pid: 950, sessionId: 's', cwd: '/x' }]);
    assert.equal(b[0]?.source, 'process');
  });

  it('parses PowerShell CIM JSON (array, single object) and skips rows that do not fit', () => {
    const out =
      '[{"ProcessId":0,"ParentProcessId":0,"Name":"System Idle Process"},{"ProcessId":4200,"ParentProcessId":4100,"Name":"pwsh.exe"},{"ProcessId":4300,"ParentProcessId":4200,"Name":"claude.exe"},{"ProcessId":"x"}]';
    const t = parseCimJson(out);
    assert.equal(t.size, 3);
    assert.equal(t.get(4300)?.comm, 'claude');
    assert.equal(parseCimJson('{"ProcessId":9,"ParentProcessId":1,"Name":"a.exe"}').get(9)?.comm, 'a');
    const b = bindTerminals([{ id: 't', pid: 4200, cwd: 'C:\\w' }], t, [{ pid: 4300, sessionId: 's', cwd: 'C:\\w' }]);
    assert.equal(b[0]?.sessionId, 's');
    assert.throws(() => parseCimJson('not json'));
  });
});
