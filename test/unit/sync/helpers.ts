import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Masked } from '../../../src/core/privacy/masker';
import type { InteractionRow, RemoteSessionRow } from '../../../src/core/sync/rows';
import { type AuthStorage, createSupabaseClient } from '../../../src/infra/supabase/client';
import type { FakeSupabase } from './fakeSupabase';

/** Test-only: a literal that is known to contain no secret. Real rows get Masked from the Privacy Guard. */
export const m = (s: string) => s as Masked;

export function sessionRow(id: string, over: Partial<RemoteSessionRow> = {}): RemoteSessionRow {
  return {
    session_id: id,
    project_path: m('/home/dev/work/alpha'),
    start_time: '2026-06-01T10:00:00.000Z',
    end_time: null,
    status: 'active',
    total_interactions: 0,
    total_cost_usd: 0,
    model: 'claude-sonnet-4-5',
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    metadata: {},
    git_remote_url: null,
    git_branch: null,
    git_head_start: null,
    git_head_end: null,
    git_commit_shas: null,
    git_pull_requests: null,
    ...over,
  };
}

export function interactionRow(sessionId: string, i: number, over: Partial<InteractionRow> = {}): InteractionRow {
  return {
    session_id: sessionId,
    message_uuid: randomUUID(),
    message_type: i % 2 ? 'assistant' : 'user',
    user_prompt: i % 2 ? null : m(`prompt ${i}`),
    claude_response: i % 2 ? m(`response ${i}`) : null,
    tools_used: i % 2 ? [{ name: 'Read', input: { file_path: '/x' } }] : null,
    performance_metrics: { ms: i },
    context_analysis: null,
    privacy_status: { findings: 0 },
    model: i % 2 ? 'claude-sonnet-4-5' : null,
    input_tokens: i,
    output_tokens: i,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cost_usd: i % 2 ? 0.001 : null,
    occurred_at: new Date(Date.UTC(2026, 5, 1, 10, 0, i)).toISOString(),
    ...over,
  };
}

export class MemoryStorage implements AuthStorage {
  readonly map = new Map<string, string>();
  async getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  async setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  async removeItem(k: string) {
    this.map.delete(k);
  }
}

/** Email OTP sign-in against the fake GoTrue (the code is 123456); autoRefresh off so tests own the timing. */
export async function signIn(server: FakeSupabase, email = 'dev@example.test') {
  const storage = new MemoryStorage();
  const client = createSupabaseClient(
    { url: server.url, anonKey: server.anonKey },
    { storage, autoRefreshToken: false },
  );
  await client.auth.signInWithOtp({ email });
  const v = await client.auth.verifyOtp({ email, token: '123456', type: 'email' });
  assert.equal(v.error, null);
  return { client, storage, userId: v.data.user!.id };
}
