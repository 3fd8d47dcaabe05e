/**
 * A local HTTP server speaking the slice of PostgREST (v12–v14) and GoTrue wire format the sync client uses,
 * with the semantics the real Postgres side was proven to have (supabase/tests/database: per-user unique keys,
 * merge vs ignore duplicates, `?columns=` NULL-filling, composite FK → 409/23503, NOT NULL → 400/23502,
 * on_conflict without a unique key → 400/42P10, anon → 401/42501). It records every request exactly as
 * received and injects faults: refused connections (stop listening), status codes with PostgREST/gateway
 * bodies and Retry-After, a size limit (413), expired JWTs (401 PGRST303), and commit-then-drop (the rows are
 * written but the connection dies before the answer: the ack is lost).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeRealtime } from './fakeRealtime';

export interface RecordedRequest {
  n: number;
  /** Date.now() when the request arrived. */
  at: number;
  method: string;
  /** Path without the query, e.g. /rest/v1/claude_sessions */
  path: string;
  query: URLSearchParams;
  rawUrl: string;
  headers: Record<string, string>;
  body: string;
  /** What the server answered ('dropped' = connection destroyed). */
  outcome?: number | 'dropped';
}

export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { drop: true; commit?: boolean; after?: () => void }
  | { delayMs: number };

type Row = Record<string, unknown>;
export interface RestResult {
  status: number;
  payload?: unknown;
  headers?: Record<string, string>;
}

