import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Collector } from '../../../src/core/collector/collector';
import { NodeFileTailer } from '../../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../../src/infra/sqlite/store';
import { guard, TempTree } from './engine';
import { assistant, prompt } from './lines';

const KEEP = 'aaaaaaaa-0000-4000-8000-00000000000a';
const SECRET = 'bbbbbbbb-0000-4000-8000-00000000000b';
const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;
const turn = (sessionId: string, cwd: string, n: number) =>
  `${prompt({ uuid: `${sessionId}-u${n}`, sessionId, cwd, ts: t(n), text: `question ${n}` })}\n${assistant({
    uuid: `${sessionId}-a${n}`,
    sessionId,
    cwd,
    ts: t(n + 1),
    msgId: `msg_${sessionId}_${n}`,
    reqId: `req_${sessionId}_${n}`,
    usage: { in: 10, out: 5 },
    block: { type: 'text', text: `answer ${n}` },
  })}\n`;

describe('claudeTracer.tracking.excludeProjects: excluded projects are not ingested at all', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.dispose());

  it('drops every row of an excluded project, later appends too, and keeps the others', async () => {
    tree.write(`-home-dev-proj/${KEEP}.jsonl`, turn(KEEP, '/home/dev/proj', 0));
    tree.write(`-home-dev-client-acme/${SECRET}.jsonl`, turn(SECRET, '/home/dev/client-acme', 0));
    const store = await Store.open(tree.db);
    try {
      const collector = new Collector(store, fsTranscriptSource, new NodeFileTailer(), guard);
      const scan = () => collector.scan([path.join(tree.root, 'cfg')], { excludeProjects: ['**/client-*'] });
      const first = await scan();
      assert.equal(first.sessions, 1);
      assert.ok(store.session(KEEP));
      assert.equal(store.session(SECRET), undefined, 'no session row');
      // appended lines: still left out (the cursor moved past the first ones, the new ones are judged again)
      tree.append(`-home-dev-client-acme/${SECRET}.jsonl`, turn(SECRET, '/home/dev/client-acme', 2));
      tree.append(`-home-dev-proj/${KEEP}.jsonl`, turn(KEEP, '/home/dev/proj', 2));
      await scan();
      assert.equal(store.session(SECRET), undefined);
      const { sessions, interactions, apiMessages, texts } = store.counts();
      assert.deepEqual(
        { sessions, interactions, apiMessages, texts },
        { sessions: 1, interactions: 4, apiMessages: 2, texts: 4 },
      );
      // without the exclusion, once the files are re-read (Rebuild Index forgets the cursors), it is ingested
      store.forgetCursors();
      await collector.scan([path.join(tree.root, 'cfg')]);
      assert.ok(store.session(SECRET), 'ingested once the exclusion is gone and the files are re-read');
    } finally {
      store.close();
    }
  });
});
