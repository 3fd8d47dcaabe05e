/**
 * A stand-in for the extension host process in the kill test: loads the persisted outbox and auth session from
 * files, drains to SUPABASE_URL with the real SyncEngine + supabase-js, prints the report as JSON. The parent
 * SIGKILLs it mid-batch and starts a fresh one.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SyncEngine } from '../../../src/core/sync/syncEngine';
import { type AuthStorage, createSupabaseClient } from '../../../src/infra/supabase/client';
import { SupabaseSyncRemote } from '../../../src/infra/supabase/syncRemote';
import { FileOutbox } from './fileOutbox';

class FileStorage implements AuthStorage {
  constructor(private readonly file: string) {}
  private read(): Record<string, string> {
    return existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : {};
  }
  async getItem(k: string) {
    return this.read()[k] ?? null;
  }
  async setItem(k: string, v: string) {
    writeFileSync(this.file, JSON.stringify({ ...this.read(), [k]: v }));
  }
  async removeItem(k: string) {
    const m = this.read();
    delete m[k];
    writeFileSync(this.file, JSON.stringify(m));
  }
}

const env = process.env;
const client = createSupabaseClient(
  { url: env.SUPABASE_URL!, anonKey: env.SUPABASE_ANON_KEY! },
  { storage: new FileStorage(env.AUTH_FILE!), autoRefreshToken: false },
);
const engine = new SyncEngine(new FileOutbox(env.OUTBOX_FILE!), new SupabaseSyncRemote(client), {
  mode: 'full',
  maxBatchRows: Number(env.BATCH ?? 500),
});
void engine.drain().then((report) => {
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(report.outcome === 'drained' ? 0 : 3);
});
