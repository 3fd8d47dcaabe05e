import * as path from 'node:path';
import { checkConnection } from '../core/sync/supabaseSettings';
import { dataDir } from '../infra/fs/dataDir';
import { SupabaseAuth } from '../infra/supabase/auth';
import { createSupabaseClient } from '../infra/supabase/client';
import { FileAuthStorage } from '../infra/supabase/fileAuthStorage';
import { type CliIo, UsageError } from './command';

/** Where `cct sync login` keeps the session (0600), shared by every command that talks to Supabase. */
export function authFile(env: CliIo['env']): string {
  return env.CCT_SUPABASE_AUTH_FILE || path.join(dataDir(env), 'supabase-auth.json');
}

/** The project from SUPABASE_URL / SUPABASE_ANON_KEY and the session `cct sync login` stored. */
export function connectSupabase(io: CliIo): SupabaseAuth {
  const url = io.env.SUPABASE_URL ?? '';
  const key = io.env.SUPABASE_ANON_KEY ?? '';
  if (!url || !key)
    throw new UsageError('set SUPABASE_URL and SUPABASE_ANON_KEY (the project URL and its publishable key)');
  const check = checkConnection(url, key);
  if (!check.ok) throw new UsageError(check.error!);
  const storage = new FileAuthStorage(authFile(io.env));
  const client = createSupabaseClient({ url: check.url!, anonKey: key }, { storage, autoRefreshToken: false });
  return new SupabaseAuth(client, storage);
}
