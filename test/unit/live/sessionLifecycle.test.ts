import assert from 'node:assert/strict';
import type { LiveSession } from '../../../src/core/live/liveSessionRecord';
import { SessionLifecycle, type SessionStateChange } from '../../../src/core/live/sessionLifecycle';

const live = (sessionId: string, status: string, updatedAt: number, pid = 100): LiveSession => ({
  pid,
  sessionId,
  projectPath: '/w/a',
  status,
  version: '2.1.0',
  entrypoint: 'cli',
  name: undefined,
  updatedAt,
});

describe('session lifecycle', () => {
  const MIN = 60_000;
  let events: SessionStateChange[];
  let lc: SessionLifecycle;
  beforeEach(() => {
    events = [];
    lc = new SessionLifecycle(() => 30 * MIN);
    lc.onDidChangeSession((e) => events.push(e));
  });
  afterEach(() => lc.dispose());
  const brief = () => events.map((e) => `${e.sessionId}:${e.from ?? '-'}>${e.to}${e.reason ? `(${e.reason})` : ''}`);

  it('follows busy → waiting → idle, one event per change, timed by the registry', () => {
    lc.update([live('a', 'starting', 1000)], 1000);
    lc.update([live('a', 'busy', 2000)], 2500);
    lc.update([live('a', 'busy', 2000)], 3000); // no change, no event
    lc.update([live('a', 'waiting', 4000)], 4100);
    lc.update([live('a', 'idle', 5000)], 5100);
    assert.deepEqual(brief(), ['a:->idle', 'a:idle>active', 'a:active>waiting', 'a:waiting>idle']);
    assert.deepEqual(
      events.map((e) => e.at),
      [1000, 2000, 4000, 5000],
    );
    assert.equal(lc.get('a')?.state, 'idle');
  });

  it('marks a session idle longer than the setting abandoned, from the moment the timeout ran out', () => {
    lc.update([live('a', 'idle', 0)], 1000);
    lc.update([live('a', 'idle', 0)], 29 * MIN);
    assert.deepEqual(brief(), ['a:->idle']);
    lc.update([live('a', 'idle', 0)], 31 * MIN);
    assert.deepEqual(brief(), ['a:->idle', 'a:idle>abandoned']);
    assert.equal(events[1]!.at, 30 * MIN);
    lc.update([live('a', 'busy', 32 * MIN)], 32 * MIN);
    assert.equal(lc.get('a')?.state, 'active');
  });

  it('/clear ends the old session as `clear` and starts the new one on the same pid; exit ends as `exit`', () => {
    lc.update([live('a', 'idle', 1)], 10);
    lc.update([live('b', 'idle', 20)], 30);
    lc.update([], 40);
    assert.deepEqual(brief(), ['a:->idle', 'a:idle>ended(clear)', 'b:->idle', 'b:idle>ended(exit)']);
    assert.equal(lc.sessions.length, 0);
  });
});
