/**
 * Builds the independent evaluation set (corpus.json.gz) from LOCAL copies of public rule suites — nothing is
 * downloaded here. Each path may be a checkout or a bare git directory (read at HEAD):
 *
 *   npx tsx bench/privacy/independent/convert.ts \
 *     --gitleaks PATH --secretlint PATH --detect-secrets PATH --presidio PATH [--out FILE]
 *
 * See README.md for sources, licenses and how spans are labelled.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Doc, Label } from '../corpus';
import { readGitleaks, type Str } from './gitleaks';
import { locate, readGitleaksConfig } from './gitleaksConfig';
import { openSourceTree } from './sourceTree';
import { type RawSample, readDetectSecrets, readPresidio, readSecretlint } from './suites';
import { valueSpan } from './valueSpan';

export interface IndependentDoc extends Doc {
  /** gitleaks | secretlint | detect-secrets | presidio */
  source: string;
  /** Spans the suite labels as secrets that are placeholders here (README, "Placeholders"); not in `labels`. */
  placeholders?: Label[];
}
export interface IndependentSet {
  note: string;
  sources: { name: string; repository: string; license: string; revision: string; read: string }[];
  /** Labels moved to `placeholders` (see README), by reason. */
  relabelledAsPlaceholder: Record<string, number>;
  /** How samples were read, located or left out, by reason. */
  counts: Record<string, number>;
  docs: IndependentDoc[];
}

const PII = new Set(['email', 'phone', 'credit_card']);

/**
 * Why a value the suite labels as a secret is a placeholder here (README, "Placeholders"), or undefined: a provider's
 * published example (…EXAMPLE…), or a value no random generator produces — six identical characters in a row
 * (hf_xxxxxx…, AGE-SECRET-KEY-1QQQQQQ…; not digits, nor 'A', which base64 of zero bytes gives, nor in a PEM block) or a
 * seven-character alphabet / digit run (12345678-ABCD-…, aBcDeFgHiJ…).
 */
