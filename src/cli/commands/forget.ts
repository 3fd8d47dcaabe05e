import * as path from 'node:path';
import { dataDir, defaultDbPath, ensurePrivateDataDir } from '../../infra/fs/dataDir';
import { Store } from '../../infra/sqlite/store';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadSyncBundle } from '../syncBundle';

const USAGE = `cct forget SESSION_ID... | --project GLOB [--remote] [--db FILE] [--backend auto|node:sqlite|sql.js] [--json]
cct forget --undo SESSION_ID... [--db FILE] [--json]
cct forget --list [--db FILE] [--json]

  Deletes every row of the sessions from the local store (prompts, responses, tool calls, usage, full-text index,
  rollups, queued sync entries, privacy finding counts, diagnostics of their files), with the freed bytes zeroed
  and the WAL checkpointed, and leaves a tombstone: later scans do not ingest them again while their transcripts
  are on disk (their own files are skipped; copies of their lines in a fork or resume are dropped).
  --project GLOB   every session whose project path matches (as sync's --exclude: "**/client-*", "/home/me/work/x")
  --remote         also delete them from Supabase (the signed-in user's rows only; SUPABASE_URL, SUPABASE_ANON_KEY
                   and the session of cct sync login)
  --undo           Unforget: remove the tombstone; the next scan re-reads the transcripts that still exist
  --list           the tombstones`;

export const forgetCommand: CliCommand = {
  name: 'forget',
  summary: 'delete sessions from the store (and with --remote from Supabase) and keep later scans from re-adding them',
  usage: USAGE,
  async run(args, io) {
    const p = parseArgs(args, {
      values: ['db', 'backend', 'project'],
      booleans: ['remote', 'json', 'undo', 'list'],
    });
    const json = p.booleans.has('json');
    const project = lastFlag(p, 'project');
    const undo = p.booleans.has('undo');
    const list = p.booleans.has('list');
    if ([undo, list, project !== undefined].filter(Boolean).length > 1)
      throw new UsageError('use one of SESSION_ID..., --project, --undo, --list');
    if (project !== undefined && !project.trim()) throw new UsageError('--project needs a glob');
    if (project !== undefined && p.positionals.length) throw new UsageError('give session ids or --project, not both');
    if (!list && project === undefined && p.positionals.length === 0)
      throw new UsageError('name the sessions to forget (or --project GLOB)');
    if (list && p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    if ((undo || list) && p.booleans.has('remote'))
      throw new UsageError('--remote goes with forgetting, not --undo/--list');
    for (const id of p.positionals)
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) throw new UsageError(`'${id}' is not a session id`);
    // --remote needs the project before anything is deleted here (a missing setting must not leave half a forget)
    if (p.booleans.has('remote') && (!io.env.SUPABASE_URL || !io.env.SUPABASE_ANON_KEY))
      throw new UsageError(
        '--remote: set SUPABASE_URL and SUPABASE_ANON_KEY (the project URL and its publishable key)',
      );
    const backend = lastFlag(p, 'backend') ?? 'auto';
    if (!['auto', 'node:sqlite', 'sql.js'].includes(backend))
      throw new UsageError('--backend must be auto, node:sqlite or sql.js');
    const dbPath = lastFlag(p, 'db') ?? defaultDbPath(io.env);
    if (path.resolve(dbPath) === path.resolve(defaultDbPath(io.env))) ensurePrivateDataDir(dataDir(io.env));
    const store = await Store.open(dbPath, backend as 'auto');
    const out = (human: string, data: unknown) => io.stdout.write(json ? `${JSON.stringify(data)}\n` : `${human}\n`);
    try {
      if (list) {
        const t = store.tombstones();
        out(
          t.length
            ? t
                .map(
                  (x) => `${x.sessionId}  forgotten ${new Date(x.forgottenAt).toISOString()}  ${x.files.length} files`,
                )
                .join('\n')
            : 'no forgotten sessions',
          t,
        );
        return 0;
      }
      // A running scan would write the rows back (or, on sql.js, overwrite the file): hold the ingest lease.
      const owner = `cct-forget:${process.pid}:${Date.now()}`;
      if (!store.acquireLease(owner, 60_000)) {
        io.stderr.write(
          `cct forget: another process (${store.leaseHolder()}) is ingesting into ${dbPath}; try again later\n`,
        );
        return 3;
      }
      try {
        if (undo) {
          const undone: { sessionId: string; files: string[] }[] = [];
          const missing: string[] = [];
          for (const id of p.positionals) {
            const files = store.unforget(id);
            if (files) undone.push({ sessionId: id, files });
            else missing.push(id);
          }
          store.flush();
          for (const id of missing) io.stderr.write(`cct forget: ${id} was not forgotten\n`);
          out(
            undone
              .map((u) => `unforgot ${u.sessionId} (${u.files.length} files re-read at the next scan)`)
              .join('\n') || 'nothing to undo',
            { unforgotten: undone, notForgotten: missing },
          );
          return missing.length ? 1 : 0;
        }
        const ids = project !== undefined ? store.sessionsOfProject(project) : p.positionals;
        if (ids.length === 0) {
          out(`no session's project matches ${project}`, { sessions: [], interactions: 0, files: [] });
          return 0;
        }
        const r = store.forget(ids);
        let remote: { ok: boolean; message?: string } | undefined;
        if (p.booleans.has('remote')) remote = await (await loadSyncBundle()).forgetRemote(r.sessions, io);
        out(
          [
            `forgot ${r.sessions.length} sessions (${r.interactions} interactions deleted; ${r.files.length} transcript files will be skipped or filtered)`,
            ...(r.checkpointBusy
              ? ['the WAL is in use by another connection: its old pages go at its next checkpoint']
              : []),
            ...(remote?.ok ? ['deleted them from Supabase'] : []),
          ].join('\n'),
          { ...r, ...(remote ? { remote } : {}) },
        );
        if (remote && !remote.ok) {
          io.stderr.write(
            `cct forget: the local store is done, but deleting from Supabase failed: ${remote.message}; run again with --remote to retry\n`,
          );
          return 1;
        }
        return 0;
      } finally {
        store.releaseLease(owner);
      }
    } finally {
      store.close();
    }
  },
};
