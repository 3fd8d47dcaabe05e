import { parentPort } from 'node:worker_threads';
import { analyticsOf } from '../../core/analytics/analytics';
import { AnalyticsIndex } from '../../core/analytics/analyticsIndex';
import type { AnalyticsFilter } from '../../core/analytics/rows';
import { syncedInput } from '../../core/analytics/syncedInput';
import type { SyncedInteraction, SyncedSession } from '../../core/analytics/syncedRows';
import { TopicModel } from '../../core/analytics/topics/topicModel';
import { inputMetricsReport } from '../../core/metrics/inputMetricsReport';
import { PriceTable } from '../../core/pricing/priceTable';
import { StoreAnalyticsSource, tuneAnalyticsReader } from '../sqlite/analyticsSource';
import { Store } from '../sqlite/store';
import { storeMetricsReport } from '../sqlite/storeMetricsReport';
import type { AnalyticsWorkerToHost, HostToAnalyticsWorker, SyncedMetricsRequest } from './analyticsProtocol';

/**
 * The analytics worker thread: computes analytics off the extension host's main thread. It keeps the store open and
 * the rollups it read in memory, so after a scan only the sessions refreshed since are reloaded (StoreAnalyticsSource).
 * Requests are served one at a time, in order. The Metrics view's requests get its DTO, built here too.
 */
const prices = PriceTable.builtin();
let open:
  | { dbPath: string; store: Store; sources: Map<boolean, Kept>; topicModels: Map<string, TopicModel> }
  | undefined;

/** A source and the per-session analytics work kept for it (AnalyticsIndex: replaced when the zone or week start changes). */
interface Kept {
  source: StoreAnalyticsSource;
  index?: AnalyticsIndex;
}
/** Topic models kept: one per filter and seed asked for lately (the Metrics view switches between a few). */
const TOPIC_MODELS = 4;
let queue = Promise.resolve();

async function compute(msg: HostToAnalyticsWorker): Promise<AnalyticsWorkerToHost | undefined> {
  const t0 = performance.now();
  if (msg.type !== 'compute') return synced(msg, t0);
  if (open?.dbPath !== msg.dbPath) {
    open?.store.close();
    open = undefined;
    const store = await Store.open(msg.dbPath);
    tuneAnalyticsReader(store.db);
    open = { dbPath: msg.dbPath, store, sources: new Map(), topicModels: new Map() };
  }
  const topics = msg.request.topics !== false;
  let kept = open.sources.get(topics);
  if (!kept) {
    kept = { source: new StoreAnalyticsSource(open.store.db, prices, { topics }) };
    open.sources.set(topics, kept);
  }
  const { source } = kept;
  const { options, metrics } = msg.request;
  if (!kept.index?.serves(prices, options.timeZone, options.weekStartsOn))
    kept.index = new AnalyticsIndex(prices, options.timeZone, options.weekStartsOn);
  const filter = msg.request.filter ?? {};
  const result = analyticsOf(source.read(filter), prices, options, {
    index: kept.index,
    topics: topics ? topicModel(open.topicModels, filter, options.topicSeed ?? 1) : undefined,
  });
  const answer = metrics
    ? { report: storeMetricsReport(open.store, result, { range: metrics.range, nowMs: options.now }) }
    : { result };
  return { type: 'result', id: msg.id, answer, read: source.lastRead, ms: Math.round(performance.now() - t0) };
}

/** The kept topic model of this filter and seed (the least recently used one makes room). */
function topicModel(models: Map<string, TopicModel>, filter: AnalyticsFilter, seed: number): TopicModel {
  const key = JSON.stringify([filter, seed]);
  const m = models.get(key) ?? new TopicModel({ seed });
  models.delete(key);
  models.set(key, m);
  for (const k of models.keys()) if (models.size > TOPIC_MODELS) models.delete(k);
  return m;
}

/** Synced rows streamed by the host, per request until its end (or abort). */
const streams = new Map<
  number,
  { request: SyncedMetricsRequest; sessions: SyncedSession[]; interactions: SyncedInteraction[] }
>();

/** One message of a synced-rows stream: pages are kept; the end computes the DTO and answers. */
function synced(
  msg: Exclude<HostToAnalyticsWorker, { type: 'compute' }>,
  t0: number,
): AnalyticsWorkerToHost | undefined {
  if (msg.type === 'syncedBegin') {
    streams.set(msg.id, { request: msg.request, sessions: [], interactions: [] });
    return undefined;
  }
  const s = streams.get(msg.id);
  if (msg.type === 'syncedAbort') {
    streams.delete(msg.id);
    return undefined;
  }
  if (!s) throw new Error(`analytics worker: no synced rows stream ${msg.id}`);
  if (msg.type === 'syncedPage') {
    if (msg.table === 'sessions') for (const r of msg.rows) s.sessions.push(r);
    else for (const r of msg.rows) s.interactions.push(r);
    return undefined;
  }
  streams.delete(msg.id);
  const { options, range, scope, userScoped, topics } = s.request;
  const input = syncedInput(s.sessions, s.interactions, { userScoped, topics });
  const report = inputMetricsReport(input, analyticsOf(input, prices, options), { range, nowMs: options.now, scope });
  return { type: 'result', id: msg.id, answer: { report }, read: undefined, ms: Math.round(performance.now() - t0) };
}

parentPort?.on('message', (msg: HostToAnalyticsWorker) => {
  queue = queue.then(async () => {
    let answer: AnalyticsWorkerToHost | undefined;
    try {
      answer = await compute(msg);
    } catch (e) {
      if (msg.type !== 'compute') streams.delete(msg.id);
      answer = { type: 'error', id: msg.id, message: (e as Error).message };
    }
    if (answer) parentPort?.postMessage(answer);
  });
});

process.on('exit', () => open?.store.close());
