import type { RemoteFailure } from './ports';

/** What to do with a failed request. */
export type FailureAction =
  | { kind: 'refresh-auth' } // 401: refresh the session once, then retry
  | { kind: 'wait'; ms: number | undefined } // 429 (and 503 with Retry-After): wait as told, then retry
  | { kind: 'backoff' } // 5xx / network: full-jitter exponential backoff, then retry
  | { kind: 'split' } // 413 or statement timeout: the batch is too big
  | { kind: 'missing-parent' } // 409 / 23503: the session row is not on the server yet
  | { kind: 'reject' }; // any other 4xx: permanent for these rows

export function classify(f: RemoteFailure): FailureAction {
  const { status, code } = f;
  if (status === 0) return { kind: 'backoff' };
  if (status === 401 || code === 'PGRST301' || code === 'PGRST303') return { kind: 'refresh-auth' };
  if (status === 413 || code === '57014') return { kind: 'split' };
  if (status === 429) return { kind: 'wait', ms: f.retryAfterMs };
  if (status === 409 && code === '23503') return { kind: 'missing-parent' };
  if (status === 503 && f.retryAfterMs !== undefined) return { kind: 'wait', ms: f.retryAfterMs };
  if (status === 408 || status >= 500) return { kind: 'backoff' };
  return { kind: 'reject' };
}

/** Full jitter (AWS architecture blog): random(0, min(cap, base · 2^attempt)). */
export function fullJitter(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Parses a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Stops hammering a dead endpoint: after `threshold` consecutive transient failures the circuit opens for
 * `cooldownMs` (doubling on every failed probe, up to `maxCooldownMs`); when it elapses one probe request is
 * allowed (half-open); a success closes it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedUntil = 0;
  private cooldown: number;
  private probing = false;

  constructor(
    private readonly threshold = 5,
    private readonly baseCooldownMs = 30_000,
    private readonly maxCooldownMs = 300_000,
  ) {
    this.cooldown = baseCooldownMs;
  }

  state(now: number): BreakerState {
    if (this.openedUntil === 0) return 'closed';
    return now < this.openedUntil ? 'open' : 'half-open';
  }

  /** When the circuit will let a probe through (0 when closed). */
  retryAt(): number {
    return this.openedUntil;
  }

  /** May a request go out now? (In half-open, only one probe.) */
  allow(now: number): boolean {
    const s = this.state(now);
    if (s === 'closed') return true;
    if (s === 'open') return false;
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedUntil = 0;
    this.probing = false;
    this.cooldown = this.baseCooldownMs;
  }

  /** A transient failure (network, 5xx, 429 counts too: the endpoint is not taking our writes). */
  failure(now: number): void {
    this.failures++;
    if (this.probing) {
      this.probing = false;
      this.cooldown = Math.min(this.maxCooldownMs, this.cooldown * 2);
      this.openedUntil = now + this.cooldown;
      return;
    }
    if (this.failures >= this.threshold) this.openedUntil = now + this.cooldown;
  }
}

/**
 * Glob → RegExp for project-path exclusions: `**` any path (including separators), `*` within one segment,
 * `?` one non-separator character, `{a,b}` alternatives; a pattern without a slash matches the last segment
 * (like .gitignore). Paths are compared with forward slashes.
 */
export function globToRegExp(glob: string): RegExp {
  const g = glob.replace(/\\/g, '/').trim();
  const anchored = g.includes('/');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '*') {
      if (g[i + 1] === '*') {
        i++;
        if (g[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = g.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${g
          .slice(i + 1, end)
          .split(',')
          .map(escape)
          .join('|')})`;
        i = end;
      }
    } else re += escapeRegExpChar(ch);
  }
  return new RegExp(anchored ? `^${re}/?$` : `(?:^|/)${re}/?$`);
}

function escapeRegExpChar(s: string): string {
  return s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

export function isExcluded(projectPath: string | null, globs: readonly RegExp[]): boolean {
  if (!projectPath || globs.length === 0) return false;
  const p = projectPath.replace(/\\/g, '/');
  return globs.some((g) => g.test(p));
}
