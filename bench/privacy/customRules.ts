// What running user rules on RE2 semantics (re2js) costs against V8's RegExp, through the same scanner:
//   npx tsx bench/privacy/customRules.ts [--rounds N]
// Workloads: the labeled corpus (custom keywords rare: the common case), documents where the custom keywords
// are dense (every ~250 bytes, half of them real matches), one ~2 MB text of the same, and the adversarial
// adjacent-quantifier pattern of issue 14 §5. Prints best-of-N ms and MB/s; alternates engines in each round.
import { compileCustomRules, createPrivacyGuard, type Rule } from '../../src/core/privacy';
import { LinearRegex } from '../../src/core/privacy/linearRegex';
import { generateCorpus } from './corpus';

const KEY = 'bench-key-0123456789abcdef0123456789';
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

/** Typical custom rules: a vendor key with a prefix, an internal host, an employee id, a DB URL, a vault token. */
const RULES = [
  {
    id: 'acme-key',
    category: 'acme_api_key',
    keywords: ['acme_'],
    pattern: 'acme_[A-Za-z0-9]{32,64}',
    keepPrefix: 'acme_',
  },
  {
    id: 'corp-host',
    category: 'internal_host',
    kind: 'pii',
    keywords: ['.corp.example'],
    pattern: '[a-z0-9-]{1,63}\\.corp\\.example\\.com',
  },
  { id: 'employee', category: 'employee_id', kind: 'pii', keywords: ['EMP-'], pattern: 'EMP-[0-9]{6}' },
  {
    id: 'db-url',
    category: 'db_password',
    keywords: ['postgres://'],
    pattern: 'postgres://[a-z0-9_]{1,32}:(?<s>[^@ \\n]{8,64})@',
    flags: 'i',
  },
  { id: 'vault', category: 'vault_token', keywords: ['vault:'], pattern: 'vault:v[0-9]{1,2}:[A-Za-z0-9+/=]{20,200}' },
];

// the first custom rule loads re2js (a require of ~260 KB of JS)
const tLoad = performance.now();
const linear = compileCustomRules(RULES);
const firstCompileMs = performance.now() - tLoad;
// the same rules with V8 RegExp patterns (what compileCustomRules built before): only the engine differs
const v8: Rule[] = linear.map((r) => ({
  ...r,
  id: r.id.replace('custom:', 'v8:'),
  pattern: new RegExp(r.pattern.source, r.pattern.flags),
}));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** ~2 KB documents of prose where a custom keyword appears every ~250 bytes, half of them followed by a match. */
function denseDocs(count: number): string[] {
  const r = rng(42);
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const s = (n: number) => Array.from({ length: n }, () => alnum[Math.floor(r() * alnum.length)]).join('');
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const items = [
    () => (r() < 0.5 ? `acme_${s(40)}` : 'acme_ sdk docs'),
    () => (r() < 0.5 ? `build-${digits(3)}.corp.example.com` : 'the .corp.example domain'),
    () => (r() < 0.5 ? `EMP-${digits(6)}` : 'EMP-id format'),
    () => (r() < 0.5 ? `postgres://app_${digits(2)}:${s(16)}@db:5432/app` : 'postgres:// urls'),
    () => (r() < 0.5 ? `vault:v1:${s(60)}` : 'vault: prefix'),
  ];
  const filler =
    'The deploy pipeline ran the migration and the tests passed on the second attempt after the cache was cleared. ';
  return Array.from({ length: count }, () => {
    let d = '';
    while (d.length < 2000) d += `${filler.slice(0, 100 + Math.floor(r() * 100))} ${items[Math.floor(r() * 5)]!()} `;
    return d;
  });
}

