import type { TopicDoc, TopicOptions, TopicResult } from './topicDoc';
import { TopicModel } from './topicModel';

export { type Topic, type TopicDoc, type TopicOptions, type TopicResult, termsOf } from './topicDoc';

/**
 * Groups sessions by topic in one go: TF-IDF over their terms, spherical k-means (seeded), k by silhouette, each
 * cluster labelled by its centroid's top terms. Documents are sorted by session id first, so the row order never
 * matters. A long-lived caller keeps a TopicModel instead and updates it with each new set of documents.
 */
export function topics(docs: readonly TopicDoc[], opts: TopicOptions = {}): TopicResult {
  const model = new TopicModel(opts);
  model.update(docs);
  return model.result(opts.costOf, opts.minutesOf);
}
