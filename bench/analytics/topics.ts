/**
 * `npm run bench:topics` — topic clustering alone at the scale: 20,000 topic documents (the v3 synthetic
 * store's cached terms, bench/analytics/syntheticStore.ts), each run in a fresh process:
 *   cold         every document clustered (what the first analytics refresh of a worker does);
 *   one new doc  the same set plus one new session's document, given to the TopicModel kept since cold (what the
 *                analytics worker's refresh after a scan does: places it instead of clustering again);
 *   peak RSS     of that process (its documents, terms and clustering; the store's other rollups are not read).
 * Quality beside speed: purity against the latent topics the texts were drawn from (topicTexts.ts). The whole
 * analytics refresh (topics included) is bench:analytics. Speed targets are checked here, never in unit tests.
 *
 *   npm run bench:topics -- [--runs 3] [--sessions 20000] [--interactions 2000000]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { TopicModel } from '../../src/core/analytics/topics/topicModel';
import { type TopicDoc, type TopicResult, termsOf, topics } from '../../src/core/analytics/topics/topics';
import { mulberry32 } from '../../src/core/random/mulberry32';
import { Store } from '../../src/infra/sqlite/store';
import { TEXT_SEED, topicStore } from './syntheticStore';
import { sessionText, vocabulary } from './topicTexts';

const REPO = path.resolve(__dirname, '../..');
const NODE22 = path.join(REPO, 'node_modules/.bin/node');
const argv = process.argv.slice(2);
const arg = (n: string, d: string) => (argv.includes(n) ? (argv[argv.indexOf(n) + 1] ?? d) : d);
/** The analytics issue's budgets for the whole refresh: topics must leave most of them to the rest. */
const TARGETS = { coldMs: 5000, incrementalMs: 300, peakRssMiB: 300 };

interface Figures {
  docs: number;
  readMs: number;
  coldMs: number;
  coldCpuMs: number;
  oneNewMs: number;
  oneNewCpuMs: number;
  peakRssMiB: number;
  k: number;
  silhouette: number | null;
  purity: number;
  labels: string[];
}

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => Math.round((b.user - a.user + b.system - a.system) / 1000);

/** Times fn by wall clock and by this process's CPU (on a shared machine the wall clock measures the neighbours). */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  return { value, ms: Math.round(performance.now() - t0), cpuMs: cpuMs(c0, process.cpuUsage()) };
}

/** Share of sessions whose topic's majority latent topic is their own. */
function purity(r: TopicResult, truth: (sid: string) => number): number {
  let right = 0;
  let all = 0;
  for (const t of r.topics) {
    const counts = new Map<number, number>();
    for (const s of t.sessionIds) counts.set(truth(s), (counts.get(truth(s)) ?? 0) + 1);
    right += Math.max(...counts.values());
    all += t.sessionIds.length;
  }
  return all ? right / all : 0;
}

async function child(db: string): Promise<Figures> {
  const store = await Store.open(db);
  const read = timed(() =>
    store.db
      .prepare('SELECT session_id, terms FROM analytics_sessions WHERE terms IS NOT NULL ORDER BY session_id')
      .values()
      .map(
        (r): TopicDoc => ({ sessionId: String(r[0]), texts: [], toolTargets: [], tokens: JSON.parse(String(r[1])) }),
      ),
  );
  store.close();
  const docs = read.value;
  const rnd = mulberry32(5);
  const cost = new Map(docs.map((d) => [d.sessionId, rnd() * 3]));
  const costOf = (sid: string) => cost.get(sid);
  const minutesOf = (sid: string) => (cost.get(sid) ?? 0) * 20;
  const v = vocabulary(TEXT_SEED);
  const text = sessionText(v, TEXT_SEED, 20_000);
  const added: TopicDoc = { sessionId: 'bench-new', texts: text.prompts, toolTargets: [] };
  added.tokens = termsOf(added);
  const cold = timed(() => topics(docs, { costOf, minutesOf }));
  const model = new TopicModel();
  model.update(docs);
  const withNew = [...docs, added];
  const oneNew = timed(() => {
    const u = model.update(withNew);
    if (u.full) throw new Error('one new document reclustered everything');
    return model.result(costOf, minutesOf);
  });
  const truth = (sid: string) =>
    sid === 'bench-new' ? text.topic : sessionText(v, TEXT_SEED, Number(sid.slice(-12))).topic;
  return {
    docs: docs.length,
    readMs: read.ms,
    coldMs: cold.ms,
    coldCpuMs: cold.cpuMs,
    oneNewMs: oneNew.ms,
    oneNewCpuMs: oneNew.cpuMs,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    k: cold.value.k,
    silhouette: cold.value.silhouette,
    purity: Math.round(purity(oneNew.value, truth) * 1000) / 1000,
    labels: cold.value.topics.slice(0, 4).map((t) => `${t.label} (${t.sessionIds.length})`),
  };
}

async function main() {
  if (argv.includes('--child')) {
    process.stdout.write(`${JSON.stringify(await child(arg('--db', '')))}\n`);
    return;
  }
  const db = await topicStore(Number(arg('--sessions', '20000')), Number(arg('--interactions', '2000000')));
  const all: Figures[] = [];
  for (let i = 0; i < Number(arg('--runs', '3')); i++) {
    const r = spawnSync(NODE22, ['--import', 'tsx', __filename, '--child', '--db', db], {
      cwd: REPO,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`topics run failed: ${r.stderr}`);
    all.push(JSON.parse(r.stdout) as Figures);
  }
  const med = (k: keyof Figures) => all.map((f) => Number(f[k])).sort((a, b) => a - b)[Math.floor(all.length / 2)]!;
  const mark = (value: number, target: number) => (value <= target ? 'meets' : 'MISSES');
  const f = all[0]!;
  const load = `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
  console.log(
    `topics over ${f.docs} documents (terms read in ${med('readMs')} ms), median of ${all.length} fresh processes; ${load}`,
  );
  console.log(
    `  cold:        ${med('coldMs')} ms wall, ${med('coldCpuMs')} ms CPU — whole refresh target ≤ ${TARGETS.coldMs} ms: ${mark(med('coldCpuMs'), TARGETS.coldMs)} (by CPU)`,
  );
  console.log(
    `  one new doc: ${med('oneNewMs')} ms wall, ${med('oneNewCpuMs')} ms CPU — incremental refresh target ≤ ${TARGETS.incrementalMs} ms: ${mark(med('oneNewCpuMs'), TARGETS.incrementalMs)} (by CPU)`,
  );
  console.log(
    `  peak RSS:    ${med('peakRssMiB')} MiB — target ≤ ${TARGETS.peakRssMiB}: ${mark(med('peakRssMiB'), TARGETS.peakRssMiB)}`,
  );
  console.log(
    `  quality:     k ${f.k}, silhouette ${f.silhouette?.toFixed(3)}, purity ${med('purity')} against the latent topics; ${f.labels.join(' / ')}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
