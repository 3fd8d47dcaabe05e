import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import type { RemaskReport } from '../../../src/infra/sqlite/remask';
import { COMMANDS, EXTENSION_ID } from '../../../src/vscode/ids';
import type { ScanFeedback } from '../../../src/vscode/ingestController';
import { waitFor } from './waitFor';

/** A minimal transcript in the shape Claude Code 2.1.x writes (user prompt, then one assistant block with usage). */
function transcriptLines(sessionId: string, cwd: string): [string, string] {
  const envelope = {
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId,
    version: '2.1.332',
    gitBranch: 'main',
    entrypoint: 'cli',
  };
  const user = {
    ...envelope,
    parentUuid: null,
    type: 'user',
    message: { role: 'user', content: 'live tail check' },
    uuid: '0d1e2f30-0000-4000-8000-00000000a001',
    timestamp: '2026-11-28T12:00:00.000Z',
  };
  const assistant = {
    ...envelope,
    parentUuid: user.uuid,
    type: 'assistant',
    message: {
      id: 'msg_live_tail_0001',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
    requestId: 'req_live_tail_0001',
    uuid: '0d1e2f30-0000-4000-8000-00000000a002',
    timestamp: '2026-11-28T12:00:01.000Z',
  };
  return [JSON.stringify(user), JSON.stringify(assistant)];
}

describe('ingest inside the extension host', () => {
  let api: TracerApi;
  const expected = JSON.parse(process.env.CCT_EXPECTED_TOTALS ?? 'null') as {
    sessions: number;
    interactions: number;
    apiMessages: number;
  };

  before(async () => {
    assert.ok(expected, 'the harness passes the CLI totals of the same tree');
    api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
  });

  it('ingests the real-CLI transcripts on startup in a worker, into node:sqlite, with the same totals as `cct scan`', async () => {
    await waitFor('first scan', () => api.status().ingest.state === 'idle' && api.status().totals, 60_000);
    const s = api.status();
    assert.equal(s.storeBackend, 'node:sqlite');
    assert.deepEqual(
      { sessions: s.totals!.sessions, interactions: s.totals!.interactions, apiMessages: s.totals!.apiMessages },
      { sessions: expected.sessions, interactions: expected.interactions, apiMessages: expected.apiMessages },
    );
    assert.ok(s.storePath && existsSync(s.storePath), 'the store file exists');
    assert.ok(s.storePath.startsWith(process.env.CCT_DATA_DIR!), 'the store lives in the configured data dir');
  });

  it('sends the webview nothing of the planted secrets', () => {
    const planted = JSON.parse(process.env.CCT_PLANTED_SECRETS ?? '[]') as string[];
    assert.ok(planted.length >= 8);
    const message = JSON.stringify({ type: 'snapshot', status: api.status() });
    assert.deepEqual(
      planted.filter((v) => message.includes(v)),
      [],
    );
  });

  it('live-tails a growing transcript: a half-written line waits until it is completed', async () => {
    const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'projects', '-tmp-live-tail');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, '0d1e2f30-0000-4000-8000-00000000a000.jsonl');
    const [user, assistant] = transcriptLines('0d1e2f30-0000-4000-8000-00000000a000', '/tmp/live-tail');
    const cut = Math.floor(assistant.length / 2);
    writeFileSync(file, `${user}\n${assistant.slice(0, cut)}`);
    await waitFor('new session from the watcher', () => api.status().totals!.sessions === expected.sessions + 1);
    assert.equal(api.status().totals!.apiMessages, expected.apiMessages, 'the half line is not ingested yet');
    appendFileSync(file, `${assistant.slice(cut)}\n`);
    await waitFor('completed line ingested', () => api.status().totals!.apiMessages === expected.apiMessages + 1);
  });

  it('masks with custom rules from settings before storing (store file and WAL checked byte by byte)', async () => {
    const cfg = vscode.workspace.getConfiguration('claudeTracer');
    const rule = { id: 'acme', category: 'acme_token', keywords: ['acme_'], pattern: 'acme_[A-Za-z0-9]{24}' };
    await cfg.update(
      'privacy.customRules',
      [rule, { id: 'bad', category: 'x', keywords: [], pattern: 'x' }],
      vscode.ConfigurationTarget.Global,
    );
    const token = ['ac', 'me_', 'Q7zP'.repeat(6)].join('');
    try {
      const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'projects', '-tmp-custom-rule');
      mkdirSync(dir, { recursive: true });
      const sid = '0d1e2f30-0000-4000-8000-00000000b000';
      const [user] = transcriptLines(sid, '/tmp/custom-rule');
      const sessionsBefore = api.status().totals!.sessions;
      writeFileSync(
        path.join(dir, `${sid}.jsonl`),
        `${user.replace('live tail check', `deploy with ${token} please`).replace(/a001/g, 'b001')}\n`,
      );
      await waitFor('custom-rule session ingested', () => api.status().totals!.sessions === sessionsBefore + 1);
      const files = [api.status().storePath!, `${api.status().storePath!}-wal`].filter((f) => existsSync(f));
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      assert.equal(bytes.includes(token), false, 'the custom-rule secret is not in the store');
      assert.equal(bytes.includes('[REDACTED:acme_token:'), true, 'it was masked by the custom rule');
    } finally {
      await cfg.update('privacy.customRules', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('masks a password written the Japanese way (パスワードは…です) before storing it', async () => {
    const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'projects', '-tmp-japanese-prompt');
    mkdirSync(dir, { recursive: true });
    const sid = '0d1e2f30-0000-4000-8000-00000000c000';
    const [user] = transcriptLines(sid, '/tmp/japanese-prompt');
    const password = ['Xy7', 'kq9', 'Lm2p'].join('');
    const sessionsBefore = api.status().totals!.sessions;
    writeFileSync(
      path.join(dir, `${sid}.jsonl`),
      `${user.replace('live tail check', `本番DBのパスワードは${password}です。接続してください`).replace(/a001/g, 'c001')}\n`,
    );
    await waitFor('Japanese-prompt session ingested', () => api.status().totals!.sessions === sessionsBefore + 1);
    const files = [api.status().storePath!, `${api.status().storePath!}-wal`].filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    assert.equal(bytes.includes(password), false, 'the password is not in the store');
    assert.equal(
      bytes.includes(Buffer.from('パスワードは[REDACTED:password:')),
      true,
      'it was masked in place, the sentence kept',
    );
  });

  it('"Claude Tracer: Rebuild Index" re-reads the transcripts without duplicating anything', async () => {
    const before = api.status().totals!;
    // The command resolves with the stats of ITS scan (a watcher-triggered scan may follow right after).
    const r = (await vscode.commands.executeCommand<ScanFeedback>(COMMANDS.rebuildIndex))!;
    const s = api.status();
    assert.deepEqual(s.totals, before);
    assert.equal(r.stats!.filesRead, r.stats!.files, 'every transcript was read again from the start');
    assert.ok(r.stats!.files >= 15);
    assert.match(r.message, new RegExp(`${r.stats!.files} transcript files checked, ${r.stats!.files} read, 0 new`));
  });

  it('"Claude Tracer: Rescan Transcripts" tells the user what it found (files, new interactions, time)', async () => {
    const before = api.status().totals!;
    const r = await vscode.commands.executeCommand<ScanFeedback | undefined>(COMMANDS.rescan);
    assert.ok(r?.message, 'the command reports its result');
    assert.match(
      r.message,
      /^Claude Tracer: \d+ transcript files checked, \d+ read, 0 new interactions \(prompts and responses\), in \d+\.\d s\.$/,
    );
    // a watcher event or a follow-up request may start another scan right after this one: wait it out
    await waitFor('ingest idle after the rescan', () => api.status().ingest.state === 'idle');
    const s = api.status();
    assert.deepEqual(s.totals, before);
    assert.ok(s.ingest.lastScanAt);
  });

  it('"Claude Tracer: Re-mask Archive" masks the stored text under a custom rule added now; a second run changes nothing', async () => {
    const config = vscode.workspace.getConfiguration('claudeTracer');
    // every fixture prompt starts with SCENARIO:<name>: no built-in rule masks it, this rule does
    const rule = {
      id: 'scenario',
      category: 'scenario_name',
      keywords: ['scenario:'],
      pattern: 'SCENARIO:[A-Za-z]{3,20}',
    };
    await config.update('privacy.customRules', [rule], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('ingest idle after the settings change', () => api.status().ingest.state === 'idle');
      const r = await vscode.commands.executeCommand<RemaskReport | undefined>(COMMANDS.remaskArchive);
      assert.ok(r, 'the command ran');
      assert.equal(r.cancelled, false);
      assert.ok(r.rows > 0 && r.changed > 0, JSON.stringify(r));
      assert.equal(r.scrub?.walTruncated !== undefined, true);
      const again = await vscode.commands.executeCommand<RemaskReport | undefined>(COMMANDS.remaskArchive);
      assert.equal(again?.changed, 0);
    } finally {
      await config.update('privacy.customRules', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
