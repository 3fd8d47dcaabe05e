import type { AnalyticsFilter, AnalyticsInput as RowsOrCells } from '../../core/analytics/rows';
import { normalizeGlobs } from '../../core/sync/exclusions';
import { SyncEngine } from '../../core/sync/syncEngine';
import { defaultDbPath } from '../../infra/fs/dataDir';
import { SqliteOutbox } from '../../infra/sqlite/sqliteOutbox';
import { openExistingStore } from '../../infra/sqlite/store';
import { readStoredExclusions } from '../../infra/sqlite/syncExclusions';
import { SupabaseAnalyticsSource } from '../../infra/supabase/analyticsSource';
import { deleteRemoteSessions } from '../../infra/supabase/remoteForget';
import { RemoteReadError, SupabaseRemoteSearch } from '../../infra/supabase/remoteSearch';
import { SupabaseSyncRemote } from '../../infra/supabase/syncRemote';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { connectSupabase } from '../supabaseSession';
import { SYNC_META } from './syncMeta';

export { authFile } from '../supabaseSession';

/**
 * `cct forget --remote`: deletes the signed-in user's rows of these sessions on the server (deleteRemoteSessions,
 * the same supabase-js path as push). Not signed in → not ok, with the reason.
 */
export async function forgetRemote(
  sessionIds: readonly string[],
  io: CliIo,
): Promise<{ ok: boolean; message?: string }> {
  const auth = connectSupabase(io);
  try {
    if (!(await auth.state()).signedIn) return { ok: false, message: 'not signed in (cct sync login --email ADDR)' };
    return await deleteRemoteSessions(auth.client, sessionIds);
  } finally {
    auth.dispose();
  }
}

/**
 * `cct insights --remote` / `cct report blocks --remote`: the synced rows as analytics input, read with the stored
 * session so RLS decides what comes back: the signed-in user's own rows from every machine, or with `team` every row
 * a team owner/admin may read (theirs and their accepted members', sessions keyed user/session). Not signed in,
 * not an admin, or Supabase unreachable: not ok, with the reason and the exit code (3: sign in first, 1: failure).
 */
export async function remoteAnalyticsInput(
  io: CliIo,
  opts: { filter: AnalyticsFilter; team: boolean; topics: boolean },
): Promise<{ ok: true; input: RowsOrCells } | { ok: false; code: 1 | 3; message: string }> {
  const auth = connectSupabase(io);
  try {
    const state = await auth.state();
    if (!state.signedIn || !state.userId)
      return { ok: false, code: 3, message: 'not signed in (cct sync login --email ADDR)' };
    if (opts.team && !(await new SupabaseRemoteSearch(auth.client).isTeamAdmin(state.userId)))
      return { ok: false, code: 1, message: '--team: you are not an owner or admin of a team' };
    const source = new SupabaseAnalyticsSource(auth.client, {
      userId: opts.team ? undefined : state.userId,
      topics: opts.topics,
    });
    return { ok: true, input: await source.read(opts.filter) };
  } catch (e) {
    if (e instanceof RemoteReadError)
      return {
        ok: false,
        code: e.kind === 'auth' ? 3 : 1,
        message:
          e.kind === 'auth'
            ? `Supabase refused the session (${e.message}): cct sync login again`
            : e.kind === 'outage'
              ? `Supabase could not be reached: ${e.message}`
              : e.message,
      };
    throw e;
  } finally {
    auth.dispose();
  }
}

const connect = connectSupabase;

async function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let buf = '';
  for await (const chunk of stdin) {
    buf += String(chunk);
    const nl = buf.indexOf('\n');
    if (nl >= 0) return buf.slice(0, nl);
  }
  return buf;
}

export const syncCommand: CliCommand = {
  ...SYNC_META,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub) throw new UsageError('missing subcommand');
    if (sub === 'login') {
      const p = parseArgs(rest, { values: ['email', 'code'] });
      const email = lastFlag(p, 'email');
      if (!email) throw new UsageError('login needs --email');
      const auth = connect(io);
      try {
        await auth.sendEmailCode(email);
        let code = lastFlag(p, 'code');
        if (!code) {
          io.stderr.write(`a one-time code was sent to ${email}; type it and press Enter: `);
          code = (await readLine(io.stdin)).trim();
        }
        const st = await auth.verifyEmailCode(email, code);
        io.stdout.write(`signed in as ${st.email ?? email} (${st.userId})\n`);
        return 0;
      } finally {
        auth.dispose();
      }
    }
    if (sub === 'status') {
      const p = parseArgs(rest, { booleans: ['json'] });
      const auth = connect(io);
      try {
        const st = await auth.state();
        if (p.booleans.has('json')) io.stdout.write(`${JSON.stringify(st)}\n`);
        else if (!st.signedIn) io.stdout.write('not signed in (cct sync login --email ADDR)\n');
        else
          io.stdout.write(
            `signed in as ${st.email ?? st.userId}; access token valid until ${st.expiresAt ? new Date(st.expiresAt * 1000).toISOString() : '?'}\n`,
          );
        return st.signedIn ? 0 : 3;
      } finally {
        auth.dispose();
      }
    }
    if (sub === 'logout') {
      parseArgs(rest, {});
      const auth = connect(io);
      try {
        await auth.signOut();
        io.stdout.write('signed out\n');
        return 0;
      } finally {
        auth.dispose();
      }
    }
    if (sub === 'delete-remote') {
      const p = parseArgs(rest, { booleans: ['yes'] });
      if (!p.booleans.has('yes'))
        throw new UsageError('delete-remote deletes all your synced data on the server; confirm with --yes');
      const auth = connect(io);
      try {
        if (!(await auth.state()).signedIn) {
          io.stderr.write('cct sync: not signed in\n');
          return 3;
        }
        const n = await auth.deleteMyRemoteData();
        io.stdout.write(
          `deleted ${n.sessions} sessions, ${n.interactions} interactions, ${n.teams} teams, ${n.memberships} memberships\n`,
        );
        return 0;
      } finally {
        auth.dispose();
      }
    }
    if (sub === 'push') return push(rest, io);
    throw new UsageError(`unknown subcommand '${sub}'`);
  },
};

