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
import { openSourceTree } from './sourceTree';
import { type RawSample, readDetectSecrets, readPresidio, readSecretlint } from './suites';
import { valueSpan } from './valueSpan';

export interface IndependentDoc extends Doc {
  /** gitleaks | secretlint | detect-secrets | presidio */
  source: string;
}
export interface IndependentSet {
  note: string;
  sources: { name: string; repository: string; license: string; revision: string; read: string }[];
  /** Labels dropped because the value is a provider's published example (see README). */
  relabelledAsPlaceholder: number;
  skipped: Record<string, number>;
  docs: IndependentDoc[];
}

const PII = new Set(['email', 'phone', 'credit_card']);

/** Values providers publish in their documentation as examples: not secrets (README, "Placeholders"). */
export const isPublishedExample = (v: string) => /EXAMPLE/.test(v);

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
  let relabelled = 0;
  const skipped: Record<string, number> = {};
  const skip = (why: string) => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };

  const push = (
    source: string,
    id: string,
    text: string,
    spans: { start: number; end: number; category: string }[],
  ) => {
    const labels: Label[] = [];
    for (const s of spans) {
      if (isPublishedExample(text.slice(s.start, s.end))) {
        relabelled++;
        continue;
      }
      labels.push({ ...s, kind: PII.has(s.category) ? 'pii' : 'credential' });
    }
    docs.push({ id, source, context: source, text, labels });
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
  skipped['gitleaks statements'] = g.skipped.length;
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
    const spans = s.positive ? spansOf(s.value, s.ruleId) : [];
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
  skipped['secretlint cases with rule options'] = slr.skipped.length;
  raw('secretlint', slr.samples);
  const ds = openSourceTree(dirs['detect-secrets']!);
  const dsr = readDetectSecrets(ds);
  skipped['detect-secrets cases not plain literals'] = dsr.skipped;
  raw('detect-secrets', dsr.samples);
  const pr = openSourceTree(dirs.presidio!);
  const prr = readPresidio(pr);
  skipped['presidio cases not plain literals'] = prr.skipped;
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
    skipped,
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
  console.log(`relabelled as placeholders: ${relabelled}; skipped: ${JSON.stringify(skipped)}`);
  console.log(`wrote ${out}`);
}

main();
