/**
 * Scores the Privacy Guard on the independent set (corpus.json.gz, converted from public rule suites; see README.md).
 * `npm run bench:privacy` prints it apart from the own corpus; alone:
 *
 *   npx tsx bench/privacy/independent/evaluate.ts [--misses N] [--source NAME]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { categoryKind } from '../../../src/core/privacy/rules';
import { pct, type Score, score } from '../score';
import type { IndependentSet } from './convert';

export const CORPUS_PATH = path.join(import.meta.dirname, 'corpus.json.gz');

export function loadIndependentSet(file = CORPUS_PATH): IndependentSet {
  return JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as IndependentSet;
}

export interface IndependentResult {
  all: Score;
  bySource: Record<string, Score>;
  /** The same findings scored with the placeholders the suites label as secrets counted as labels. */
  asSuitesLabel: Score;
}

/**
 * The secret suites label secrets only: personal data the guard finds in their samples (the e-mail address in a curl
 * line) is neither confirmed nor refuted by them, so it is left out of their precision. Presidio's samples count every
 * finding.
 */
export function evaluateIndependent(
  set: IndependentSet,
  detect: (text: string) => { start: number; end: number; category: string }[],
): IndependentResult {
  const findings = set.docs.map((d) =>
    detect(d.text).filter((f) => d.source === 'presidio' || categoryKind(f.category) !== 'pii'),
  );
  const bySource: Record<string, Score> = {};
  for (const src of [...new Set(set.docs.map((d) => d.source))]) {
    const idx = set.docs.flatMap((d, i) => (d.source === src ? [i] : []));
    bySource[src] = score(
      idx.map((i) => set.docs[i]!),
      idx.map((i) => findings[i]!),
    );
  }
  const asLabelled = set.docs.map((d) => ({ ...d, labels: [...d.labels, ...(d.placeholders ?? [])] }));
  return { all: score(set.docs, findings), bySource, asSuitesLabel: score(asLabelled, findings) };
}

const line = (name: string, s: Score) => {
  const docs = s.byKind.credential.labels + s.byKind.pii.labels;
  return `  ${name.padEnd(15)} labels ${String(docs).padStart(5)}  keys/tokens ${s.byKind.credential.labels ? pct(s.recall(s.byKind.credential)).padStart(7) : '      -'}  PII ${s.byKind.pii.labels ? pct(s.recall(s.byKind.pii)).padStart(7) : '      -'}  precision ${pct(s.precision).padStart(7)} (${s.findings} findings, ${s.findings - s.truePositiveFindings} false)`;
};

export function printIndependent(title: string, set: IndependentSet, r: IndependentResult, misses = 0): void {
  console.log(`\n${title}`);
  console.log(
    `  ${set.docs.length} samples from ${set.sources.map((s) => `${s.name}@${s.revision.slice(0, 7)}`).join(', ')}; ${set.docs.filter((d) => !d.labels.length).length} negatives`,
  );
  for (const [src, s] of Object.entries(r.bySource)) console.log(line(src, s));
  console.log(line('all', r.all));
  const relabelled = Object.values(set.relabelledAsPlaceholder).reduce((a, b) => a + b, 0);
  console.log(line("suites' labels", r.asSuitesLabel));
  console.log(`  (suites' labels: the ${relabelled} placeholders the suites label as secrets counted as secrets)`);
  for (const m of r.all.misses.filter((x) => !x.covered).slice(0, misses))
    console.log(`  miss ${m.doc}: ${JSON.stringify(m.text).slice(0, 90)}`);
  for (const f of r.all.falsePositives.slice(0, misses))
    console.log(
      `  false positive ${f.doc}: ${JSON.stringify(f.text).slice(0, 60)} in ${JSON.stringify(f.around).slice(0, 110)}`,
    );
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('independent/evaluate.ts')) {
  const argv = process.argv.slice(2);
  const misses = Number(argv[argv.indexOf('--misses') + 1] ?? 0) || 0;
  const only = argv.includes('--source') ? argv[argv.indexOf('--source') + 1] : undefined;
  const set = loadIndependentSet();
  if (only) set.docs = set.docs.filter((d) => d.source === only);
  const guard = createPrivacyGuard({ hmacKey: 'bench-hmac-key-0123456789abcdef0123456789', level: 'standard' });
  printIndependent(
    'independent set (standard)',
    set,
    evaluateIndependent(set, (t) => guard.maskText(t).findings),
    misses,
  );
}