function best(fn: () => void): number {
  let b = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

const tCompile0 = performance.now();
for (let i = 0; i < 100; i++) compileCustomRules(RULES);
const compileMs = (performance.now() - tCompile0) / 100;

const guards = {
  none: createPrivacyGuard({ hmacKey: KEY }),
  v8: createPrivacyGuard({ hmacKey: KEY, extraRules: v8 }),
  re2: createPrivacyGuard({ hmacKey: KEY, customRules: RULES }),
};

const corpus = generateCorpus().map((d) => d.text);
const dense = denseDocs(1000);
const big = dense.join('\n');
const mb = (texts: string[]) => texts.reduce((a, t) => a + t.length, 0) / 1_048_576;

// the two engines must agree before their speed is compared
for (const d of dense.slice(0, 200)) {
  const a = guards.v8.maskText(d).findings.map((f) => `${f.start}-${f.end}-${f.category}`);
  const b = guards.re2.maskText(d).findings.map((f) => `${f.start}-${f.end}-${f.category}`);
  if (a.join() !== b.join()) throw new Error(`engines disagree on a dense document:\n${a}\n${b}`);
}

console.log(
  `custom rules: ${RULES.length}; first compile (loads re2js): ${firstCompileMs.toFixed(1)} ms, later ones: ${compileMs.toFixed(2)} ms`,
);
console.log(`rounds: ${ROUNDS} (best of), node ${process.version}\n`);
console.log(
  'workload'.padEnd(34),
  'no custom'.padStart(16),
  'V8 RegExp'.padStart(16),
  'RE2 (re2js)'.padStart(16),
  'RE2/V8'.padStart(8),
);
for (const [name, texts] of [
  [`corpus (${corpus.length} docs)`, corpus],
  [`dense docs (${dense.length} × 2 KB)`, dense],
  ['dense, one text', [big]],
] as const) {
  const ms = { none: 0, v8: 0, re2: 0 };
  for (const k of ['none', 'v8', 're2'] as const) {
    const g = guards[k];
    ms[k] = best(() => {
      for (const t of texts) g.maskText(t);
    });
  }
  const cell = (v: number) => `${v.toFixed(1)} ms ${(mb([...texts]) / (v / 1000)).toFixed(1)}MB/s`.padStart(16);
  console.log(name.padEnd(34), cell(ms.none), cell(ms.v8), cell(ms.re2), `${(ms.re2 / ms.v8).toFixed(2)}×`.padStart(8));
}

// issue 14 §5: the adjacent bounded quantifiers, one execution
const ADJ = '[a]{0,200}[a]{0,200}[a]{0,200}[a]{0,200}b';
console.log(`\nadversarial ${ADJ}, one execution:`);
const time = (re: { lastIndex: number; exec(t: string): unknown }, text: string) => {
  re.lastIndex = 0;
  const t = performance.now();
  re.exec(text);
  return `${(performance.now() - t).toFixed(1)} ms`;
};
const v8Adj = new RegExp(ADJ, 'g');
for (const n of [20, 40, 60, 80])
  console.log(`  V8   'a' × ${String(n).padEnd(7)} (no match)        ${time(v8Adj, 'a'.repeat(n))}`);
const re2Adj = new LinearRegex(ADJ, '');
for (const n of [80, 500, 10_000, 100_000]) {
  // without a 'b' re2js rejects at once (a required literal is missing): the real cost is a match far away
  console.log(
    `  RE2  'a' × ${String(n).padEnd(7)} (no match) ${time(re2Adj, 'a'.repeat(n)).padStart(9)}   + 'b' (match at the end) ${time(re2Adj, `${'a'.repeat(n)}b`)}`,
  );
}

// the worst input for that rule through the guard: each 'b' ends a match the NFA tracked with ~800 threads over
// the 8,000 a's before it; the guard's deadline (2 s + 0.4 s/MiB) must stop it, checked between executions
console.log(`\nadversarial through the guard ('a' × 8000 + 'b') × n, default budget:`);
const adjGuard = createPrivacyGuard({
  hmacKey: KEY,
  customRules: [{ id: 'adj', category: 'x_token', keywords: ['aa'], pattern: ADJ }],
});
for (const reps of [4, 130, 1300]) {
  const text = `${'a'.repeat(8000)}b`.repeat(reps);
  const t = performance.now();
  const r = adjGuard.maskText(text);
  console.log(
    `  ${(text.length / 1_048_576).toFixed(2).padStart(6)} MiB  ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${r.text === '[REDACTED:unscanned]' ? 'unscanned (budget)' : `${r.findings.length} findings`}`,
  );
}
