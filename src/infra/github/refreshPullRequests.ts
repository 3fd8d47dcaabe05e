import type { Masker } from '../../core/privacy/masker';
import type { Store } from '../sqlite/store';
import { type CommitPull, fetchCommitPulls } from './commitPulls';

export interface PullRequestReport {
  requests: number;
  stored: number;
  notModified: number;
  errors: number;
  /** Set when GitHub asked us to wait: no request is sent before this time (ISO). */
  rateLimitedUntil: string | null;
}

/** A stored answer older than this is revalidated (with its ETag: a 304 costs no quota). */
const REVALIDATE_AFTER_MS = 60 * 60 * 1000;

/**
 * The opt-in GitHub step after a scan: for the commits of sessions in a GitHub repository, the pull requests that
 * contain them (commitPulls.ts), titles and URLs masked like any text. Stops at a rate limit and remembers until
 * when (meta github_backoff_until); what was not asked is asked on a later run. The token is sent, never logged.
 */
export async function refreshPullRequests(
  store: Store,
  masker: Masker,
  o: { baseUrl: string; token: string | undefined; maxRequests?: number; now?: () => number; fetchFn?: typeof fetch },
): Promise<PullRequestReport> {
  const now = o.now ?? Date.now;
  const report: PullRequestReport = { requests: 0, stored: 0, notModified: 0, errors: 0, rateLimitedUntil: null };
  const until = store.codeContext.githubBackoffUntil();
  if (until > now()) {
    report.rateLimitedUntil = new Date(until).toISOString();
    return report;
  }
  for (const l of store.codeContext.pullLookupsDue(now() - REVALIDATE_AFTER_MS, o.maxRequests ?? 200)) {
    report.requests++;
    const a = await fetchCommitPulls({ ...o, repo: l.repo, sha: l.sha, etag: l.etag, now });
    if (a.kind === 'rate-limited') {
      store.codeContext.setGithubBackoff(a.untilMs);
      report.rateLimitedUntil = new Date(a.untilMs).toISOString();
      break;
    }
    if (a.kind === 'not-modified') {
      store.codeContext.revalidatedPulls(l, now());
      report.notModified++;
    } else if (a.kind === 'error') report.errors++;
    else {
      const pulls: CommitPull[] = a.kind === 'ok' ? a.pulls : [];
      const masked = pulls.map((p) => ({
        ...p,
        title: masker.maskText(p.title).text,
        url: masker.maskText(p.url).text,
      }));
      store.codeContext.savePulls(l, JSON.stringify(masked), a.kind === 'ok' ? a.etag : null, now());
      report.stored++;
    }
  }
  return report;
}