export function placeholderReason(v: string): string | undefined {
  if (/EXAMPLE/.test(v)) return 'published example (EXAMPLE)';
  // 'A' runs are base64 of zero bytes (OpenSSH keys, Twitter bearer tokens): real
  if (/([^A0-9])\1{5}/.test(v) && !v.includes('-----BEGIN')) return 'six identical characters in a row';
  if (/0123456|1234567|2345678|3456789|abcdefg|bcdefgh|cdefghi|defghij|zyxwvut/i.test(v))
    return 'alphabet or digit run';
  return undefined;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main() {
  const dirs = {
    gitleaks: arg('--gitleaks'),
    secretlint: arg('--secretlint'),
    'detect-secrets': arg('--detect-secrets'),
    presidio: arg('--presidio'),
  };
  const missing = Object.entries(dirs).filter(([, v]) => !v);
  if (missing.length) {
    console.error(`missing ${missing.map(([k]) => `--${k} PATH`).join(', ')} (a checkout or bare git directory each)`);
    process.exit(2);
  }
  const out = arg('--out') ?? path.join(import.meta.dirname, 'corpus.json.gz');
  const docs: IndependentDoc[] = [];
  const relabelled: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const skip = (why: string) => {
    counts[why] = (counts[why] ?? 0) + 1;
  };

  const push = (
    source: string,
    id: string,
    text: string,
    spans: { start: number; end: number; category: string }[],
  ) => {
    const labels: Label[] = [];
    const placeholders: Label[] = [];
    for (const s of spans) {
      const label: Label = { ...s, kind: PII.has(s.category) ? 'pii' : 'credential' };
      const why = label.kind === 'credential' ? placeholderReason(text.slice(s.start, s.end)) : undefined;
      if (why) {
        relabelled[why] = (relabelled[why] ?? 0) + 1;
        placeholders.push(label);
      } else labels.push(label);
    }
    docs.push({ id, source, context: source, text, labels, ...(placeholders.length ? { placeholders } : {}) });
  };
  /** Spans of a positive sample: exact when the suite gives them, otherwise generated parts grown to the whole token, else the heuristic. */
  const spansOf = (v: Str, category: string) => {
    if (v.exact) return v.spans.map((s) => ({ ...s, category }));
    if (v.spans.length) {
      const tokenChar = /[A-Za-z0-9+/=_.~-]/;
      return v.spans.map((s) => {
        let { start, end } = s;
        while (start > 0 && tokenChar.test(v.text[start - 1]!)) start--;
        while (end < v.text.length && tokenChar.test(v.text[end]!)) end++;
        return { start, end, category };
      });
    }
    const h = valueSpan(v.text);
    return h ? [{ ...h, category }] : [];
  };

  const gl = openSourceTree(dirs.gitleaks!);
  const g = readGitleaks(gl);
  const locators = readGitleaksConfig(gl);
  counts['gitleaks tps/fps statements not evaluated (literal items kept)'] = g.skipped.length;
  // gitleaks' fps say "not matched by THIS rule": a value another rule lists as a true positive is not a negative
  const tpTexts = g.samples.filter((s) => s.positive).map((s) => s.value.text);
  const tpValues = new Set(
    g.samples
      .filter((s) => s.positive)
      .flatMap((s) => spansOf(s.value, '').map((x) => s.value.text.slice(x.start, x.end))),
  );
  for (const [i, s] of g.samples.entries()) {
    if (
      !s.positive &&
      (tpTexts.includes(s.value.text) || [...tpValues].some((v) => v.length >= 8 && s.value.text.includes(v)))
    ) {
      skip('gitleaks fps that another rule lists as tps');
      continue;
    }
    let spans = s.positive ? spansOf(s.value, s.ruleId) : [];
    if (s.positive && !s.value.exact && !s.value.spans.length) {
      // a literal line: where gitleaks' own regex for this rule says the secret is
      const loc = locators.get(s.ruleId);
      const at = loc && locate(loc, s.value.text);
      if (at) {
        spans = [{ ...at, category: s.ruleId }];
        skip('gitleaks literal tps located by the rule regex');
      } else skip('gitleaks literal tps located by the token heuristic');
    }
    if (s.positive && !spans.length) {
      skip('gitleaks positive without a token');
      continue;
    }
    push('gitleaks', `gitleaks/${s.ruleId}/${s.positive ? 'tp' : 'fp'}/${i}`, s.value.text, spans);
  }

  const raw = (source: string, samples: RawSample[]) =>
    samples.forEach((s, i) => {
      const spans = !s.positive
        ? []
        : (s.spans ?? spansOf({ text: s.text, spans: [], exact: false }, s.origin.split('#')[0]!));
      push(source, `${source}/${s.origin}/${i}`, s.text, spans);
    });
  const sl = openSourceTree(dirs.secretlint!);
  const slr = readSecretlint(sl);
  counts['secretlint cases left out: rule options'] = slr.skipped.length;
  raw('secretlint', slr.samples);
  const ds = openSourceTree(dirs['detect-secrets']!);
  const dsr = readDetectSecrets(ds);
  counts['detect-secrets cases left out: not plain literals'] = dsr.skipped;
  raw('detect-secrets', dsr.samples);
  const pr = openSourceTree(dirs.presidio!);
  const prr = readPresidio(pr);
  counts['presidio cases left out: not plain literals'] = prr.skipped;
  raw('presidio', prr.samples);

  const set: IndependentSet = {
    note: 'Generated by bench/privacy/independent/convert.ts from the public suites below; see README.md. Test data, not secrets: every value comes from the suites or from a seeded generator.',
    sources: [
      {
        name: 'gitleaks',
        repository: 'https://github.com/gitleaks/gitleaks',
        license: 'MIT',
        revision: gl.revision,
        read: 'cmd/generate/config/rules/*.go (tps, fps)',
      },
      {
        name: 'secretlint',
        repository: 'https://github.com/secretlint/secretlint',
        license: 'MIT',
        revision: sl.revision,
        read: 'packages/@secretlint/secretlint-rule-*/test/snapshots/*',
      },
      {
        name: 'detect-secrets',
        repository: 'https://github.com/Yelp/detect-secrets',
        license: 'Apache-2.0',
        revision: ds.revision,
        read: 'tests/plugins/*_test.py (line, should_flag)',
      },
      {
        name: 'presidio',
        repository: 'https://github.com/microsoft/presidio',
        license: 'MIT',
        revision: pr.revision,
        read: 'presidio-analyzer/tests/test_{email,phone,credit_card}_recognizer.py',
      },
    ],
    relabelledAsPlaceholder: relabelled,
    counts,
    docs,
  };
  // gzip: smaller, and the suites' sample tokens are not stored as plain text that secret scanners (push
  // protection) would flag; gzip output carries no timestamp, so the file is reproducible byte for byte
  fs.writeFileSync(out, gzipSync(`${JSON.stringify(set, null, 1)}\n`, { level: 9 }));
  const count = (src: string) => {
    const d = docs.filter((x) => x.source === src);
    return `${src}: ${d.length} samples, ${d.reduce((a, x) => a + x.labels.length, 0)} labels, ${d.filter((x) => !x.labels.length).length} negatives`;
  };
  console.log(['gitleaks', 'secretlint', 'detect-secrets', 'presidio'].map(count).join('\n'));
  console.log(`relabelled as placeholders: ${JSON.stringify(relabelled)}\ncounts: ${JSON.stringify(counts, null, 1)}`);
  console.log(`wrote ${out}`);
}

main();
