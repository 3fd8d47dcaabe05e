import assert from 'node:assert/strict';
import {
  type HookEvent,
  HookHints,
  hintOf,
  hookEventTime,
  parseHookSpoolLine,
} from '../../../src/core/live/hookEvents';
import { LiveSessionMonitor } from '../../../src/core/live/liveSessionMonitor';
import type { LiveSession, LiveSessionRecord } from '../../../src/core/live/liveSessionRecord';
import { SessionLifecycle, type SessionStateChange } from '../../../src/core/live/sessionLifecycle';

const session = (sessionId: string, status: string, updatedAt: number, pid = 100): LiveSession => ({
  pid,
  sessionId,
  projectPath: '/w/a',
  status,
  version: '2.1.332',
  entrypoint: 'cli',
  name: undefined,
  updatedAt,
});
const ev = (event: HookEvent['event'], sessionId: string, at: number, extra: Partial<HookEvent> = {}): HookEvent => ({
  v: 1,
  event,
  pid: 100,
  session: sessionId,
  detail: '',
  cwd: '/w/a',
  at,
  ...extra,
});
const alive = () => true;

describe('hook events → live state', () => {
  it('parses only lines of the spool’s shape', () => {
    assert.deepEqual(parseHookSpoolLine('{"v":1,"event":"Stop","pid":7,"session":"s-1","detail":"","cwd":"/w"}'), {
      v: 1,
      event: 'Stop',
      pid: 7,
      session: 's-1',
      detail: '',
      cwd: '/w',
    });
    for (const bad of [
      '{"v":2,"event":"Stop","pid":7,"session":"s"}',
      '{"v":1,"event":"PreToolUse","pid":7,"session":"s"}',
      '{"v":1,"event":"Stop","pid":-1,"session":"s"}',
      '{"v":1,"event":"Stop","pid":7,"session":"a b"}',
      '{"v":1,"event":"Stop"',
      '',
    ])
      assert.equal(parseHookSpoolLine(bad), undefined, bad);
  });

  it('maps Notification → waiting, UserPromptSubmit/PreCompact → busy, Stop → idle, SessionEnd → ended', () => {
    assert.deepEqual(hintOf({ event: 'Notification', detail: 'permission_prompt' }), {
      kind: 'status',
      status: 'waiting',
    });
    assert.deepEqual(hintOf({ event: 'Notification', detail: 'idle_prompt' }), { kind: 'status', status: 'waiting' });
    assert.equal(hintOf({ event: 'Notification', detail: 'auth_success' }), null);
    assert.deepEqual(hintOf({ event: 'UserPromptSubmit', detail: '' }), { kind: 'status', status: 'busy' });
    assert.deepEqual(hintOf({ event: 'PreCompact', detail: '' }), { kind: 'status', status: 'busy' });
    assert.deepEqual(hintOf({ event: 'Stop', detail: '' }), { kind: 'status', status: 'idle' });
    assert.equal(hintOf({ event: 'SubagentStop', detail: '' }), null);
    assert.deepEqual(hintOf({ event: 'SessionEnd', detail: 'clear' }), { kind: 'end', reason: 'clear' });
    assert.deepEqual(hintOf({ event: 'SessionEnd', detail: 'other' }), { kind: 'end', reason: 'exit' });
    assert.deepEqual(hintOf({ event: 'SessionStart', detail: 'startup' }), { kind: 'start' });
  });

  it('a hint counts only while it is newer than the registry’s last write: the registry stays the truth', () => {
    const h = new HookHints();
    const seen: string[] = [];
    h.onDidReceive((e) => seen.push(e.event));
    h.accept(ev('Notification', 'a', 2000, { detail: 'permission_prompt' }));
    assert.equal(h.apply([session('a', 'busy', 1500)], alive)[0]!.status, 'waiting');
    // the registry wrote after the hint: its word wins
    assert.equal(h.apply([session('a', 'busy', 2500)], alive)[0]!.status, 'busy');
    assert.equal(h.accept(ev('SubagentStop', 'a', 2600)), false, 'no state in it');
    assert.deepEqual(seen, ['Notification']);
  });

  it('an async hook that ran late never overrides a newer registry state: its own time counts, not when it was read', () => {
    // Stop ran at second 100; the user typed again and the registry said busy at 100.5 s; the line was read at 101 s
    const at = hookEventTime({ t: 100 }, 101_000);
    assert.equal(at, 100_000);
    const h = new HookHints();
    h.accept(ev('Stop', 'a', at));
    assert.equal(h.apply([session('a', 'busy', 100_500)], alive)[0]!.status, 'busy');
    assert.equal(hookEventTime({ t: 0 }, 5000), 5000, 'unknown time: when it was read');
    assert.equal(hookEventTime({}, 5000), 5000);
    assert.equal(hookEventTime({ t: 99_999 }, 5000), 5000, 'never later than it was read');
  });

  it('SessionEnd removes the session before the registry file goes; SessionStart adds one it does not list yet', () => {
    const h = new HookHints();
    h.accept(ev('SessionEnd', 'old', 3000, { detail: 'clear' }));
    h.accept(ev('SessionStart', 'new', 3001, { detail: 'clear' }));
    const out = h.apply([session('old', 'idle', 2000)], alive);
    assert.deepEqual(
      out.map((s) => [s.sessionId, s.pid, s.status, s.projectPath]),
      [['new', 100, 'idle', '/w/a']],
    );
    // once the registry shows the process's new session, the start hint adds nothing more
    const later = h.apply([session('new', 'idle', 3100)], alive);
    assert.deepEqual(
      later.map((s) => s.sessionId),
      ['new'],
    );
    // a start hint whose process is gone shows nothing
    assert.deepEqual(
      h.apply([], () => false),
      [],
    );
    // and one without a pid neither
    const h2 = new HookHints();
    h2.accept(ev('SessionStart', 'x', 1, { pid: 0 }));
    assert.deepEqual(h2.apply([], alive), []);
  });

  it('through the monitor and the lifecycle: a Notification makes the session waiting without a registry change', async () => {
    const h = new HookHints();
    const records: LiveSessionRecord[] = [
      { pid: 100, sessionId: 'a', cwd: '/w/a', status: 'busy', updatedAt: Date.now() - 5000 },
    ];
    const monitor = new LiveSessionMonitor({
      readRegistry: async () => ({ records }),
      isAlive: alive,
      workspaceFolders: () => ['/w'],
      applyHints: (all) => h.apply(all, alive),
      intervalMs: 3_600_000,
    });
    const lc = new SessionLifecycle(() => 0);
    const changes: SessionStateChange[] = [];
    lc.onDidChangeSession((c) => changes.push(c));
    monitor.onDidChange((s) => lc.update(s.all, Date.now()));
    h.onDidReceive(() => void monitor.refresh());
    try {
      await monitor.refresh();
      h.accept(ev('Notification', 'a', Date.now(), { detail: 'permission_prompt' }));
      await monitor.refresh();
      h.accept(ev('Stop', 'a', Date.now() + 1));
      await monitor.refresh();
      assert.deepEqual(
        changes.map((c) => `${c.from ?? '-'}>${c.to}`),
        ['->active', 'active>waiting', 'waiting>idle'],
      );
    } finally {
      monitor.dispose();
      lc.dispose();
      h.dispose();
    }
  });
});
