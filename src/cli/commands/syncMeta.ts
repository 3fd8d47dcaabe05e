/**
 * What `cct --help` shows for `sync`, apart from its implementation: the registry lists it without loading
 * supabase-js, which `cct sync` alone needs (bundled separately as dist/commands/sync.js).
 */
const USAGE = `cct sync <login|status|logout|push|delete-remote> [options]

  login --email ADDR [--code CODE]   send a one-time code to ADDR, then verify it (read from stdin unless --code)
  status [--json]                    who is signed in, token expiry
  logout                             sign this device out and delete the stored session
  push [--db FILE] [--mode metadata|full] [--exclude GLOB]... [--ignore-stored-exclusions] [--json]
                                     send the store's pending rows (its sync outbox) with the signed-in session;
                                     metadata (default): no prompt/response text; full: the masked text too.
                                     Projects excluded in the extension (claudeTracer.sync.excludeProjects, recorded
                                     in the store) are excluded here too, plus each --exclude GLOB (a glob over the
                                     project path, e.g. "**/secret-*" or "/home/me/work/client"); their queued rows
                                     are discarded unsent (the extension does not send them later either, unless
                                     they change). If the recorded list cannot be read, push refuses and
                                     sends nothing; --ignore-stored-exclusions pushes without it (--exclude still
                                     applies). The output (and --json "exclusions") lists the globs applied and the
                                     rows discarded because of them.
  delete-remote --yes                delete ALL your sessions and interactions on the Supabase project (GDPR)

Environment: SUPABASE_URL (https://<ref>.supabase.co), SUPABASE_ANON_KEY (the publishable key; a secret /
service-role key is refused). The session is kept in $CCT_SUPABASE_AUTH_FILE (default: <data dir>/supabase-auth.json, mode 0600).`;

export const SYNC_META = {
  name: 'sync',
  summary: 'Supabase: sign in with an email code, show status, push the local store, sign out, delete your remote data',
  usage: USAGE,
} as const;
