/**
 * `npm run bench:privacy` — accuracy and speed of the Privacy Guard next to secretlint (recommended preset,
 * run in this same process through @secretlint/core's lintSource) on the same deterministic labeled corpus.
 *
 *   --docs N        corpus size (default 4000)
 *   --quick         skip the 10 MB adversarial inputs; two throughput rounds instead of five
 *   --json FILE     also write the figures as JSON
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPrivacyGuard, UNSCANNED } from '../../src/core/privacy';
import { ensureTree } from '../transcripts/generate';
import { type Doc, generateCorpus, generateStrictCorpus } from './corpus';
import { evaluateIndependent, loadIndependentSet, printIndependent } from './independent/evaluate';
import { pct, type Score, type Span, score } from './score';

const args = process.argv.slice(2);
const argVal = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(argVal('--docs') ?? 4000);
const QUICK = args.includes('--quick');
const JSON_OUT = argVal('--json');
const KEY = 'bench-hmac-key-0123456789abcdef0123456789';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const mb = (bytes: number) => bytes / 1_048_576;

interface Detector {
  name: string;
  detect(text: string): Promise<Span[]> | Span[];
}

async function loadSecretlint(): Promise<Detector> {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  // secretlint@13's own core (the top-level @secretlint/core may be an older copy pulled by another package)
  const corePath = req.resolve('@secretlint/core', {
    paths: [path.dirname(req.resolve('@secretlint/node/package.json'))],
  });
  const core = (await import(pathToFileURL(corePath).href)) as {
    lintSource(o: unknown): Promise<{ messages: { range: [number, number]; ruleId: string }[] }>;
  };
  const preset = (await import('@secretlint/secretlint-rule-preset-recommend')) as { creator: unknown };
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] };
  return {
    name: 'secretlint (preset-recommend)',
    async detect(text) {
      const r = await core.lintSource({
        source: { content: text, filePath: '/corpus/doc.txt', ext: '.txt', contentType: 'text' },
        options: { config, noPhysicFilePath: true, maskSecrets: false },
      });
      return r.messages.map((m) => ({ start: m.range[0], end: m.range[1] }));
    },
  };
}

function guardDetector(
  level: 'minimal' | 'standard' | 'strict',
): Detector & { guard: ReturnType<typeof createPrivacyGuard> } {
  const guard = createPrivacyGuard({ hmacKey: KEY, level });
  return { name: `privacy guard (${level})`, guard, detect: (text) => guard.maskText(text).findings };
}

async function runCorpus(d: Detector, docs: readonly Doc[]): Promise<{ findings: Span[][]; ms: number }> {
  const findings: Span[][] = [];
  const t0 = performance.now();
  for (const doc of docs) findings.push(await d.detect(doc.text));
  return { findings, ms: performance.now() - t0 };
}

/** ~`size` chars of synthetic Claude Code transcript JSONL (the transcript benchmark's generator, cached tree). */
function transcriptDocument(size: number): string {
  const { dir } = ensureTree(Math.ceil(size / 1048576) + 1, 1);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.jsonl')) files.push(p);
    }
  };
  walk(path.join(dir, 'projects'));
  const parts: string[] = [];
  let len = 0;
  for (const f of files.sort()) {
    if (len >= size) break;
    const t = fs.readFileSync(f, 'utf8');
    parts.push(t);
    len += t.length;
  }
  // cut at a line end, and flatten: a sliced or concatenated string would slow every scanner's char access
  const joined = parts.join('');
  return Buffer.from(joined.slice(0, joined.lastIndexOf('\n', size) + 1), 'utf8').toString('utf8');
}

