/** Strict level: bare high-entropy strings. */
import type { Rule } from './rule';
import { lb, re } from './ruleHelpers';
import { charClasses, looksRandom, shannonEntropy } from './validators';

export const highEntropyRule: Rule = {
  id: 'high-entropy-string',
  category: 'high_entropy',
  kind: 'credential',
  keywords: [],
  fullScan: true,
  pattern: re(`${lb('A-Za-z0-9+/_=-')}[A-Za-z0-9+/_-]{32,512}={0,2}(?![A-Za-z0-9+/_=-])`),
  before: 0,
  after: 0,
  level: 'strict',
  validator: (v, ctx) => {
    if (/^[0-9a-f]+$/i.test(v)) return false; // hex digests, git SHAs
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v)) return false;
    const head = ctx.text.slice(Math.max(0, ctx.start - 12), ctx.start);
    if (/(?:sha\d{1,3}-|base64,|md5-)$/i.test(head)) return false; // npm integrity, data: URLs
    if (/\//.test(v) && /^[A-Za-z0-9._-]*(?:\/[A-Za-z0-9._-]+){2,}$/.test(v) && !/\+/.test(v)) return false; // paths
    if (charClasses(v) < 3) return false;
    return shannonEntropy(v) >= 4.2 && looksRandom(v, 32, 4.2);
  },
};
