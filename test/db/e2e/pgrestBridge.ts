/**
 * A PostgREST-compatible bridge for the db tier: the fake Supabase server's REST side, but every write runs the
 * SQL PostgREST v12–v14 generates (QueryBuilder: json_to_recordset over ?columns=, ON CONFLICT from on_conflict
 * and Prefer: resolution) on the REAL test cluster, connected as `authenticator` with the per-request prelude
 * (transaction-local role + request.jwt.claims), and maps SQLSTATEs to HTTP statuses with PostgREST's table.
 * So supabase-js + the sync engine are exercised against real RLS, keys, FKs and checks. Also: RPCs with named
 * arguments (`SELECT public.fn(a := …)`, as PostgREST calls them) and plain GETs (?select=cols, col=eq|gte|lt|ilike|in.v, order=, limit=, offset=).
 */
import pg from 'pg';
import type { RecordedRequest, RestResult } from '../../unit/sync/fakeSupabase';

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** PostgREST docs/references/errors.rst, "SQLSTATE → HTTP". */
export function httpStatusFor(code: string, authenticated: boolean): number {
  if (code === '42501') return authenticated ? 403 : 401;
  if (code === '23503' || code === '23505') return 409;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '25006') return 405;
  if (code === 'P0001') return 400;
  const cls = code.slice(0, 2);
  if (cls === '08' || cls === '53') return 503;
  if (['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'P0', 'XX'].includes(cls)) return 500;
  if (cls === '0L' || cls === '0P' || cls === '28') return 403;
  return 400;
}

export class PgRestBridge {
  private readonly api: pg.Pool;
  private readonly admin: pg.Pool;
  private readonly types = new Map<string, Map<string, string>>();
  private readonly knownUsers = new Set<string>();
  statements = 0;

  constructor(authenticatorUrl: string, adminUrl: string) {
    this.api = new pg.Pool({ connectionString: authenticatorUrl, max: 4 });
    this.admin = new pg.Pool({ connectionString: adminUrl, max: 2 });
  }

  async close(): Promise<void> {
    await Promise.all([this.api.end(), this.admin.end()]);
  }

  adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []) {
    return this.admin.query<T>(sql, params);
  }

  private async columnTypes(table: string): Promise<Map<string, string>> {
    let m = this.types.get(table);
    if (!m) {
      const r = await this.admin.query(
        `select a.attname, format_type(a.atttypid, a.atttypmod) as t from pg_attribute a
         where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
        [`public.${table}`],
      );
      m = new Map(r.rows.map((x) => [String(x.attname), String(x.t)]));
      this.types.set(table, m);
    }
    return m;
  }

  /** Named arguments (name → type) of public.<fn> and whether it returns a set; undefined when there is no such function. */
  private async functionArgs(fn: string): Promise<{ args: Map<string, string>; set: boolean } | undefined> {
    const r = await this.admin.query(
      `select coalesce(p.proargnames, '{}') as names, p.proargtypes::regtype[]::text[] as types, p.proretset as set
       from pg_proc p where p.pronamespace = 'public'::regnamespace and p.proname = $1`,
      [fn],
    );
    if (r.rows.length !== 1) return undefined;
    const names = r.rows[0].names as string[];
    const types = r.rows[0].types as string[];
    return { args: new Map(types.map((t, i) => [names[i]!, t])), set: r.rows[0].set === true };
  }

  /**
   * GoTrue created the user (its email confirmed by the OTP sign-in): make sure auth.users has it, as GoTrue would.
   * Any conflict, not only on id: a client's parallel first requests (SupabaseTeamRemote.list sends three) insert
   * the same new user at once, and the loser of that race hits the email index, which `on conflict (id)` does not
   * cover (teams.e2e failed so about 1 run in 4).
   */
  private async ensureUser(claims: Record<string, unknown>): Promise<void> {
    const id = String(claims.sub);
    if (this.knownUsers.has(id)) return;
    await this.admin.query(
      `insert into auth.users (id, aud, role, email, email_confirmed_at, created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', $2::text, case when $2::text is null then null else now() end, now(), now())
       on conflict do nothing`,
      [id, claims.email ?? null],
    );
    this.knownUsers.add(id);
  }

  readonly handle = async (
    rec: RecordedRequest,
    claims: Record<string, unknown> | 'expired' | null,
  ): Promise<RestResult> => {
    const err = (
      status: number,
      code: string,
      message: string,
      details: string | null = null,
      hint: string | null = null,
    ): RestResult => ({
      status,
      payload: { code, details, hint, message },
    });
    if (claims === 'expired')
      return {
        ...err(401, 'PGRST303', 'JWT expired'),
        headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="JWT expired"' },
      };
    if (!claims) return err(401, 'PGRST301', 'Invalid JWT');
    const role = String(claims.role ?? 'anon');
    if (!['anon', 'authenticated'].includes(role)) return err(401, 'PGRST301', `role ${role} is not allowed here`);
    if (role === 'authenticated') await this.ensureUser(claims);
    const name = rec.path.replace(/^\/rest\/v1\//, '');
    if (rec.method !== 'POST' && rec.method !== 'GET' && rec.method !== 'DELETE')
      return err(405, 'PGRST117', `Unsupported HTTP method: ${rec.method}`);

    let main: string;
    const params: unknown[] = [];
    if (rec.method === 'GET') {
      // ?select=a,b (plain columns) &col=eq.value &order=col.asc|desc: what the team listing sends
      const types = await this.columnTypes(name).catch(() => undefined);
      if (!types) return err(404, 'PGRST205', `Could not find the table 'public.${name}' in the schema cache`);
      const cols = (rec.query.get('select') ?? '*') === '*' ? [...types.keys()] : rec.query.get('select')!.split(',');
      const where: string[] = [];
      let order = '';
      let page = '';
      for (const [k, v] of rec.query) {
        if (k === 'select') continue;
        if (k === 'order') {
          const [c, dir] = v.split('.');
          if (!types.has(c!) || !['asc', 'desc'].includes(dir ?? 'asc')) return err(400, 'PGRST100', `bad order ${v}`);
          order = `ORDER BY ${q(c!)} ${dir ?? 'asc'}`;
        } else if ((k === 'limit' || k === 'offset') && /^\d+$/.test(v)) {
          page += ` ${k.toUpperCase()} ${Number(v)}`;
        } else if (types.has(k) && /^(eq|gte|lt|ilike)\./.test(v)) {
          // eq, gte, lt, ilike (PostgREST reads `*` in a pattern as `%`): what the analytics source sends
          const op = v.slice(0, v.indexOf('.'));
          const arg = v.slice(op.length + 1);
          params.push(op === 'ilike' ? arg.replace(/\*/g, '%') : arg);
          const sqlOp = { eq: '=', gte: '>=', lt: '<', ilike: 'ILIKE' }[op];
          where.push(`${q(k)} ${sqlOp} $${params.length}::${op === 'ilike' ? 'text' : types.get(k)}`);
        } else if (types.has(k) && v.startsWith('in.(') && v.endsWith(')')) {
          params.push(inList(v.slice(4, -1)));
          where.push(`${q(k)} = any($${params.length}::${types.get(k)}[])`);
        } else return err(400, 'PGRST100', `unsupported filter ${k}=${v}`);
      }
      for (const c of cols)
        if (!types.has(c))
          return err(400, 'PGRST204', `Could not find the '${c}' column of '${name}' in the schema cache`);
      main = `SELECT coalesce(json_agg(_postgrest_t), '[]') AS body FROM (SELECT ${cols.map(q).join(', ')} FROM "public".${q(name)}
              ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order}${page}) _postgrest_t`;
    } else if (rec.method === 'DELETE') {
      // ?col=eq.v &col=in.(a,"b,c"): what remoteForget.ts sends (supabase-js .delete().in()); RLS limits the rows
      const types = await this.columnTypes(name).catch(() => undefined);
      if (!types) return err(404, 'PGRST205', `Could not find the table 'public.${name}' in the schema cache`);
      const where: string[] = [];
      for (const [k, v] of rec.query) {
        if (!types.has(k)) return err(400, 'PGRST100', `unsupported filter ${k}=${v}`);
        if (v.startsWith('eq.')) {
          params.push(v.slice(3));
          where.push(`${q(k)} = $${params.length}::${types.get(k)}`);
        } else if (v.startsWith('in.(') && v.endsWith(')')) {
          params.push(inList(v.slice(4, -1)));
          where.push(`${q(k)} = ANY($${params.length}::${types.get(k)}[])`);
        } else return err(400, 'PGRST100', `unsupported filter ${k}=${v}`);
      }
      // PostgREST refuses an unfiltered DELETE only with a config flag; supabase-js always filters here
      main = `DELETE FROM "public".${q(name)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    } else if (name.startsWith('rpc/')) {
      const fn = name.slice(4);
      const found = fn.match(/^[a-z_][a-z0-9_]*$/) ? await this.functionArgs(fn) : undefined;
      if (!found) return err(404, 'PGRST202', `Could not find the function public.${fn}`);
      const { args, set } = found;
      const body = (rec.body ? JSON.parse(rec.body) : {}) as Record<string, unknown>;
      const given = Object.keys(body);
      for (const a of given)
        if (!args.has(a)) return err(404, 'PGRST202', `Could not find the function public.${fn}(${given.join(', ')})`);
      if (given.length) params.push(JSON.stringify(body));
      const call = `public.${q(fn)}(${given.map((a) => `${q(a)} := ($1::json ->> '${a}')::${args.get(a)}`).join(', ')})`;
      // a set-returning function answers a JSON array of its rows, as PostgREST does
      main = set
        ? `SELECT coalesce(json_agg(_postgrest_t), '[]') AS body FROM ${call} _postgrest_t`
        : `SELECT to_json(${call}) AS body`;
    } else {
      const types = await this.columnTypes(name).catch(() => undefined);
      if (!types) return err(404, 'PGRST205', `Could not find the table 'public.${name}' in the schema cache`);
      let body: unknown;
      try {
        body = JSON.parse(rec.body);
      } catch {
        return err(400, 'PGRST102', 'Empty or invalid json');
      }
      const rows = Array.isArray(body) ? body : [body];
      const colParam = rec.query.get('columns');
      const cols = colParam
        ? colParam.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))
        : Object.keys((rows[0] ?? {}) as object);
      for (const c of cols)
        if (!types.has(c))
          return err(400, 'PGRST204', `Could not find the '${c}' column of '${name}' in the schema cache`);
      const prefer = (rec.headers.prefer ?? '').split(',').map((s) => s.trim());
      const resolution = prefer.find((p) => p.startsWith('resolution='))?.slice(11);
      const onConflict = rec.query.get('on_conflict');
      const colList = cols.map(q).join(', ');
      const counted = `WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'`;
      let conflict = '';
      if (onConflict) {
        const target = onConflict
          .split(',')
          .map((c) => q(c.trim()))
          .join(', ');
        conflict =
          resolution === 'ignore-duplicates'
            ? `ON CONFLICT(${target}) DO NOTHING`
            : `ON CONFLICT(${target}) DO UPDATE SET ${cols.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}
               WHERE set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'`;
      }
      main = `WITH pgrst_source AS (
          INSERT INTO "public".${q(name)}(${colList})
          SELECT ${cols.map((c) => `"pgrst_body".${q(c)}`).join(', ')}
          FROM (SELECT $1::json AS json_data) pgrst_payload,
          LATERAL (SELECT ${colList} FROM json_to_recordset(pgrst_payload.json_data) AS _(${cols.map((c) => `${q(c)} ${types.get(c)}`).join(', ')})) pgrst_body
          ${counted}
          ${conflict}
          RETURNING 1)
        SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total,
               nullif(current_setting('pgrst.inserted', true),'')::int AS response_inserted
        FROM (SELECT * FROM pgrst_source) _postgrest_t`;
      params.push(JSON.stringify(rows));
    }

    const c = await this.api.connect();
    try {
      await c.query(`BEGIN ISOLATION LEVEL READ COMMITTED ${rec.method === 'GET' ? 'READ ONLY' : 'READ WRITE'}`);
      await c.query(
        `select set_config('search_path', '"public", "extensions"', true), set_config('role', $1, true),
                set_config('request.jwt.claims', $2, true), set_config('request.method', $5, true),
                set_config('request.path', $3, true), set_config('request.headers', $4, true), set_config('request.cookies', '{}', true)`,
        [role, JSON.stringify(claims), `/${name}`, JSON.stringify(rec.headers), rec.method],
      );
      const r = await c.query(main, params);
      await c.query('COMMIT');
      this.statements++;
      if (name.startsWith('rpc/') || rec.method === 'GET') return { status: 200, payload: r.rows[0]?.body ?? null };
      if (rec.method === 'DELETE') return { status: 204, headers: { 'content-range': `*/${r.rowCount ?? 0}` } };
      return { status: 201, headers: { 'content-range': `*/*` } };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      const pe = e as { code?: string; message: string; detail?: string; hint?: string };
      const code = pe.code ?? 'XX000';
      return err(httpStatusFor(code, role === 'authenticated'), code, pe.message, pe.detail ?? null, pe.hint ?? null);
    } finally {
      c.release();
    }
  };
}

/** The values of a PostgREST `in.(…)` list: comma-separated, a value with reserved characters in double quotes. */
function inList(body: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,]*)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
    if (re.lastIndex >= body.length) break;
    re.lastIndex++; // the comma
  }
  return out;
}