function adversarialInputs(): { name: string; text: string }[] {
  const SIZE = 10 * 1024 * 1024;
  const rep = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let b64 = '';
  {
    const parts: string[] = [];
    for (let i = 0; i < SIZE / 64; i++) {
      let line = '';
      for (let j = 0; j < 64; j++) line += B64[Math.floor(rnd() * 64)];
      parts.push(line);
    }
    b64 = parts.join('');
  }
  return [
    { name: "'a' x 10 MB", text: rep('a') },
    { name: "'@' x 10 MB", text: rep('@') },
    { name: "'a@' repeated", text: rep('a@') },
    { name: "'a.b@c' chain", text: rep('a.b@c.') },
    { name: "'sk-ant-api03-' repeated", text: rep('sk-ant-api03-') },
    { name: "'ghp_' + 36 chars repeated", text: rep(`ghp_${'A1'.repeat(18)}`) },
    { name: "'0' x 10 MB", text: rep('0') },
    { name: "'1 ' repeated (card separators)", text: rep('1 ') },
    { name: "'0-0-' repeated (phone)", text: rep('0-') },
    { name: "'+1 ' repeated", text: rep('+1 ') },
    { name: 'full-width digits', text: rep('０') },
    { name: "'eyJ' repeated", text: rep('eyJ') },
    { name: "'eyJa.eyJb.' repeated", text: rep('eyJhbGciOiJIUzI1NiJ9.') },
    { name: 'PEM BEGIN + 10 MB base64, no END', text: `-----BEGIN PRIVATE KEY-----\n${b64}` },
    { name: "'-----BEGIN PRIVATE KEY-----' repeated", text: rep('-----BEGIN PRIVATE KEY-----\\n') },
    { name: "'password=' repeated", text: rep('password=') },
    { name: "'passwordpassword…'", text: rep('password') },
    { name: "'token: ' + spaces", text: rep('token:      ') },
    { name: "'a://' repeated", text: rep('a://a:') },
    { name: "'postgres://u:' no @", text: rep(`postgres://u:${'p'.repeat(300)}`) },
    { name: "'\\\\' x 10 MB", text: rep('\\') },
    { name: "'\\\\n' repeated", text: rep('\\n') },
    { name: "'10.' repeated", text: rep('10.') },
    { name: "'fd00:' repeated", text: rep('fd00:') },
    { name: "'Bearer ' + long token-ish", text: rep(`Bearer ${'A'.repeat(5000)} `) },
    { name: "'-u a:' repeated", text: rep(' -u a:') },
    { name: 'random base64 10 MB', text: b64 },
    { name: "'+'/digits mix", text: rep('+81 (0)3-') },
  ];
}

function printScore(title: string, s: Score) {
  console.log(`\n${title}`);
  console.log(`  ${'category'.padEnd(20)} ${'labels'.padStart(6)} ${'recall'.padStart(8)} ${'full'.padStart(8)}`);
  for (const [k, c] of Object.entries(s.byCategory).sort(([a], [b]) => a.localeCompare(b)))
    console.log(
      `  ${k.padEnd(20)} ${String(c.labels).padStart(6)} ${pct(c.detected / c.labels).padStart(8)} ${pct(c.fullyCovered / c.labels).padStart(8)}`,
    );
  console.log(
    `  keys/tokens recall ${pct(s.recall(s.byKind.credential))} | PII recall ${pct(s.recall(s.byKind.pii))} | full coverage ${pct(s.all.fullyCovered / s.all.labels)} | precision ${pct(s.precision)} (${s.findings} findings)`,
  );
}

