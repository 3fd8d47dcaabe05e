import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SessionStateChange } from '../../../src/core/live/sessionLifecycle';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { recordSessionState, sessionStates } from '../../../src/infra/sqlite/sessionStates';
import { Store } from '../../../src/infra/sqlite/store';

const change = (to: SessionStateChange['to'], at: number, reason?: 'exit' | 'clear'): SessionStateChange => ({
  sessionId: 's1',
  pid: 42,
  projectPath: '/w/a',
  from: null,
  to,
  at,
  reason,
});

for (const backend of ['node:sqlite', 'sql.js'] as BackendName[]) {
  describe(`session states in the store (${backend})`, () => {
    let tmp: string;
    let store: Store;
    beforeEach(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-states-'));
      store = await Store.open(path.join(tmp, 'store.db'), backend);
    });
    afterEach(() => {
      store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('records each state change with its time; two windows recording the same change keep one row', () => {
      for (const window of [1, 2]) {
        recordSessionState(store.db, change('active', 1000));
        recordSessionState(store.db, change('waiting', 2000));
        recordSessionState(store.db, change('idle', 3000));
        // each window notices the end at its own time: the first one recorded wins
        recordSessionState(store.db, change('ended', 4000 + window, 'exit'));
      }
      assert.deepEqual(sessionStates(store.db, 's1'), [
        { state: 'active', at: 1000, pid: 42, reason: null },
        { state: 'waiting', at: 2000, pid: 42, reason: null },
        { state: 'idle', at: 3000, pid: 42, reason: null },
        { state: 'ended', at: 4001, pid: 42, reason: 'exit' },
      ]);
      assert.deepEqual(sessionStates(store.db, 'other'), []);
    });
  });
}