const JWT_SECRET = 'cct-fake-supabase-jwt-secret-at-least-32-chars';
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signJwt(claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', JWT_SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function verifyJwt(token: string): Record<string, unknown> | null {
  const [h, b, s] = token.split('.');
  if (!h || !b || !s) return null;
  const sig = createHmac('sha256', JWT_SECRET).update(`${h}.${b}`).digest('base64url');
  if (sig !== s) return null;
  try {
    return JSON.parse(Buffer.from(b, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

const TABLES = {
  claude_sessions: {
    unique: ['user_id', 'session_id'],
    notNull: [
      'session_id',
      'start_time',
      'status',
      'total_interactions',
      'total_cost_usd',
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'metadata',
    ],
    columns: [
      'id',
      'user_id',
      'session_id',
      'project_path',
      'start_time',
      'end_time',
      'total_interactions',
      'total_cost_usd',
      'status',
      'model',
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'metadata',
      'git_remote_url',
      'git_branch',
      'git_head_start',
      'git_head_end',
      'git_commit_shas',
      'git_pull_requests',
      'created_at',
      'updated_at',
    ],
  },
  claude_interactions: {
    unique: ['user_id', 'message_uuid'],
    notNull: [
      'session_id',
      'message_uuid',
      'message_type',
      'occurred_at',
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
    ],
    columns: [
      'id',
      'user_id',
      'session_id',
      'message_uuid',
      'message_type',
      'user_prompt',
      'claude_response',
      'tools_used',
      'performance_metrics',
      'context_analysis',
      'privacy_status',
      'model',
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'cost_usd',
      'occurred_at',
      'created_at',
      'updated_at',
    ],
  },
} as const;
type Table = keyof typeof TABLES;
const MESSAGE_TYPES = new Set(['user', 'assistant', 'system', 'tool_use', 'tool_result', 'summary', 'other']);

export interface StoredRow {
  row: Row;
  /** How many statements wrote this key (insert + merges). For interactions, inserts only. */
  writes: number;
}

export class FakeSupabase {
  readonly anonKey = signJwt({ iss: 'supabase', role: 'anon', ref: 'fake', iat: 1700000000, exp: 4102444800 });
  readonly serviceRoleKey = signJwt({
    iss: 'supabase',
    role: 'service_role',
    ref: 'fake',
    iat: 1700000000,
    exp: 4102444800,
  });
  readonly requests: RecordedRequest[] = [];
  readonly realtime = new FakeRealtime();
  readonly sessions = new Map<string, StoredRow>();
  readonly interactions = new Map<string, StoredRow>();
  /** Called for each request before it is handled; return a fault to inject one. */
  fault: ((req: RecordedRequest) => Fault | undefined) | undefined;
  /**
   * Replaces the in-memory PostgREST emulation (e.g. test/db/e2e's bridge that runs PostgREST's SQL on the real
   * test cluster). Gets the request and its verified JWT claims ('expired' / null when invalid).
   */
  restBackend:
    | ((rec: RecordedRequest, claims: Record<string, unknown> | 'expired' | null) => Promise<RestResult>)
    | undefined;
  /** Gateway body limit (413 above it). */
  maxBodyBytes = Number.POSITIVE_INFINITY;
  accessTokenTtlSec = 3600;
  private issuedTokens = new Set<string>();
  private expiredTokens = new Set<string>();
  /** Every access token issued so far now answers 401 PGRST303 "JWT expired" (as if its exp had passed). */
  expireIssuedTokens(): void {
    for (const t of this.issuedTokens) this.expiredTokens.add(t);
  }
  users = new Map<string, { id: string; email: string }>();
  /** Rows written per user id, for server-side exactly-once checks. */
  private refreshTokens = new Map<string, { userId: string; used: boolean }>();
  private otpChallenges = new Map<string, { challenge?: string; method?: string }>();
  private pkceCodes = new Map<string, { userId: string; challenge: string }>();
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  private n = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket) => this.realtime.upgrade(req, socket));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port || this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stop listening: new connections are refused (ECONNREFUSED) until start() again on the same port. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    this.realtime.closeAll();
    await new Promise<void>((r) => s.close(() => r()));
  }

  addUser(email: string): { id: string; email: string } {
    const u = { id: randomUUID(), email };
    this.users.set(u.id, u);
    return u;
  }

  /** A GoTrue session for a user, as /token and /verify return it. */
  issueSession(userId: string, ttlSec = this.accessTokenTtlSec) {
    const user = this.users.get(userId)!;
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttlSec;
    const access_token = signJwt({
      aud: 'authenticated',
      exp,
      iat,
      iss: `${this.url}/auth/v1`,
      sub: userId,
      email: user.email,
      role: 'authenticated',
      aal: 'aal1',
      session_id: randomUUID(),
      is_anonymous: false,
    });
    this.issuedTokens.add(access_token);
    const refresh_token = randomUUID().replace(/-/g, '').slice(0, 12);
    this.refreshTokens.set(refresh_token, { userId, used: false });
    return {
      access_token,
      token_type: 'bearer',
      expires_in: ttlSec,
      expires_at: exp,
      refresh_token,
      user: {
        id: userId,
        aud: 'authenticated',
        role: 'authenticated',
        email: user.email,
        email_confirmed_at: new Date().toISOString(),
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: {},
        identities: [],
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        is_anonymous: false,
      },
    };
  }

  rowsOf(table: 'sessions' | 'interactions', userId?: string): StoredRow[] {
    const m = table === 'sessions' ? this.sessions : this.interactions;
    return [...m.values()].filter((r) => !userId || r.row.user_id === userId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    const rec: RecordedRequest = {
      n: ++this.n,
      at: Date.now(),
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      rawUrl: req.url ?? '',
      headers,
      body,
    };
    this.requests.push(rec);

    const send = (status: number, payload?: unknown, extra: Record<string, string> = {}) => {
      rec.outcome = status;
      const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...extra });
      res.end(text);
    };
    const drop = () => {
      rec.outcome = 'dropped';
      req.socket.destroy();
    };

    const f = this.fault?.(rec);
    if (f && 'delayMs' in f) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f && 'status' in f) return send(f.status, f.body ?? { message: `injected ${f.status}` }, f.headers ?? {});
    if (f && 'drop' in f && !f.commit) return drop();

    if (Buffer.byteLength(body) > this.maxBodyBytes) return send(413, { message: 'Request Entity Too Large' });
    if (!headers.apikey)
      return send(401, {
        message: 'No API key found in request',
        hint: 'No `apikey` request header or url param was found.',
      });

    let result: { status: number; payload?: unknown; headers?: Record<string, string> };
    try {
      result = u.pathname.startsWith('/auth/v1/')
        ? this.auth(rec)
        : this.restBackend
          ? await this.restBackend(rec, this.bearer(rec))
          : this.rest(rec);
    } catch (e) {
      result = { status: 500, payload: { code: 'XX000', details: null, hint: null, message: String(e) } };
    }
    if (f && 'drop' in f) {
      f.after?.(); // e.g. SIGKILL the client while its request is committed but unanswered
      return drop(); // committed, but the answer never arrives
    }
    send(result.status, result.payload, result.headers);
  }

  // ── GoTrue ──────────────────────────────────────────────────────────────────────────────────────────
  private auth(rec: RecordedRequest): { status: number; payload?: unknown; headers?: Record<string, string> } {
    const route = rec.path.slice('/auth/v1'.length);
    const json = rec.body ? JSON.parse(rec.body) : {};
    const err = (status: number, code: string, msg: string) => ({
      status,
      payload: { code: status, error_code: code, msg },
    });
    if (rec.method === 'POST' && route === '/otp') {
      const user = [...this.users.values()].find((x) => x.email === json.email) ?? this.addUser(json.email);
      this.otpChallenges.set(user.email, { challenge: json.code_challenge, method: json.code_challenge_method });
      return { status: 200, payload: {} };
    }
    if (rec.method === 'POST' && route === '/verify') {
      const user = [...this.users.values()].find((x) => x.email === json.email);
      if (!user || json.token !== '123456') return err(403, 'otp_expired', 'Token has expired or is invalid');
      return { status: 200, payload: this.issueSession(user.id) };
    }
    if (rec.method === 'POST' && route === '/token') {
      const grant = rec.query.get('grant_type');
      if (grant === 'refresh_token') {
        const t = this.refreshTokens.get(json.refresh_token);
        if (!t) return err(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        if (t.used) return err(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
        t.used = true;
        return { status: 200, payload: this.issueSession(t.userId) };
      }
      if (grant === 'pkce') {
        const c = this.pkceCodes.get(json.auth_code);
        if (!c) return err(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found');
        const challenge = createHash('sha256')
          .update(json.code_verifier ?? '')
          .digest('base64url');
        if (challenge !== c.challenge)
          return err(403, 'bad_code_verifier', 'code challenge does not match previously saved code verifier');
        this.pkceCodes.delete(json.auth_code);
        return { status: 200, payload: this.issueSession(c.userId) };
      }
      return err(400, 'unsupported_grant_type', 'unsupported grant type');
    }
    if (rec.method === 'GET' && route === '/user') {
      const claims = this.bearer(rec);
      if (!claims || claims === 'expired' || !claims.sub) return err(403, 'bad_jwt', 'invalid JWT');
      const s = this.issueSession(String(claims.sub));
      return { status: 200, payload: s.user };
    }
    if (rec.method === 'POST' && route === '/logout') return { status: 204 };
    return err(404, 'not_found', `no route ${rec.method} ${route}`);
  }

  /** Simulates the browser leg of OAuth / magic link: GoTrue redirects back with ?code=… for this challenge. */
  issuePkceCode(userId: string, challenge: string): string {
    const code = randomUUID();
    this.pkceCodes.set(code, { userId, challenge });
    return code;
  }

  otpChallenge(email: string) {
    return this.otpChallenges.get(email);
  }

  bearer(rec: RecordedRequest): Record<string, unknown> | 'expired' | null {
    const h = rec.headers.authorization ?? '';
    const m = /^Bearer (.+)$/i.exec(h);
    if (!m) return null;
    const claims = verifyJwt(m[1]!);
    if (!claims) return null;
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp === 'number' && claims.exp < now) return 'expired';
    if (this.expiredTokens.has(m[1]!)) return 'expired';
    return claims;
  }

  // ── PostgREST ───────────────────────────────────────────────────────────────────────────────────────
  private rest(rec: RecordedRequest): { status: number; payload?: unknown; headers?: Record<string, string> } {
    const claims = this.bearer(rec);
    if (claims === 'expired')
      return {
        status: 401,
        payload: { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' },
        headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="JWT expired"' },
      };
    if (!claims)
      return { status: 401, payload: { code: 'PGRST301', details: null, hint: null, message: 'Invalid JWT' } };
    const role = String(claims.role);
    const userId = claims.sub ? String(claims.sub) : null;
    const name = rec.path.slice('/rest/v1/'.length);

    if (rec.method === 'POST' && name === 'rpc/delete_my_data') {
      if (role !== 'authenticated' || !userId)
        return {
          status: 401,
          payload: {
            code: '42501',
            details: null,
            hint: null,
            message: 'permission denied for function delete_my_data',
          },
        };
      let i = 0;
      let s = 0;
      for (const [k, v] of this.interactions) {
        if (v.row.user_id !== userId) continue;
        this.interactions.delete(k);
        i++;
      }
      for (const [k, v] of this.sessions) {
        if (v.row.user_id !== userId) continue;
        this.sessions.delete(k);
        s++;
      }
      return { status: 200, payload: { interactions: i, sessions: s, teams: 0, memberships: 0 } };
    }
    if (!(name in TABLES))
      return {
        status: 404,
        payload: {
          code: 'PGRST205',
          details: null,
          hint: null,
          message: `Could not find the table 'public.${name}' in the schema cache`,
        },
      };
    const table = name as Table;
    const spec = TABLES[table];
    if (rec.method !== 'POST') return { status: 405, payload: { message: 'only POST is faked' } };
    if (role !== 'authenticated' || !userId)
      return {
        status: 401,
        payload: { code: '42501', details: null, hint: null, message: `permission denied for table ${table}` },
      };

    const prefer = (rec.headers.prefer ?? '').split(',').map((s) => s.trim());
    const resolution = prefer.find((p) => p.startsWith('resolution='))?.slice('resolution='.length);
    const onConflict = rec.query.get('on_conflict');
    let payload: unknown;
    try {
      payload = JSON.parse(rec.body);
    } catch {
      return {
        status: 400,
        payload: { code: 'PGRST102', details: null, hint: null, message: 'Empty or invalid json' },
      };
    }
    const rows = (Array.isArray(payload) ? payload : [payload]) as Row[];
    const columnsParam = rec.query.get('columns');
    const columns = columnsParam
      ? columnsParam.split(',').map((c) => c.replace(/^"|"$/g, ''))
      : Object.keys(rows[0] ?? {});
    for (const c of columns)
      if (!(spec.columns as readonly string[]).includes(c))
        return {
          status: 400,
          payload: {
            code: 'PGRST204',
            details: null,
            hint: null,
            message: `Could not find the '${c}' column of '${table}' in the schema cache`,
          },
        };
    if (onConflict && onConflict !== spec.unique.join(','))
      return {
        status: 400,
        payload: {
          code: '42P10',
          details: null,
          hint: null,
          message: 'there is no unique or exclusion constraint matching the ON CONFLICT specification',
        },
      };

    // json_to_recordset over ?columns=: keys outside the list are ignored, missing keys are NULL (not the default)
    const defaults: Row =
      table === 'claude_sessions'
        ? {
            status: 'active',
            total_interactions: 0,
            total_cost_usd: 0,
            input_tokens: 0,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            metadata: {},
          }
        : { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const staged: Row[] = rows.map((r) => {
      const out: Row = {};
      for (const c of spec.columns) {
        if (columns.includes(c)) out[c] = r[c] === undefined ? null : r[c];
        else if (c in defaults) out[c] = defaults[c];
        else out[c] = null;
      }
      out.user_id ??= userId; // default auth.uid()
      return out;
    });
    // the whole statement is atomic: validate everything before writing anything
    for (const r of staged) {
      if (r.user_id !== userId)
        return {
          status: 403,
          payload: {
            code: '42501',
            details: null,
            hint: null,
            message: `new row violates row-level security policy for table "${table}"`,
          },
        };
      for (const c of spec.notNull)
        if (r[c] === null)
          return {
            status: 400,
            payload: {
              code: '23502',
              details: `Failing row contains (…).`,
              hint: null,
              message: `null value in column "${c}" of relation "${table}" violates not-null constraint`,
            },
          };
      if (table === 'claude_interactions') {
        if (!MESSAGE_TYPES.has(String(r.message_type)))
          return {
            status: 400,
            payload: {
              code: '23514',
              details: null,
              hint: null,
              message: `new row for relation "claude_interactions" violates check constraint "claude_interactions_message_type_check"`,
            },
          };
        if (!this.sessions.has(`${userId}|${r.session_id}`))
          return {
            status: 409,
            payload: {
              code: '23503',
              details: `Key (user_id, session_id)=(${userId}, ${r.session_id}) is not present in table "claude_sessions".`,
              hint: null,
              message:
                'insert or update on table "claude_interactions" violates foreign key constraint "claude_interactions_session_fk"',
            },
          };
      }
    }
    const keyOf = (r: Row) => spec.unique.map((c) => String(r[c])).join('|');
    if (resolution === 'merge-duplicates') {
      const seen = new Set<string>();
      for (const r of staged) {
        const k = keyOf(r);
        if (seen.has(k))
          return {
            status: 500,
            payload: {
              code: '21000',
              details: null,
              hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.',
              message: 'ON CONFLICT DO UPDATE command cannot affect row a second time',
            },
          };
        seen.add(k);
      }
    }
    const store = table === 'claude_sessions' ? this.sessions : this.interactions;
    for (const r of staged) {
      const k = keyOf(r);
      const cur = store.get(k);
      if (!cur) store.set(k, { row: { ...r, id: randomUUID() }, writes: 1 });
      else if (resolution === 'merge-duplicates') {
        for (const c of columns) cur.row[c] = r[c];
        cur.writes++;
      } else if (resolution === 'ignore-duplicates') continue;
      else
        return {
          status: 409,
          payload: {
            code: '23505',
            details: `Key (${spec.unique.join(', ')})=(${k.replace('|', ', ')}) already exists.`,
            hint: null,
            message: `duplicate key value violates unique constraint`,
          },
        };
    }
    return { status: 201, headers: { 'content-range': '*/*' } };
  }
}
