/**
 * The turn "Show Sessions for This File" opens (claudeTracer.openSession(sessionId, { turnId })): the dashboard
 * timeline entry of the call that touched the file. A call a subagent made is not on the main timeline: the entry
 * is the main-thread response whose Agent call started that subagent. Rows as the ingest writes them, in a real store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/infra/sqlite/store';

describe('fileTouches: the timeline turn of each touch', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cct-touchturn-'));
    store = await Store.open(join(dir, 'store.db'), 'node:sqlite');
    const db = store.db;
    db.prepare('INSERT INTO sessions (session_id, project_path, first_ts, last_ts) VALUES (?,?,?,?)').run([
      's1',
      '/w',
      1000,
      5000,
    ]);
    const interaction = db.prepare(
      'INSERT INTO interactions (id, session_id, kind, ts, is_sidechain, agent_id) VALUES (?,?,?,?,?,?)',
    );
    interaction.run(['p:1', 's1', 'prompt', 1000, 0, null]);
    interaction.run(['r:main', 's1', 'response', 2000, 0, null]);
    interaction.run(['r:agent', 's1', 'response', 3000, 1, 'a7']);
    interaction.run(['r:orphan', 's1', 'response', 4000, 1, 'a-unknown']);
    const call = db.prepare(
      'INSERT INTO tool_calls (id, session_id, interaction_id, name, ts, is_sidechain, agent_id, subagent_id) VALUES (?,?,?,?,?,?,?,?)',
    );
    call.run(['t-write', 's1', 'r:main', 'Write', 2000, 0, null, null]);
    call.run(['t-task', 's1', 'r:main', 'Task', 2000, 0, null, 'a7']);
    call.run(['t-sub', 's1', 'r:agent', 'Edit', 3000, 1, 'a7', null]);
    call.run(['t-orphan', 's1', 'r:orphan', 'Edit', 4000, 1, 'a-unknown', null]);
    const touch = db.prepare(
      'INSERT INTO session_files (tool_call_id, path, path_key, session_id, interaction_id, tool, ts) VALUES (?,?,?,?,?,?,?)',
    );
    touch.run(['t-write', '/w/a.ts', '/w/a.ts', 's1', 'r:main', 'Write', 2000]);
    touch.run(['t-sub', '/w/a.ts', '/w/a.ts', 's1', 'r:agent', 'Edit', 3000]);
    touch.run(['t-orphan', '/w/a.ts', '/w/a.ts', 's1', 'r:orphan', 'Edit', 4000]);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the response that made the call; for a subagent’s call the response that started it; else the prompt', () => {
    const t = store.codeContext.fileTouches('/w/a.ts');
    assert.deepEqual(
      t.map((x) => [x.toolCallId, x.timelineTurnId, x.turnId]),
      [
        ['t-orphan', 'p:1', 'p:1'],
        ['t-sub', 'r:main', 'p:1'],
        ['t-write', 'r:main', 'p:1'],
      ],
    );
  });
});