async function main() {
  const docs = generateCorpus(20261128, N);
  const bytes = docs.reduce((a, d) => a + utf8(d.text), 0);
  const labels = docs.reduce((a, d) => a + d.labels.length, 0);
  const contexts = new Map<string, number>();
  for (const d of docs) contexts.set(d.context.split('/')[0]!, (contexts.get(d.context.split('/')[0]!) ?? 0) + 1);
  console.log(
    `corpus: ${docs.length} docs, ${mb(bytes).toFixed(2)} MB, ${labels} labeled spans; contexts: ${[...contexts].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);

  const ours = guardDetector('standard');
  const sl = await loadSecretlint();

  // accuracy
  const oursRun = await runCorpus(ours, docs);
  const oursScore = score(docs, oursRun.findings);
  printScore(ours.name, oursScore);
  // leak check: no labeled secret appears verbatim in the masked output
  let leaks = 0;
  for (const d of docs) {
    const out = ours.guard.maskText(d.text).text;
    for (const l of d.labels) if (out.includes(d.text.slice(l.start, l.end))) leaks++;
  }
  console.log(`  labeled values still present verbatim in masked output: ${leaks}`);
  for (const m of oursScore.misses.slice(0, 8))
    console.log(
      `  miss ${m.context} ${m.label.category}${m.covered ? ' (partial)' : ''}: ${JSON.stringify(m.text).slice(0, 100)}`,
    );
  for (const f of oursScore.falsePositives.slice(0, 8))
    console.log(`  false positive ${f.context}: ${JSON.stringify(f.around).slice(0, 120)}`);

  // the same generator with other seeds: rules were tuned on the default seed, these runs were not looked at first
  for (const seed of [1, 2, 3]) {
    const other = generateCorpus(seed, N);
    const os = score(other, (await runCorpus(ours, other)).findings);
    console.log(
      `  seed ${seed}: keys/tokens ${pct(os.recall(os.byKind.credential))}, PII ${pct(os.recall(os.byKind.pii))}, full ${pct(os.all.fullyCovered / os.all.labels)}, precision ${pct(os.precision)}`,
    );
  }

  // the independent set: samples from public rule suites (gitleaks, secretlint, detect-secrets, Presidio) that the
  // rules were not written against; reported apart, never merged into the own corpus's figures
  const independent = loadIndependentSet();
  const indep = evaluateIndependent(independent, (t) => ours.guard.maskText(t).findings);
  printIndependent(`${ours.name} on the independent set (independent/README.md)`, independent, indep, 8);

  const strictDocs = generateStrictCorpus(7, 300);
  const strictScore = score(strictDocs, (await runCorpus(guardDetector('strict'), strictDocs)).findings);
  console.log(
    `\nMy Number at strict level: recall ${pct(strictScore.recall(strictScore.all))}, precision ${pct(strictScore.precision)} (${strictDocs.length} docs)`,
  );
  const strictOnMain = score(docs, (await runCorpus(guardDetector('strict'), docs)).findings);
  console.log(
    `strict level on the main corpus: precision ${pct(strictOnMain.precision)} (${strictOnMain.findings} findings)`,
  );

  const slRun = await runCorpus(sl, docs);
  const slScore = score(docs, slRun.findings);
  printScore(sl.name, slScore);

  // throughput: ours and secretlint measured alternately (the machine may be shared), ROUNDS rounds, wall and CPU
  // time; a workload's figure is its best round, and the paired ratio (ours vs secretlint in the same round) is
  // also given as a median, which load on a shared machine moves less than either side's best
  const measure = async (fn: () => Promise<unknown> | unknown) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
  // the workloads: the corpus as documents; the corpus concatenated to ~10 MB (one secret every ~220 bytes, a
  // worst case for a masker); ~10 MB of synthetic Claude Code transcript JSONL (bench/transcripts generator: real
  // line shapes, real-fixture metadata records, a realistic density of secrets)
  const bigParts: string[] = [];
  let bigLen = 0;
  for (let i = 0; bigLen < 10 * 1024 * 1024; i++) {
    const t = docs[i % docs.length]!.text;
    bigParts.push(t);
    bigLen += t.length + 1;
  }
  const big = bigParts.join('\n');
  const transcript = transcriptDocument(10 * 1024 * 1024);
  const workloads = [
    {
      key: 'small',
      label: 'small docs',
      bytes,
      ours: () => {
        for (const d of docs) ours.guard.maskText(d.text);
      },
      sl: async () => {
        for (const d of docs) await sl.detect(d.text);
      },
    },
    {
      key: 'dense',
      label: '10 MB dense',
      bytes: utf8(big),
      ours: () => ours.guard.maskText(big),
      sl: () => sl.detect(big),
    },
    {
      key: 'transcript',
      label: '10 MB jsonl',
      bytes: utf8(transcript),
      ours: () => ours.guard.maskText(transcript),
      sl: () => sl.detect(transcript),
    },
  ] as const;
  const unscannedBig = [big, transcript].some((t) => ours.guard.maskText(t).text === UNSCANNED);
  type Round = { ours: { wall: number; cpu: number }; sl: { wall: number; cpu: number } };
  const rounds: Record<string, Round[]> = {};
  const ROUNDS = QUICK ? 2 : 5;
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of workloads) {
      // alternate who goes first, so neither side always runs on a warmer or colder machine
      const o = r % 2 === 0 ? await measure(w.ours) : undefined;
      const l = await measure(w.sl);
      const round = { ours: o ?? (await measure(w.ours)), sl: l };
      const list = rounds[w.key] ?? [];
      rounds[w.key] = list;
      list.push(round);
    }
  }
  const median = (xs: number[]) => xs.slice().sort((x, y) => x - y)[xs.length >> 1]!;
  const rate = (bytesN: number, ms: number) => mb(bytesN) / (ms / 1000);
  const tput = Object.fromEntries(
    workloads.map((w) => {
      const rs = rounds[w.key]!;
      const best = (side: 'ours' | 'sl', k: 'wall' | 'cpu') => Math.min(...rs.map((x) => x[side][k]));
      const t = {
        bytes: w.bytes,
        ours: {
          ms: best('ours', 'wall'),
          cpuMs: best('ours', 'cpu'),
          MBps: rate(w.bytes, best('ours', 'wall')),
          MBpsCpu: rate(w.bytes, best('ours', 'cpu')),
        },
        secretlint: {
          ms: best('sl', 'wall'),
          cpuMs: best('sl', 'cpu'),
          MBps: rate(w.bytes, best('sl', 'wall')),
          MBpsCpu: rate(w.bytes, best('sl', 'cpu')),
        },
        ratio: best('sl', 'wall') / best('ours', 'wall'),
        ratioCpu: best('sl', 'cpu') / best('ours', 'cpu'),
        ratioMedianPaired: median(rs.map((x) => x.sl.wall / x.ours.wall)),
      };
      return [w.key, t];
    }),
  );
  console.log(
    `\nthroughput (${ROUNDS} alternating rounds; best round in MB/s by wall clock | by process CPU time; ratio best | CPU | median of paired rounds)`,
  );
  for (const w of workloads) {
    const t = tput[w.key]!;
    console.log(
      `  ${w.label.padEnd(11)} ${mb(w.bytes).toFixed(2).padStart(5)} MB  ours ${t.ours.MBps.toFixed(1)} | ${t.ours.MBpsCpu.toFixed(1)} MB/s (${t.ours.ms.toFixed(0)} ms)   secretlint ${t.secretlint.MBps.toFixed(2)} | ${t.secretlint.MBpsCpu.toFixed(2)} MB/s (${t.secretlint.ms.toFixed(0)} ms)   ratio ${t.ratio.toFixed(1)}x | ${t.ratioCpu.toFixed(1)}x | ${t.ratioMedianPaired.toFixed(1)}x`,
    );
  }
  if (unscannedBig) console.log('  (a 10 MB document came back UNSCANNED: the time budget was exceeded)');
  const oursSmall = tput.small!.ours.MBps;
  const slSmall = tput.small!.secretlint.MBps;

  const adversarial: {
    name: string;
    level: string;
    ms: number;
    cpuMs: number;
    unscanned: boolean;
    findings: number;
  }[] = [];
  if (!QUICK) {
    console.log('\nadversarial 10 MB inputs (wall ms, process CPU ms; a budget overrun would show UNSCANNED)');
    const strict = guardDetector('strict');
    for (const a of adversarialInputs()) {
      for (const g of [ours, strict]) {
        let r = g.guard.maskText('');
        const m = await measure(() => {
          r = g.guard.maskText(a.text);
        });
        adversarial.push({
          name: a.name,
          level: g.guard.level,
          ms: m.wall,
          cpuMs: m.cpu,
          unscanned: r.text === UNSCANNED,
          findings: r.findings.length,
        });
      }
      const [s1, s2] = adversarial.slice(-2);
      const cell = (x: (typeof adversarial)[number]) =>
        `${x.ms.toFixed(0).padStart(5)} (cpu ${x.cpuMs.toFixed(0).padStart(5)})${x.unscanned ? ' UNSCANNED' : ''}`;
      console.log(`  ${a.name.padEnd(40)} standard ${cell(s1!)}   strict ${cell(s2!)}`);
    }
    const worst = adversarial.reduce((a, b) => (b.ms > a.ms ? b : a));
    const worstCpu = adversarial.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    console.log(
      `  worst wall: ${worst.name} (${worst.level}) ${worst.ms.toFixed(0)} ms; worst CPU: ${worstCpu.name} (${worstCpu.level}) ${worstCpu.cpuMs.toFixed(0)} ms; unscanned outputs: ${adversarial.filter((a) => a.unscanned).length}`,
    );
  }

  const summary = {
    corpus: { docs: docs.length, mb: mb(bytes), labels },
    ours: {
      keysRecall: oursScore.recall(oursScore.byKind.credential),
      piiRecall: oursScore.recall(oursScore.byKind.pii),
      fullCoverage: oursScore.all.fullyCovered / oursScore.all.labels,
      precision: oursScore.precision,
      leaks,
      myNumberRecall: strictScore.recall(strictScore.all),
      byCategory: oursScore.byCategory,
    },
    independent: {
      keysRecall: indep.all.recall(indep.all.byKind.credential),
      piiRecall: indep.all.recall(indep.all.byKind.pii),
      precision: indep.all.precision,
      findings: indep.all.findings,
      bySource: Object.fromEntries(
        Object.entries(indep.bySource).map(([k, s]) => [
          k,
          { keysRecall: s.recall(s.byKind.credential), piiRecall: s.recall(s.byKind.pii), precision: s.precision },
        ]),
      ),
    },
    secretlint: {
      keysRecall: slScore.recall(slScore.byKind.credential),
      piiRecall: slScore.recall(slScore.byKind.pii),
      fullCoverage: slScore.all.fullyCovered / slScore.all.labels,
      keysFullCoverage: slScore.byKind.credential.fullyCovered / slScore.byKind.credential.labels,
      precision: slScore.precision,
      byCategory: slScore.byCategory,
    },
    throughput: tput,
    adversarial,
  };
  console.log('\nsummary');
  console.log(
    `  ours:       keys ${pct(summary.ours.keysRecall)}  PII ${pct(summary.ours.piiRecall)}  full ${pct(summary.ours.fullCoverage)}  precision ${pct(summary.ours.precision)}  ${oursSmall.toFixed(1)} MB/s small, ${tput.dense!.ours.MBps.toFixed(1)} MB/s dense, ${tput.transcript!.ours.MBps.toFixed(1)} MB/s jsonl`,
  );
  console.log(
    `  independent set: keys ${pct(summary.independent.keysRecall)}  PII ${pct(summary.independent.piiRecall)}  precision ${pct(summary.independent.precision)}`,
  );
  console.log(
    `  secretlint: keys ${pct(summary.secretlint.keysRecall)}  PII ${pct(summary.secretlint.piiRecall)}  full ${pct(summary.secretlint.fullCoverage)}  precision ${pct(summary.secretlint.precision)}  ${slSmall.toFixed(2)} MB/s small`,
  );
  console.log(
    `  speed ratio (best wall | CPU | paired median): ${workloads.map((w) => `${w.label} ${tput[w.key]!.ratio.toFixed(1)}x | ${tput[w.key]!.ratioCpu.toFixed(1)}x | ${tput[w.key]!.ratioMedianPaired.toFixed(1)}x`).join(', ')}`,
  );
  const targets = [
    ['keys/tokens recall >= 99%', summary.ours.keysRecall >= 0.99],
    ['PII recall >= 97%', summary.ours.piiRecall >= 0.97],
    ['full coverage >= 99%', summary.ours.fullCoverage >= 0.99],
    ['precision >= 99%', summary.ours.precision >= 0.99],
    ['independent set: keys/tokens recall >= 99%', summary.independent.keysRecall >= 0.99],
    ['independent set: PII recall >= 97%', summary.independent.piiRecall >= 0.97],
    ['independent set: precision >= 98%', summary.independent.precision >= 0.98],
    ...workloads.map(
      (w) => [`>= 5x secretlint throughput, ${w.label} (best wall)`, tput[w.key]!.ratio >= 5] as [string, boolean],
    ),
    ...(QUICK
      ? []
      : [
          ['no adversarial input over 1 s per 10 MB (wall)', adversarial.every((a) => a.ms <= 1000)] as [
            string,
            boolean,
          ],
          ['no adversarial input over 1 s per 10 MB (CPU)', adversarial.every((a) => a.cpuMs <= 1000)] as [
            string,
            boolean,
          ],
          ['no adversarial input left unscanned', adversarial.every((a) => !a.unscanned)] as [string, boolean],
        ]),
  ] as [string, boolean][];
  for (const [t, ok] of targets) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${t}`);
  if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(summary, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
