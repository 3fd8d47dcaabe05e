import { AsyncLocalStorage } from 'node:async_hooks';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';

export type CctSupabaseClient = SupabaseClient<Database>;

/** Async key/value storage for the supabase-js auth session (VS Code SecretStorage, a 0600 file for the CLI…). */
export interface AuthStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export interface SupabaseConnection {
  /** https://<ref>.supabase.co (or a self-hosted URL). */
  url: string;
  /** The publishable key (sb_publishable_…) or the legacy anon JWT. Never a secret/service-role key. */
  anonKey: string;
}

export interface CreateClientOptions {
  storage: AuthStorage;
  /** Key under which the session JSON is stored (the PKCE verifier goes under `<key>-code-verifier`). */
  storageKey?: string;
  autoRefreshToken?: boolean;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

export const DEFAULT_STORAGE_KEY = 'claudeTracer.supabase.auth';

/**
 * Per-request slot the wrapped fetch fills with response details postgrest-js does not surface
 * (it returns { error, status } but no headers): the Retry-After of a 429/503.
 */
export interface ResponseSlot {
  retryAfter?: string | null;
  status?: number;
}
export const responseSlot = new AsyncLocalStorage<ResponseSlot>();

export function createSupabaseClient(conn: SupabaseConnection, opts: CreateClientOptions): CctSupabaseClient {
  const base = opts.fetch ?? globalThis.fetch;
  const wrapped: typeof fetch = async (input, init) => {
    const res = await base(input, init);
    const slot = responseSlot.getStore();
    if (slot) {
      slot.status = res.status;
      slot.retryAfter = res.headers.get('retry-after');
    }
    return res;
  };
  return createClient<Database>(conn.url, conn.anonKey, {
    auth: {
      storage: opts.storage,
      storageKey: opts.storageKey ?? DEFAULT_STORAGE_KEY,
      persistSession: true,
      autoRefreshToken: opts.autoRefreshToken ?? true,
      detectSessionInUrl: false,
      flowType: 'pkce',
    },
    global: { fetch: wrapped },
  });
}
