import * as fs from 'node:fs';
import { CustomRuleError, createPrivacyGuard, LEVELS, type Level } from '../../core/privacy';
import { dataDir } from '../../infra/fs/dataDir';
import { maskKeyDirOfStore, maskKeyFor } from '../../infra/keys/maskKeyFile';
import { lastFlag, parseArgs } from '../args';
import { type CliCommand, UsageError } from '../command';
import { loadRules } from '../rulesFile';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function findingsOf(r: { findings: readonly { start: number; end: number; category: string; ruleId: string }[] }) {
  return r.findings.map(({ start, end, category, ruleId }) => ({ start, end, category, ruleId }));
}

export const maskCommand: CliCommand = {
  name: 'mask',
  summary: 'mask secrets and personal data in stdin (text, or JSONL {id,text} with --jsonl)',
  usage: [
    'cct mask [--level minimal|standard|strict] [--rules FILE] [--db FILE] [--json | --jsonl]',
    '',
    '  reads stdin; writes the masked text to stdout; --json: one {"text":masked,"findings":[…]} instead;',
    '  with --jsonl each input line {"id":…,"text":…} gives {"id":…,"text":masked,"findings":[{start,end,category,ruleId}]}',
    '  (offsets in the input text). Tags use the 0600 key file of the store (<data dir>/mask.key), so a secret',
    '  gets the same tag here and there; overrides: CCT_MASK_KEY_FILE, CCT_HMAC_KEY, CCT_DATA_DIR.',
    '  --db FILE  use the key of that store instead (the mask.key next to FILE, as `cct scan --db FILE` does);',
    '             the store must exist. Custom rules are not kept in a store: pass them with --rules.',
  ].join('\n'),
  async run(args, io) {
    const p = parseArgs(args, { values: ['level', 'rules', 'db'], booleans: ['jsonl', 'json'] });
    if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const level = (lastFlag(p, 'level') ?? 'standard') as Level;
    if (!LEVELS.includes(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}`);
    const rulesFile = lastFlag(p, 'rules');
    const customRules = rulesFile ? loadRules(rulesFile) : [];
    const db = lastFlag(p, 'db');
    // A typo must not leave a new key file in some folder: --db names a store that exists.
    if (db !== undefined && !fs.existsSync(db)) throw new Error(`no store at ${db} (run 'cct scan --db ${db}' first)`);
    const key = maskKeyFor(db === undefined ? dataDir(io.env) : maskKeyDirOfStore(db, io.env), io.env);
    let guard: ReturnType<typeof createPrivacyGuard>;
    try {
      guard = createPrivacyGuard({ level, customRules, hmacKey: key });
    } catch (e) {
      if (e instanceof CustomRuleError) {
        io.stderr.write(`cct mask: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    const input = await readAll(io.stdin);
    if (!p.booleans.has('jsonl')) {
      const r = guard.maskText(input);
      io.stdout.write(
        p.booleans.has('json') ? `${JSON.stringify({ text: r.text, findings: findingsOf(r) })}\n` : r.text,
      );
      return 0;
    }
    const lines = input.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let bad = 0;
    const out: string[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        rec = undefined;
      }
      if (!rec || typeof rec !== 'object' || typeof (rec as { text?: unknown }).text !== 'string') {
        bad++;
        // never echo the line: it may hold a secret
        io.stderr.write(`cct mask: line ${i + 1}: expected {"id":…,"text":"…"}\n`);
        return;
      }
      const { id, text } = rec as { id?: unknown; text: string };
      const r = guard.maskText(text);
      out.push(
        JSON.stringify({
          id: id ?? null,
          text: r.text,
          findings: findingsOf(r),
        }),
      );
    });
    if (out.length) io.stdout.write(`${out.join('\n')}\n`);
    return bad ? 1 : 0;
  },
};
