import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claudeConfigRoots } from '../../core/transcript/claudeRoots';
import { dataDir, defaultDbPath } from '../../infra/fs/dataDir';
import { maskKeyDirOfStore } from '../../infra/keys/maskKeyFile';
import { NODE_SQLITE_SINCE } from '../../infra/sqlite/backendNotice';
import { inspectStoreFile } from '../../infra/sqlite/inspectStore';
import { chooseBackend } from '../../infra/sqlite/openDriver';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';

declare const __CCT_VERSION__: string;
const VERSION = typeof __CCT_VERSION__ === 'string' ? __CCT_VERSION__ : 'dev';

interface PathInfo {
  path: string;
  exists: boolean;
  /** Permission bits in octal. */
  mode: string | null;
}

function pathInfo(p: string): PathInfo {
  try {
    return { path: p, exists: true, mode: (fs.statSync(p).mode & 0o777).toString(8) };
  } catch {
    return { path: p, exists: false, mode: null };
  }
}

/** a.b.c >= since (numeric per part). */
function atLeast(version: string, since: string): boolean {
  const a = version.split('.').map(Number);
  const b = since.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Everything `cct doctor` reports; read-only: it creates, migrates and changes nothing. */
export function diagnose(env: Record<string, string | undefined>, dbFlag: string | undefined) {
  const problems: string[] = [];
  const warnings: string[] = [];
  const node = {
    version: process.versions.node,
    execPath: process.execPath,
    required: `>=${NODE_SQLITE_SINCE}`,
    ok: atLeast(process.versions.node, NODE_SQLITE_SINCE),
  };
  const backend = chooseBackend('auto');
  if (backend.backend === 'sql.js') warnings.push(backend.reason);
  const dbPath = path.resolve(dbFlag ?? defaultDbPath(env));
  const store = inspectStoreFile(dbPath);
  if (!store.exists) warnings.push(`no store at ${dbPath} yet (cct scan creates it)`);
  else {
    if (!store.readable || !store.writable)
      problems.push(`store ${dbPath} is not ${store.readable ? 'writable' : 'readable'} by this user`);
    if (store.error) problems.push(`store ${dbPath}: ${store.error}`);
    if (store.schemaVersion !== null && store.schemaVersion > store.buildSchemaVersion)
      problems.push(`store schema v${store.schemaVersion} is newer than this build (v${store.buildSchemaVersion})`);
  }
  const keyFromEnv = !env.CCT_MASK_KEY_FILE && (env.CCT_HMAC_KEY?.length ?? 0) >= 16;
  const keyFile = env.CCT_MASK_KEY_FILE || path.join(maskKeyDirOfStore(dbPath, env), 'mask.key');
  const key = {
    ...pathInfo(keyFile),
    source: keyFromEnv ? 'CCT_HMAC_KEY' : env.CCT_MASK_KEY_FILE ? 'CCT_MASK_KEY_FILE' : 'file',
    privateToOwner: false,
  };
  key.privateToOwner = key.mode !== null && (Number.parseInt(key.mode, 8) & 0o077) === 0;
  if (!keyFromEnv && key.exists && !key.privateToOwner && process.platform !== 'win32')
    problems.push(`mask key ${keyFile} is accessible by other users (mode ${key.mode}); run: chmod 600 '${keyFile}'`);
  if (!keyFromEnv && !key.exists) warnings.push(`no mask key at ${keyFile} yet (the first scan or mask creates it)`);
  const roots = claudeConfigRoots({ env, homeDir: os.homedir() }).map((r) => {
    let projects: number | null = null;
    try {
      projects = fs
        .readdirSync(path.join(r, 'projects'), { withFileTypes: true })
        .filter((d) => d.isDirectory()).length;
    } catch {
      /* no projects/ folder */
    }
    return { ...pathInfo(r), projects };
  });
  if (!roots.some((r) => r.projects !== null)) warnings.push('no Claude Code projects/ folder found (see cct roots)');
  return {
    version: VERSION,
    node,
    backend,
    dataDir: pathInfo(dataDir(env)),
    store,
    maskKey: key,
    claudeRoots: roots,
    problems,
    warnings,
  };
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check this setup: Node version, SQLite backend and why, store, schema, data dir, mask key, Claude roots',
  usage: [
    'cct doctor [--db FILE] [--json]',
    '',
    '  reads only (creates and changes nothing); exit 1 when something needs fixing (listed under "problems").',
  ].join('\n'),
  async run(args, io) {
    const p = parseArgs(args, { values: ['db'], booleans: ['json'] });
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const d = diagnose(io.env, lastFlag(p, 'db'));
    if (p.booleans.has('json')) {
      io.stdout.write(`${JSON.stringify(d)}\n`);
      return d.problems.length ? 1 : 0;
    }
    const mode = (m: string | null) => (m === null ? '' : `, mode ${m}`);
    const s = d.store;
    const lines = [
      `cct ${d.version}`,
      `node       ${d.node.version} (${d.node.execPath})${d.node.ok ? '' : `; this build wants Node ${d.node.required}`}`,
      `backend    ${d.backend.backend}: ${d.backend.reason}`,
      `data dir   ${d.dataDir.path}${d.dataDir.exists ? mode(d.dataDir.mode) : ' (not created yet)'}`,
      `store      ${s.path}${
        s.exists
          ? `${mode(s.mode)}, ${(s.sizeBytes! / 1048576).toFixed(1)} MiB, ${s.readable ? 'readable' : 'NOT readable'}, ${s.writable ? 'writable' : 'NOT writable'}`
          : ' (none yet)'
      }`,
      ...(s.exists
        ? [
            `schema     v${s.schemaVersion ?? '?'} (this build: v${s.buildSchemaVersion})${s.journalMode ? `, journal ${s.journalMode}` : ''}`,
          ]
        : []),
      `mask key   ${
        d.maskKey.source === 'CCT_HMAC_KEY'
          ? 'from CCT_HMAC_KEY'
          : `${d.maskKey.path}${d.maskKey.exists ? `${mode(d.maskKey.mode)}${d.maskKey.privateToOwner ? '' : ' (readable by others!)'}` : ' (none yet)'}`
      }`,
      'claude roots',
      ...d.claudeRoots.map(
        (r) =>
          `  ${r.path}: ${!r.exists ? 'missing' : r.projects === null ? 'no projects/ folder' : `${r.projects} project folders`}`,
      ),
      ...d.warnings.map((w) => `warning: ${w}`),
      ...d.problems.map((w) => `problem: ${w}`),
      d.problems.length ? '' : 'no problems found',
    ];
    io.stdout.write(`${lines.filter((l) => l !== '').join('\n')}\n`);
    return d.problems.length ? 1 : 0;
  },
};
