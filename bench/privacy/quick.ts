// Quick accuracy probe used while developing rules: prints scores and the first misses / false positives.
import { createPrivacyGuard } from '../../src/core/privacy';
import { generateCorpus, generateStrictCorpus } from './corpus';
import { pct, score } from './score';

const docs = generateCorpus();
const g = createPrivacyGuard({ hmacKey: 'bench-key-0123456789abcdef0123456789' });
const t0 = performance.now();
const fs = docs.map((d) => g.maskText(d.text).findings);
const ms = performance.now() - t0;
const s = score(docs, fs);
console.log(`docs ${docs.length}, labels ${s.all.labels}, ${ms.toFixed(0)} ms`);
for (const [k, c] of Object.entries(s.byCategory).sort())
  console.log(k.padEnd(20), c.labels, pct(c.detected / c.labels), pct(c.fullyCovered / c.labels));
console.log(
  'credential',
  pct(s.recall(s.byKind.credential)),
  'pii',
  pct(s.recall(s.byKind.pii)),
  'full',
  pct(s.all.fullyCovered / s.all.labels),
  'precision',
  pct(s.precision),
);
const n = Number(process.argv[2] ?? 15);
for (const m of s.misses.slice(0, n))
  console.log('MISS', m.context, m.label.category, m.covered ? '(partial)' : '', JSON.stringify(m.text).slice(0, 160));
for (const f of s.falsePositives.slice(0, n))
  console.log('FP', f.context, JSON.stringify(f.text).slice(0, 80), '|', JSON.stringify(f.around).slice(0, 160));
const sd = generateStrictCorpus();
const gs = createPrivacyGuard({ hmacKey: 'bench-key-0123456789abcdef0123456789', level: 'strict' });
const ss = score(
  sd,
  sd.map((d) => gs.maskText(d.text).findings),
);
console.log('strict my_number', pct(ss.recall(ss.all)), 'precision', pct(ss.precision));
