import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Collector } from '../../../src/core/collector/collector';
import type { FileTailer } from '../../../src/core/collector/ports';
import { NodeFileTailer } from '../../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../../src/infra/fs/transcriptDiscovery';
import { Store } from '../../../src/infra/sqlite/store';
import { guard, openEngine, TempTree } from './engine';
import { assistant, jsonl, prompt } from './lines';

const S = 'aaaaaaaa-0000-4000-8000-000000000001';
const F = `-home-dev-proj/${S}.jsonl`;
const t = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, '0')}.000Z`;
const msg = (n: number, out: number, extra: Partial<Parameters<typeof assistant>[0]> = {}) =>
  assistant({
    uuid: `a${n}`,
    sessionId: S,
    ts: t(n),
    msgId: `msg_${n}`,
    reqId: `req_${n}`,
    usage: { in: 100 * n, out },
    block: { type: 'text', text: `answer ${n}` },
    ...extra,
  });

describe('ingest: tailing edge cases (real files, real store, real Privacy Guard)', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.dispose());

  it('a half-written last line is not read until completed, then read exactly once', async () => {
    const e = await openEngine(tree);
    const line2 = msg(1, 7);
    tree.write(F, `${prompt({ uuid: 'u1', sessionId: S, ts: t(0), text: 'hi' })}\n${line2.slice(0, 50)}`);
    let st = await e.scan();
    assert.equal(st.lines, 1);
    assert.equal(e.session(S)!.userPrompts, 1);
    assert.equal(e.session(S)!.apiMessages, 0);
    assert.deepEqual(st.skipped, {});
    tree.append(F, `${line2.slice(50)}\n`);
    st = await e.scan();
    assert.equal(st.lines, 1, 'only the completed line is read; the first line is not re-read');
    assert.equal(st.apiMessages, 1);
    assert.deepEqual(e.session(S)!.tokens, { input: 100, output: 7, cacheCreation: 0, cacheRead: 0 });
    st = await e.scan();
    assert.equal(st.lines, 0, 'warm rescan reads nothing');
    e.close();
  });

  it('a warm rescan opens no file (discovery and cursor agree on size, mtime and identity); a same-size replacement is still re-read', async () => {
    const store = await Store.open(tree.db);
    const tailer = new NodeFileTailer();
    let opened = 0;
    const counting: FileTailer = {
      read: (...a) => {
        opened++;
        return tailer.read(...a);
      },
    };
    const collector = new Collector(store, fsTranscriptSource, counting, guard);
    const p = tree.write(F, jsonl(msg(1, 10), msg(2, 20)));
    tree.write(`-home-dev-proj/${S}/subagents/agent-x1.jsonl`, jsonl(msg(3, 30, { isSidechain: true })));
    const scan = () => collector.scan([path.join(tree.root, 'cfg')]);
    await scan();
    assert.equal(opened, 2);
    opened = 0;
    let st = await scan();
    assert.equal(opened, 0, 'unchanged files are settled from their cursors');
    assert.equal(st.lines, 0);
    assert.equal(st.filesRead, 0);
    // Same bytes length, same mtime, new inode: identity differs, so it is read again.
    const { mtime } = fs.statSync(p);
    const tmp = `${p}.tmp`;
    fs.writeFileSync(tmp, jsonl(msg(1, 10), msg(2, 20)));
    fs.utimesSync(tmp, mtime, mtime);
    fs.renameSync(tmp, p);
    st = await scan();
    assert.equal(opened, 1);
    assert.equal(st.reread, 1);
    store.close();
  });

  it('a file truncated in place is re-read from 0; rows already archived stay; later appends count once', async () => {
    const e = await openEngine(tree);
    tree.write(F, jsonl(msg(1, 10), msg(2, 20), msg(3, 30)));
    await e.scan();
    // The CLI drops the last line after a stream error (truncate in place, same inode).
    const keep = Buffer.byteLength(jsonl(msg(1, 10), msg(2, 20)));
    fs.truncateSync(tree.file(F), keep);
    let st = await e.scan();
    assert.equal(st.reread, 1);
    assert.equal(st.lines, 2);
    assert.equal(st.apiMessages, 0, 're-reading adds no rows');
    // msg_3 was frozen at first sight: the ledger keeps it (100+200+300 in, 10+20+30 out)
    assert.deepEqual(e.session(S)!.tokens, { input: 600, output: 60, cacheCreation: 0, cacheRead: 0 });
    tree.append(F, jsonl(msg(4, 40)));
    st = await e.scan();
    assert.equal(st.lines, 1);
    assert.deepEqual(e.session(S)!.tokens, { input: 1000, output: 100, cacheCreation: 0, cacheRead: 0 });
    assert.equal(e.session(S)!.apiMessages, 4);
    e.close();
  });

  it('a replaced file (new inode, e.g. rotated by rename) is re-read without double counting', async () => {
    const e = await openEngine(tree);
    const p = tree.write(F, jsonl(msg(1, 10), msg(2, 20)));
    await e.scan();
    const ino = fs.statSync(p).ino;
    fs.writeFileSync(`${p}.tmp`, jsonl(msg(1, 10), msg(2, 20), msg(3, 30)));
    fs.renameSync(`${p}.tmp`, p);
    assert.notEqual(fs.statSync(p).ino, ino);
    const st = await e.scan();
    assert.equal(st.reread, 1);
    assert.equal(st.lines, 3);
    assert.equal(st.apiMessages, 1);
    assert.deepEqual(e.session(S)!.tokens, { input: 600, output: 60, cacheCreation: 0, cacheRead: 0 });
    e.close();
  });

  it('survives a 50 MB line: counted as too long, usage salvaged from its ends, the next line still read', async function () {
    this.timeout(60_000);
    const e = await openEngine(tree);
    const huge = assistant({
      uuid: 'a1',
      sessionId: S,
      ts: t(1),
      msgId: 'msg_big',
      reqId: 'req_big',
      usage: { in: 11, out: 4242, cw: 500, cr: 70 },
      block: { type: 'text', text: 'y'.repeat(50 * 1024 * 1024) },
    });
    const fd = fs.openSync(tree.file(F), 'w');
    fs.writeSync(fd, `${huge}\n`);
    fs.writeSync(fd, `${msg(2, 5)}\n`);
    fs.closeSync(fd);
    const heapBefore = process.memoryUsage().heapUsed;
    const st = await e.scan();
    assert.equal(st.lines, 2);
    assert.equal(st.skipped.line_too_long, 1);
    const s = e.session(S)!;
    assert.equal(s.apiMessages, 2);
    // big: 11/4242/500/70 ; msg_2: 200/5
    assert.deepEqual(s.tokens, { input: 211, output: 4247, cacheCreation: 500, cacheRead: 70 });
    assert.ok(
      process.memoryUsage().heapUsed - heapBefore < 40 * 1024 * 1024,
      'the 50 MB line was never held whole as a string',
    );
    const text = e.store.conversation(S).find((i) => i.id === 'r:msg_big:req_big')!.texts[0]!.text;
    assert.match(text, /exceeded the size cap/);
    e.close();
  });

  it('invalid UTF-8 is decoded with replacement and counted; unknown types and malformed lines are counted per reason', async () => {
    const e = await openEngine(tree);
    const good = prompt({ uuid: 'u1', sessionId: S, ts: t(0), text: 'caf\u00e9 BAD' });
    const bytes = Buffer.from(`${good}\n`);
    const at = bytes.indexOf('BAD');
    bytes[at] = 0xff; // not valid UTF-8 anywhere
    const rest = jsonl(
      JSON.stringify({ type: 'hologram-state', sessionId: S, beam: 1 }),
      '{"type":"user", this is not json',
      JSON.stringify({ type: 'assistant', sessionId: S, message: 'not an object' }),
      '[1,2,3]',
      JSON.stringify({ no: 'type' }),
      JSON.stringify({ type: 'attachment', sessionId: S, attachment: { type: 'date' } }),
      msg(1, 9),
    );
    tree.write(F, Buffer.concat([bytes, Buffer.from(rest)]));
    const st = await e.scan();
    assert.equal(st.lines, 8);
    assert.deepEqual(st.skipped, {
      invalid_utf8: 1,
      'unknown_type:hologram-state': 1,
      invalid_json: 1,
      'schema:assistant': 1,
      not_an_object: 1,
      no_type: 1,
    });
    assert.deepEqual(st.ignored, { attachment: 1 });
    const s = e.session(S)!;
    assert.equal(s.userPrompts, 1);
    assert.equal(s.apiMessages, 1);
    const promptText = e.store.conversation(S)[0]!.texts[0]!.text;
    assert.equal(promptText, 'caf\u00e9 \uFFFDAD');
    const diag = e.store.diagnostics().filter((d) => d.path === tree.file(F));
    assert.equal(diag.find((d) => d.reason === 'invalid_json')!.count, 1);
    e.close();
  });
});
