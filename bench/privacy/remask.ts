/**
 * `npx tsx bench/privacy/remask.ts [--size-mib 32] [--rounds 2] [--backend node:sqlite|sql.js]`
 *
 * 1. The cost of `PRAGMA secure_delete = ON` on a cold ingest: the transcript benchmark's synthetic tree
 *    (bench/transcripts/generate.ts, cached under $TMPDIR/cct-bench) scanned into a new store with it off and on,
 *    alternating over the rounds (serial scan in this process, then the rollups, as `cct scan --serial` does);
 *    wall and process CPU time, best round of each and the median of the paired ratios.
 * 2. Re-mask throughput: the scanned store re-masked under a custom rule (MB of stored text per second, the
 *    batches alone), then the scrub (FTS merge + VACUUM + WAL truncate) timed apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Collector } from '../../src/core/collector/collector';
import { PriceTable } from '../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../src/core/privacy';
import { rulesHash } from '../../src/core/privacy/rulesHash';
import { NodeFileTailer } from '../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../src/infra/fs/transcriptDiscovery';
import type { BackendName } from '../../src/infra/sqlite/driver';
import { Store } from '../../src/infra/sqlite/store';
import { ensureTree } from '../transcripts/generate';

const args = process.argv.slice(2);
const flag = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const sizeMiB = Number(flag('size-mib', '32'));
const rounds = Number(flag('rounds', '2'));
const backend = flag('backend', 'node:sqlite') as BackendName;
const KEY = 'bench-remask-hmac-key-0123456789abcdef';
/** A rule for a word the generator writes often, so the re-mask has real work: a finding in many rows. */
const RULES = [{ id: 'bench', category: 'bench_word', keywords: ['cursor'], pattern: 'cursor [a-z]{2,12}' }];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-bench-remask-'));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function coldScan(dir: string, secureDelete: boolean, db: string) {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  const store = await Store.open(db, backend);
  store.db.exec(`PRAGMA secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
  const guard = createPrivacyGuard({ hmacKey: KEY });
  const t0 = performance.now();
  const c0 = cpuMs();
  const stats = await new Collector(store, fsTranscriptSource, new NodeFileTailer(), guard).scan([dir]);
  store.refreshRollups(PriceTable.builtin().thresholds());
  store.flush();
  const ms = performance.now() - t0;
  const cpu = cpuMs() - c0;
  store.close();
  return { ms, cpu, bytes: stats.bytes, fileBytes: fs.statSync(db).size };
}

async function main() {
  const { dir } = ensureTree(sizeMiB, 1, undefined, (s) => console.error(s));
  console.error(`tree ${dir}; ${rounds} rounds; backend ${backend}; load ${os.loadavg()[0]!.toFixed(1)}`);
  const runs: { off: Awaited<ReturnType<typeof coldScan>>; on: Awaited<ReturnType<typeof coldScan>> }[] = [];
  const db = path.join(work, 'store.db');
  for (let r = 0; r < rounds; r++) {
    // alternate which goes first, so drift on a shared machine falls on both
    const order = r % 2 === 0 ? [false, true] : [true, false];
    const res: Record<string, Awaited<ReturnType<typeof coldScan>>> = {};
    for (const sd of order) res[sd ? 'on' : 'off'] = await coldScan(dir, sd, db);
    runs.push({ off: res.off!, on: res.on! });
    console.error(
      `round ${r + 1}: off ${res.off!.ms.toFixed(0)} ms (cpu ${res.off!.cpu.toFixed(0)}), on ${res.on!.ms.toFixed(0)} ms (cpu ${res.on!.cpu.toFixed(0)})`,
    );
  }
  const best = (k: 'off' | 'on', m: 'ms' | 'cpu') => Math.min(...runs.map((x) => x[k][m]));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratioWall = median(runs.map((x) => x.on.ms / x.off.ms));
  const ratioCpu = median(runs.map((x) => x.on.cpu / x.off.cpu));
  const mib = runs[0]!.off.bytes / 1_048_576;

  // the last scan left a store (secure_delete on or off: the same rows); re-mask it under the custom rule
  const store = await Store.open(db, backend);
  const guard = createPrivacyGuard({ hmacKey: KEY, customRules: RULES });
  const t0 = performance.now();
  const c0 = cpuMs();
  const rep = await store.remask({
    guard,
    level: 'standard',
    rulesHash: rulesHash('standard', RULES),
    leaseOwner: 'bench',
  });
  const totalMs = performance.now() - t0;
  const remaskCpu = cpuMs() - c0;
  store.close();
  const scrubMs = rep.scrub?.ms ?? 0;
  const batchesMs = totalMs - scrubMs;
  const storedMiB = rep.bytes / 1_048_576;
  const out = {
    date: new Date().toISOString(),
    backend,
    treeMiB: Number(mib.toFixed(1)),
    rounds,
    load1: Number(os.loadavg()[0]!.toFixed(1)),
    coldScan: {
      offBestMs: Math.round(best('off', 'ms')),
      onBestMs: Math.round(best('on', 'ms')),
      offBestCpuMs: Math.round(best('off', 'cpu')),
      onBestCpuMs: Math.round(best('on', 'cpu')),
      medianRatioWall: Number(ratioWall.toFixed(3)),
      medianRatioCpu: Number(ratioCpu.toFixed(3)),
    },
    remask: {
      rows: rep.rows,
      changed: rep.changed,
      requeued: rep.requeued,
      storedTextMiB: Number(storedMiB.toFixed(1)),
      batchesMs: Math.round(batchesMs),
      mbPerS: Number((storedMiB / (batchesMs / 1000)).toFixed(1)),
      cpuMs: Math.round(remaskCpu),
      scrubMs,
      fileMiBBefore: Number((rep.scrub!.bytesBefore / 1_048_576).toFixed(1)),
      fileMiBAfter: Number((rep.scrub!.bytesAfter / 1_048_576).toFixed(1)),
    },
  };
  console.log(JSON.stringify(out, null, 2));
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
