// Profiling driver: `node_modules/.bin/node --cpu-prof --import tsx bench/privacy/profile.ts [small|big] [reps]`
// (WARM_STRICT=1 first runs strict- and minimal-level guards over the corpus, as the bench does before its timings.)
import { createPrivacyGuard } from '../../src/core/privacy';
import { generateCorpus } from './corpus';

const mode = process.argv[2] ?? 'small';
const reps = Number(process.argv[3] ?? 10);
const docs = generateCorpus(20261128, 4000);
const g = createPrivacyGuard({ hmacKey: 'bench-hmac-key-0123456789abcdef0123456789' });
const bytes = docs.reduce((a, d) => a + Buffer.byteLength(d.text), 0);
const parts: string[] = [];
let len = 0;
for (let i = 0; len < 10 * 1024 * 1024; i++) {
  const t = docs[i % docs.length]!.text;
  parts.push(t);
  len += t.length + 1;
}
const big = parts.join('\n');
if (process.env.WARM_STRICT) {
  const gs = createPrivacyGuard({ hmacKey: 'bench-hmac-key-0123456789abcdef0123456789', level: 'strict' });
  const gm = createPrivacyGuard({ hmacKey: 'bench-hmac-key-0123456789abcdef0123456789', level: 'minimal' });
  for (const d of docs) {
    gs.maskText(d.text);
    gm.maskText(d.text);
  }
}
const walls: number[] = [];
const cpus: number[] = [];
for (let r = 0; r < reps; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'small') for (const d of docs) g.maskText(d.text);
  else g.maskText(big);
  walls.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1000);
}
const med = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1]!;
const b = mode === 'small' ? bytes : Buffer.byteLength(big);
console.log(
  `${mode}: wall best ${Math.min(...walls).toFixed(0)} median ${med(walls).toFixed(0)} ms; cpu best ${Math.min(...cpus).toFixed(0)} median ${med(cpus).toFixed(0)} ms; ${(b / 1048576 / (Math.min(...cpus) / 1000)).toFixed(1)} MB/s by best cpu`,
);
