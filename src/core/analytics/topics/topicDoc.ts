import { tokenize } from './tokenize';

/** What a session was about, from masked text only: its first prompts, its title, its tool targets. */
export interface TopicDoc {
  sessionId: string;
  texts: string[];
  /** File paths, search patterns, command lines the session's tools worked on. */
  toolTargets: string[];
  /** Its terms when a cache already tokenized texts and targets (the store keeps them per session). */
  tokens?: string[];
}

/** The terms of a topic document (tokenize over its texts, then its tool targets). */
export const termsOf = (d: TopicDoc): string[] =>
  d.tokens ?? [...d.texts.flatMap(tokenize), ...d.toolTargets.flatMap(tokenize)];

export interface Topic {
  /** The top three terms. */
  label: string;
  terms: string[];
  sessionIds: string[];
  costUsd: number | null;
  /** Sum of the sessions' first-to-last activity. */
  minutes: number;
}

export interface TopicResult {
  k: number;
  /** Mean silhouette of the chosen k (cosine distance) on the documents k was chosen on; null when there was nothing to choose. */
  silhouette: number | null;
  topics: Topic[];
  /** Sessions with no usable terms (empty, or only masked text). */
  unclustered: string[];
}

export interface TopicOptions {
  seed?: number;
  /** Largest k tried (default 12, and at most √(n/2) + 1); k is chosen by the best silhouette, ties to the smaller k. */
  maxK?: number;
  /**
   * Documents k is chosen on (an evenly spaced sample of those sorted by session id; default 2,000): each k tried is
   * clustered and scored on them, then the chosen k clusters every document starting from the sample's centroids.
   */
  sample?: number;
  costOf?: (sessionId: string) => number | undefined;
  minutesOf?: (sessionId: string) => number;
}
