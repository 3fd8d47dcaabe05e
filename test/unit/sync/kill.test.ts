import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSupabase } from './fakeSupabase';
import { FileOutbox } from './fileOutbox';
import { interactionRow, sessionRow, signIn } from './helpers';

function runWorker(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'drainWorker.ts')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    workerPid = child.pid!;
    child.on('exit', (code, signal) => resolve({ code, signal, out, pid: child.pid! }));
  });
}
let workerPid = 0;

describe('a kill of the extension mid-batch', function () {
  this.timeout(60_000);
  it('SIGKILL while a committed batch is unanswered: the next process re-sends it and the server keeps each row once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cct-kill-'));
    const server = await new FakeSupabase().start();
    try {
      const { client, storage, userId } = await signIn(server);
      await client.auth.stopAutoRefresh();
      const authFile = join(dir, 'auth.json');
      writeFileSync(authFile, JSON.stringify(Object.fromEntries(storage.map)));
      const outboxFile = join(dir, 'outbox.json');
      const outbox = new FileOutbox(outboxFile);
      const keys = new Set<string>();
      for (let s = 0; s < 4; s++) {
        outbox.enqueueSession(sessionRow(`k-${s}`));
        for (let i = 0; i < 250; i++) {
          const r = interactionRow(`k-${s}`, i);
          keys.add(r.message_uuid);
          outbox.enqueueInteraction(r, '/work/k');
        }
      }
      let interactionPosts = 0;
      let killedBatch: string[] = [];
      server.fault = (req) => {
        if (req.path !== '/rest/v1/claude_interactions') return undefined;
        if (++interactionPosts !== 2) return undefined;
        killedBatch = (JSON.parse(req.body) as { message_uuid: string }[]).map((r) => r.message_uuid);
        return { drop: true, commit: true, after: () => process.kill(workerPid, 'SIGKILL') };
      };
      const env = {
        SUPABASE_URL: server.url,
        SUPABASE_ANON_KEY: server.anonKey,
        AUTH_FILE: authFile,
        OUTBOX_FILE: outboxFile,
        BATCH: '200',
      };
      const first = await runWorker(env);
      assert.equal(first.signal, 'SIGKILL', `worker 1 should have been killed: ${first.out}`);
      assert.equal(killedBatch.length, 200);
      const afterKill = new FileOutbox(outboxFile);
      const pendingKeys = new Set(afterKill.pending.map((e) => (e.row as { message_uuid?: string }).message_uuid));
      assert.ok(
        killedBatch.every((k) => pendingKeys.has(k)),
        'the unacknowledged batch is still in the outbox',
      );
      assert.ok(
        killedBatch.every((k) => server.interactions.has(`${userId}|${k}`)),
        'and it was committed on the server',
      );
      assert.equal(afterKill.pending.length, 1000 - 200, 'only the first (acknowledged) batch left the outbox');

      const second = await runWorker(env);
      assert.equal(second.code, 0, second.out);
      const report = JSON.parse(second.out.trim().split('\n').at(-1)!);
      const delivered = server.rowsOf('interactions', userId);
      console.log(
        `      kill figures: ${JSON.stringify({ killedBatch: killedBatch.length, resentAfterRestart: report.rowsSent, delivered: delivered.length, duplicates: delivered.filter((r) => r.writes > 1).length })}`,
      );
      assert.equal(delivered.length, 1000);
      assert.deepEqual(new Set(delivered.map((r) => String(r.row.message_uuid))), keys);
      assert.ok(
        delivered.every((r) => r.writes === 1),
        'the re-sent committed batch inserted nothing twice',
      );
      assert.equal(new FileOutbox(outboxFile).pending.length, 0);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
