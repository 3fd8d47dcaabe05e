/**
 * public.search_synced (the dashboard's "All my machines" / "My team" scopes) on the db tier's Supabase-shaped
 * PostgreSQL 15: two users with N interactions each (default 100,000, ~300 characters of masked text), 2,000 sessions
 * over 5 machines; each query run as the signed-in user exactly as PostgREST does (role authenticated, JWT claims),
 * so RLS applies. Prints median and p95 per query next to the target, with the hardware.
 * `node --import tsx bench/remoteSearch/run.ts [--interactions N]`
 */
import * as os from 'node:os';
import pg from 'pg';
// @ts-expect-error: an .mjs helper of the db tier without types
import { startSupabaseCluster } from '../../test/db/cluster.mjs';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('interactions', '100000'));
const RUNS = 9;
/** Server time of one remote search; the network round trip to the project comes on top. */
const TARGET_MS = 500;

const SEED = `
select tests.create_supabase_user('benchA');
select tests.create_supabase_user('benchB');
insert into public.claude_sessions (user_id, session_id, project_path, start_time, status, metadata, total_cost_usd)
select tests.get_supabase_uid(u), u || '-s' || g, '/home/dev/project-' || (g % 37), now() - g * interval '1 hour',
       'completed', jsonb_build_object('machine', 'machine-' || (g % 5)), g / 100.0
from unnest(array['benchA','benchB']) u, generate_series(1, 2000) g;
insert into public.claude_interactions (user_id, session_id, message_uuid, message_type, user_prompt, claude_response, occurred_at)
select tests.get_supabase_uid(u), u || '-s' || (g % 2000 + 1), gen_random_uuid(),
       case when g % 2 = 0 then 'user' else 'assistant' end,
       case when g % 2 = 0 then 'please ' || (array['refactor','deploy','explain','test','fix'])[g % 5 + 1]
            || ' the module number ' || g || ' in service ' || md5(g::text) || repeat(' lorem ipsum dolor sit amet', 8) end,
       case when g % 2 = 1 then 'I updated ' || md5((g * 7)::text) || ' and the tests pass; rare' || (g % 1000)
            || ' token. ' || repeat('consectetur adipiscing elit ', 10)
            || case when g % 1000 = 1 then '設定ファイルを更新しました' else '' end end,
       now() - g * interval '1 minute'
from unnest(array['benchA','benchB']) u, generate_series(1, $1::int) g;
analyze public.claude_sessions;
analyze public.claude_interactions;`;

const QUERIES: [label: string, query: string, scope: string, project: string | null][] = [
  ['common word (20 % of rows)', 'deploy', 'mine', null],
  ['two words', 'deploy module', 'mine', null],
  ['prefix of a rare word', 'rare41', 'mine', null],
  ['rare word', 'rare417', 'mine', null],
  ['no match', 'zzzqqq', 'mine', null],
  ['common word + project filter', 'deploy', 'mine', 'project-3'],
  ['CJK word (substring scan)', '設定', 'mine', null],
  ['team scope (caller administers nobody)', 'deploy', 'team', null],
];

async function main() {
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const cluster = await startSupabaseCluster({ log });
  try {
    const admin = new pg.Client({ connectionString: cluster.dbUrl });
    await admin.connect();
    // the pgTAP helpers (tests.create_supabase_user, tests.authenticate_as) come from the db tier's first test file
    const helpers = await import('node:fs').then((fs) =>
      fs.readFileSync(`${process.cwd()}/supabase/tests/database/00000-test-helpers.test.sql`, 'utf8'),
    );
    await admin.query(helpers.slice(0, helpers.indexOf('select plan(')));
    let t = performance.now();
    await admin.query('begin');
    for (const stmt of SEED.split(/;\s*\n/).filter((s) => s.trim()))
      await admin.query(stmt, stmt.includes('$1') ? [N] : []);
    await admin.query('commit');
    log(`seeded 2 users × ${N} interactions in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    console.log(
      `search_synced over 2 users × ${N.toLocaleString('en')} interactions (RLS as the signed-in user) — ` +
        `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, PostgreSQL 15, ${RUNS} runs after one warm-up`,
    );
    for (const [label, q, scope, project] of QUERIES) {
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i <= RUNS; i++) {
        await admin.query('begin');
        await admin.query(`select tests.authenticate_as('benchA')`);
        t = performance.now();
        const r = await admin.query('select * from public.search_synced($1, $2, $3, 200)', [q, scope, project]);
        const took = performance.now() - t;
        await admin.query('rollback');
        rows = r.rowCount ?? 0;
        if (i > 0) ms.push(took);
      }
      ms.sort((a, b) => a - b);
      const p = (x: number) => ms[Math.min(ms.length - 1, Math.floor(x * ms.length))]!;
      const ok = p(0.95) <= TARGET_MS ? 'ok' : 'OVER';
      console.log(
        `${label.padEnd(40)} ${String(rows).padStart(4)} rows   median ${p(0.5).toFixed(1).padStart(7)} ms   ` +
          `p95 ${p(0.95).toFixed(1).padStart(7)} ms   target ≤ ${TARGET_MS} ms  ${ok}`,
      );
    }
    await admin.end();
  } finally {
    cluster.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
