/** Readers for the test data of secretlint, detect-secrets and Presidio (see README.md for what is taken and why). */
import type { SourceTree } from './sourceTree';

export interface RawSample {
  /** Where in the source suite: file and case. */
  origin: string;
  text: string;
  /** Exact spans given by the suite; undefined when the suite only says the sample is positive. */
  spans?: { start: number; end: number; category: string }[];
  positive: boolean;
}

/**
 * secretlint: packages/@secretlint/secretlint-rule-<name>/test/snapshots/<case>/{input…, output.json}. The expected
 * output lists each finding's character range: those are the labels. Cases configured with rule options
 * (.secretlintrc.json with "options") and rules that are not about secret values are left out.
 */
const SECRETLINT_NOT_SECRETS = new Set([
  'no-dotenv', // flags a file name
  'no-homedir', // flags a home-directory path
  'no-k8s-kind-secret', // flags a manifest kind
  'pattern', // user-configured patterns
  'filter-comments', // a filter
  'example', // the rule-writing example
  'preset-recommend', // re-runs the individual rules' cases
  'preset-canary',
]);
export function readSecretlint(tree: SourceTree): { samples: RawSample[]; skipped: string[] } {
  const samples: RawSample[] = [];
  const skipped: string[] = [];
  const files = tree.list('packages/@secretlint/').filter((f) => /\/test\/snapshots\/[^/]+\/output\.json$/.test(f));
  for (const out of files.sort()) {
    const m = /secretlint-rule-([^/]+)\/test\/snapshots\/([^/]+)\/output\.json$/.exec(out);
    if (!m) continue;
    const [, rule, kase] = m;
    if (SECRETLINT_NOT_SECRETS.has(rule!)) continue;
    const dir = out.slice(0, -'output.json'.length);
    const rc = tree.list(dir).find((f) => f.endsWith('.secretlintrc.json'));
    if (rc) {
      const cfg = JSON.parse(tree.read(rc)) as { rules?: { options?: unknown }[] };
      if (cfg.rules?.some((r) => r.options && Object.keys(r.options).length > 0)) {
        skipped.push(`${rule}/${kase}: rule options`);
        continue;
      }
    }
    const o = JSON.parse(tree.read(out)) as {
      sourceContent?: string;
      messages: { range: [number, number]; messageId?: string }[];
    };
    const input = tree.list(dir).find((f) => /\/input(?:\.[^/]*)?$/.test(f));
    const text = o.sourceContent ?? (input ? tree.read(input) : undefined);
    if (text === undefined) {
      skipped.push(`${rule}/${kase}: no input`);
      continue;
    }
    samples.push({
      origin: `secretlint-rule-${rule}/${kase}`,
      text,
      spans: o.messages.map((x) => ({ start: x.range[0], end: x.range[1], category: `${rule}` })),
      positive: o.messages.length > 0,
    });
  }
  return { samples, skipped };
}

/** A Python string literal at `src[i]` ('…' or "…", no prefix, simple escapes): [value, end] or undefined. */
function pyString(src: string, i: number): [string, number] | undefined {
  const q = src[i];
  if (q !== "'" && q !== '"') return undefined;
  if (src.startsWith(q.repeat(3), i)) return undefined;
  let s = '';
  let k = i + 1;
  while (k < src.length && src[k] !== q) {
    if (src[k] === '\n') return undefined;
    if (src[k] === '\\') {
      const e = src[k + 1]!;
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
      if (map[e] === undefined) return undefined;
      s += map[e];
      k += 2;
    } else s += src[k++];
  }
  return k < src.length ? [s, k + 1] : undefined;
}

/**
 * detect-secrets: tests/plugins/<plugin>_test.py parametrize `(line, should_flag)` cases. Only cases whose line is a
 * single plain string literal and whose flag is a literal True/False; lines built with .format(), textwrap or
 * variables are skipped. Plugins outside the guard's scope (public IP addresses) are left out.
 */
