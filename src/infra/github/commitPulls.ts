import * as z from 'zod';

/** A pull request containing a commit, as stored (title masked by the caller). */
export interface CommitPull {
  number: number;
  title: string;
  state: string;
  url: string;
  mergedAt: string | null;
}

const PullSchema = z.looseObject({
  number: z.number(),
  title: z.string(),
  state: z.string(),
  html_url: z.string(),
  merged_at: z.string().nullish(),
});
const PullsSchema = z.array(PullSchema);

export type CommitPullsAnswer =
  | { kind: 'ok'; pulls: CommitPull[]; etag: string | null }
  /** 304 to If-None-Match: what was stored still holds (GitHub does not count it against the quota). */
  | { kind: 'not-modified' }
  /** 404/422: no such commit or repository (or no access): stored as no pull requests. */
  | { kind: 'none' }
  /** Primary or secondary rate limit: nothing more until `untilMs`. */
  | { kind: 'rate-limited'; untilMs: number }
  /** 5xx, 401, a network error or a body that is not the documented shape: try again on a later run. */
  | { kind: 'error'; reason: string };

/**
 * `GET {base}/repos/{owner}/{repo}/commits/{sha}/pulls` with the token (never logged) and the stored ETag.
 * Rate limits: 403/429 with `x-ratelimit-remaining: 0` wait until `x-ratelimit-reset`; `retry-after` (secondary
 * limits) waits that many seconds; a 403/429 with neither waits a minute, as GitHub's docs advise.
 */
export async function fetchCommitPulls(o: {
  baseUrl: string;
  token: string | undefined;
  repo: string;
  sha: string;
  etag: string | null;
  now?: () => number;
  fetchFn?: typeof fetch;
}): Promise<CommitPullsAnswer> {
  const now = o.now ?? Date.now;
  const url = `${o.baseUrl.replace(/\/+$/, '')}/repos/${o.repo}/commits/${encodeURIComponent(o.sha)}/pulls`;
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'claude-code-tracer',
  };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.etag) headers['if-none-match'] = o.etag;
  let res: Response;
  try {
    res = await (o.fetchFn ?? fetch)(url, { headers, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    return { kind: 'error', reason: e instanceof Error ? e.name : 'network' };
  }
  if (res.status === 304) return { kind: 'not-modified' };
  if (res.status === 403 || res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    if (Number.isFinite(retryAfter) && retryAfter > 0)
      return { kind: 'rate-limited', untilMs: now() + retryAfter * 1000 };
    if (remaining === '0' && Number.isFinite(reset) && reset > 0)
      return { kind: 'rate-limited', untilMs: reset * 1000 };
    if (res.status === 429 || remaining === '0') return { kind: 'rate-limited', untilMs: now() + 60_000 };
    return { kind: 'error', reason: 'http 403' }; // forbidden for another reason (no access): try later
  }
  if (res.status === 404 || res.status === 422) return { kind: 'none' };
  if (!res.ok) return { kind: 'error', reason: `http ${res.status}` };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { kind: 'error', reason: 'body not JSON' };
  }
  const parsed = PullsSchema.safeParse(body);
  if (!parsed.success) return { kind: 'error', reason: 'unexpected body' };
  return {
    kind: 'ok',
    etag: res.headers.get('etag'),
    pulls: parsed.data.map((p) => ({
      number: p.number,
      title: p.title,
      state: p.state,
      url: p.html_url,
      mergedAt: p.merged_at ?? null,
    })),
  };
}
