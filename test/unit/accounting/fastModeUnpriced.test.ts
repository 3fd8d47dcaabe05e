/**
 * Issue 14 §8: messages marked speed:"fast" on a model with no known fast-mode price must leave only themselves
 * unpriced, and every listing must say it is the fast mode of that model that has no price, not the model.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCct } from '../../helpers/cct';
import { TempTree } from '../transcript/engine';
import { assistant, jsonl, prompt } from '../transcript/lines';

const S = '5a5a5a5a-0000-4000-8000-000000000005';
const ALL_FAST = '6b6b6b6b-0000-4000-8000-000000000006';
const SONNET = 'claude-sonnet-4-5-20250929'; // prices.json: $3 in / $15 out per MTok, no fastMultiplier

const cct = (argv: string[]) => runCct(argv, { CCT_HMAC_KEY: 'fast-mode-test-key-0123456789abcdef' });

describe('fast mode without a known price (issue 14 §8)', () => {
  let tree: TempTree;
  before(async () => {
    tree = new TempTree();
    const msg = (sid: string, n: number, speed: string | undefined, u: { in: number; out: number }) =>
      assistant({
        uuid: `${sid}-a${n}`,
        sessionId: sid,
        ts: `2026-11-03T10:0${n}:00.000Z`,
        msgId: `m-${sid}-${n}`,
        reqId: `q-${sid}-${n}`,
        model: SONNET,
        usage: { ...u, speed },
        block: { type: 'text', text: 'ok' },
      });
    tree.write(
      `-p/${S}.jsonl`,
      jsonl(
        prompt({ uuid: `${S}-u`, sessionId: S, ts: '2026-11-03T10:00:00.000Z', text: 'go' }),
        msg(S, 1, 'standard', { in: 1000, out: 100 }),
        msg(S, 2, 'fast', { in: 2000, out: 200 }),
        msg(S, 3, undefined, { in: 3000, out: 300 }),
      ),
    );
    tree.write(
      `-p/${ALL_FAST}.jsonl`,
      jsonl(
        prompt({ uuid: `${ALL_FAST}-u`, sessionId: ALL_FAST, ts: '2026-11-03T10:00:00.000Z', text: 'go' }),
        msg(ALL_FAST, 4, 'fast', { in: 10, out: 1 }),
      ),
    );
    const r = await cct(['scan', '--root', path.join(tree.root, 'cfg'), '--db', tree.db]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => tree.dispose());

  it('cct sessions --json: the rest of the session is priced; the fast mode of the model is named as unpriced', async () => {
    const list = JSON.parse((await cct(['sessions', '--db', tree.db, '--json'])).out) as {
      sessionId: string;
      costUsd: number | null;
      models: string[];
      unpricedModels: string[];
    }[];
    const s = list.find((x) => x.sessionId === S)!;
    // standard + no speed: (1000 + 3000)·$3 + (100 + 300)·$15 per MTok = 12000 + 6000 µ$
    assert.ok(Math.abs(s.costUsd! - 0.018) < 1e-12, String(s.costUsd));
    assert.deepEqual(s.models, [SONNET]);
    assert.deepEqual(s.unpricedModels, [`${SONNET} (fast mode)`]);
    const f = list.find((x) => x.sessionId === ALL_FAST)!;
    assert.equal(f.costUsd, null, 'nothing in it has a price');
    assert.deepEqual(f.unpricedModels, [`${SONNET} (fast mode)`]);
  });

  it('cct report footer and cct sessions footnote say which model in which mode has no price', async () => {
    const daily = await cct(['report', 'daily', '--db', tree.db, '--tz', 'UTC']);
    assert.equal(daily.code, 0, daily.err);
    assert.match(daily.out, /\$0\.02\*/); // priced part, marked partial
    assert.match(daily.out, new RegExp(`\\* unpriced: ${SONNET} \\(fast mode\\)\\n`));
    const sessions = await cct(['sessions', '--db', tree.db]);
    assert.match(sessions.out, new RegExp(`\\* partly unpriced \\(no known price\\): ${SONNET} \\(fast mode\\)`));
  });
});