const DETECT_SECRETS_OUT_OF_SCOPE = new Set(['ip_public', 'base', 'high_entropy_strings']);
export function readDetectSecrets(tree: SourceTree): { samples: RawSample[]; skipped: number } {
  const samples: RawSample[] = [];
  let skipped = 0;
  for (const file of tree
    .list('tests/plugins/')
    .filter((f) => f.endsWith('_test.py'))
    .sort()) {
    const plugin = /tests\/plugins\/(.+)_test\.py$/.exec(file)![1]!;
    if (DETECT_SECRETS_OUT_OF_SCOPE.has(plugin)) continue;
    const src = tree.read(file);
    // each parametrize list whose names end in a boolean flag: 'line,should_flag', 'payload, should_flag'
    for (const pm of src.matchAll(/@pytest\.mark\.parametrize\(\s*'([a-z_]+),\s*should_flag'\s*,\s*\[/g)) {
      let i = pm.index + pm[0].length;
      let depth = 1;
      let n = 0;
      while (i < src.length && depth > 0) {
        const c = src[i]!;
        if (c === '#') {
          while (i < src.length && src[i] !== '\n') i++;
          continue;
        }
        if (c === '(' && depth === 1) {
          // one case: ( <string literal> , True|False )
          let k = i + 1;
          while (/\s/.test(src[k]!)) k++;
          const lit = pyString(src, k);
          let ok = false;
          if (lit) {
            let e = lit[1];
            while (/\s/.test(src[e]!)) e++;
            const flag = /^,\s*(True|False)\s*,?\s*\)/.exec(src.slice(e, e + 40));
            if (flag) {
              samples.push({ origin: `${plugin}#${n}`, text: lit[0], positive: flag[1] === 'True' });
              ok = true;
            }
          }
          if (!ok) skipped++;
          n++;
        }
        if (c === '(' || c === '[') depth++;
        else if (c === ')' || c === ']') depth--;
        else if (c === "'" || c === '"') {
          const lit = pyString(src, i);
          if (lit) {
            i = lit[1];
            continue;
          }
        }
        i++;
      }
    }
  }
  return { samples, skipped };
}

/**
 * Presidio: presidio-analyzer/tests/test_{email,phone,credit_card}_recognizer.py parametrize cases
 * `("text", expected_len, …, ((start, end), …), …)`. A case is kept when its text is one plain string literal and it
 * lists exactly expected_len integer spans (expected_len 0: a negative).
 */
const PRESIDIO_FILES: Record<string, string> = {
  'presidio-analyzer/tests/test_email_recognizer.py': 'email',
  'presidio-analyzer/tests/test_phone_recognizer.py': 'phone',
  'presidio-analyzer/tests/test_credit_card_recognizer.py': 'credit_card',
};
export function readPresidio(tree: SourceTree): { samples: RawSample[]; skipped: number } {
  const samples: RawSample[] = [];
  let skipped = 0;
  for (const [file, category] of Object.entries(PRESIDIO_FILES)) {
    const src = tree.read(file);
    const lines = src.split('\n');
    // a case starts with '("' or "('" at the start of a line (after blanks) inside a parametrize list
    const starts: number[] = [];
    let off = 0;
    for (const line of lines) {
      if (/^\s*\(\s*["']/.test(line)) starts.push(off + line.indexOf('('));
      off += line.length + 1;
    }
    for (const [idx, st] of starts.entries()) {
      const end = Math.min(
        starts[idx + 1] ?? src.length,
        src.indexOf('\n    ]', st) >= 0 ? src.indexOf('\n    ]', st) : src.length,
      );
      let k = st + 1;
      while (/\s/.test(src[k]!)) k++;
      const lit = pyString(src, k);
      if (!lit) {
        skipped++;
        continue;
      }
      const rest = src.slice(lit[1], end);
      const count = /^\s*,\s*(\d+)\s*,/.exec(rest);
      if (!count) {
        skipped++;
        continue;
      }
      const n = Number(count[1]);
      const spans = [...rest.matchAll(/\(\s*(\d+)\s*,\s*(\d+)\s*\)/g)].map((m) => ({
        start: Number(m[1]),
        end: Number(m[2]),
        category,
      }));
      if (spans.length !== n || spans.some((s) => s.end > lit[0].length || s.start >= s.end)) {
        skipped++;
        continue;
      }
      samples.push({
        origin: `${file.replace(/^.*\//, '')}:${src.slice(0, st).split('\n').length}`,
        text: lit[0],
        spans,
        positive: n > 0,
      });
    }
  }
  return { samples, skipped };
}