/**
 * Drains the store's outbox (SqliteOutbox) once through the SyncEngine. Interactions are merged on conflict: the
 * outbox re-enqueues an interaction that grew after it was sent (streamed blocks), and the newer row must win.
 * Excluded projects: the list the extension recorded in the store (its claudeTracer.sync.excludeProjects) plus
 * every --exclude; their queued rows are discarded unsent. A recorded list that cannot be read stops the push
 * before anything is sent, unless --ignore-stored-exclusions.
 * Exit: 0 drained, 1 rows left queued (server down / gave up) or the recorded exclusions unreadable, 3 not signed
 * in or the session was refused.
 */
async function push(args: string[], io: CliIo): Promise<number> {
  const p = parseArgs(args, { values: ['db', 'mode', 'exclude'], booleans: ['json', 'ignore-stored-exclusions'] });
  if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
  const mode = lastFlag(p, 'mode') ?? 'metadata';
  if (mode !== 'metadata' && mode !== 'full') throw new UsageError('--mode must be metadata or full');
  const flagGlobs = p.flags.get('exclude') ?? [];
  if (flagGlobs.some((g) => !g.trim()))
    throw new UsageError('--exclude needs a glob (e.g. --exclude "**/secret-project")');
  const ignoreStored = p.booleans.has('ignore-stored-exclusions');
  const auth = connect(io);
  try {
    if (!(await auth.state()).signedIn) {
      io.stderr.write('cct sync: not signed in (cct sync login --email ADDR)\n');
      return 3;
    }
    const store = await openExistingStore(lastFlag(p, 'db') ?? defaultDbPath(io.env));
    try {
      const stored = readStoredExclusions(store);
      if (stored.state === 'unreadable' && !ignoreStored) {
        io.stderr.write(
          `cct sync: the project exclusions recorded by the extension (claudeTracer.sync.excludeProjects) cannot be read: ${stored.error}. ` +
            'Nothing was sent. Open VS Code with Claude Code Tracer to record them again, or push without them: --ignore-stored-exclusions (with --exclude GLOB for the projects to keep local)\n',
        );
        return 1;
      }
      const fromStore = stored.state === 'ok' && !ignoreStored ? stored.globs : [];
      const globs = normalizeGlobs([...fromStore, ...flagGlobs]);
      const outbox = new SqliteOutbox(store);
      const engine = new SyncEngine(outbox, new SupabaseSyncRemote(auth.client, { interactionResolution: 'merge' }), {
        mode,
        excludeProjects: globs,
      });
      const t0 = Date.now();
      const rep = await engine.drain();
      engine.dispose();
      const left = await outbox.stats();
      const exclusions = {
        globs,
        stored: ignoreStored ? 'ignored' : stored.state === 'ok' ? 'applied' : 'none',
        fromStore,
        fromFlags: normalizeGlobs(flagGlobs),
        discarded: rep.discarded,
      };
      const out = {
        outcome: rep.outcome,
        mode,
        requests: rep.requests,
        rowsSent: rep.rowsSent,
        acked: rep.acked,
        retried: rep.rowsRetried,
        deadLettered: rep.deadLettered,
        discarded: rep.discarded,
        waitingForParent: rep.waitingForParent,
        requeuedForMode: rep.requeuedForMode,
        bytesSent: rep.bytesSent,
        pending: left.pending,
        deadLetters: left.deadLetters,
        ms: Date.now() - t0,
        exclusions,
        ...(rep.retryAt ? { retryAt: new Date(rep.retryAt).toISOString() } : {}),
        ...(rep.lastError ? { lastError: rep.lastError } : {}),
      };
      if (p.booleans.has('json')) io.stdout.write(`${JSON.stringify(out)}\n`);
      else
        io.stdout.write(
          `${rep.outcome}: sent ${out.rowsSent} rows in ${out.requests} requests (${out.mode}), acked ${out.acked}, retried ${out.retried}, ` +
            `dead-lettered ${out.deadLettered}; ${out.pending} still queued, ${out.deadLetters} dead letters` +
            `${out.retryAt ? `; retry after ${out.retryAt}` : ''}\n${describeExclusions(exclusions)}\n${out.lastError ? `last error: ${out.lastError}\n` : ''}`,
        );
      if (rep.outcome === 'drained') return 0;
      if (rep.outcome === 'auth-required') {
        io.stderr.write('cct sync: the server refused the session; sign in again (cct sync login --email ADDR)\n');
        return 3;
      }
      return 1;
    } finally {
      store.close();
    }
  } finally {
    auth.dispose();
  }
}

function describeExclusions(x: {
  globs: string[];
  stored: string;
  fromStore: string[];
  fromFlags: string[];
  discarded: number;
}): string {
  const source =
    x.stored === 'applied'
      ? `${x.fromStore.length} recorded by the extension`
      : x.stored === 'ignored'
        ? "the extension's list ignored (--ignore-stored-exclusions)"
        : 'none recorded by the extension';
  const list = x.globs.length ? x.globs.map((g) => JSON.stringify(g)).join(', ') : 'none';
  return `excluded projects: ${list} (${source}, ${x.fromFlags.length} from --exclude); ${x.discarded} rows of excluded projects discarded unsent`;
}
