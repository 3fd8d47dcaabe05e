/**
 * gitleaks' generated configuration (config/gitleaks.toml) gives each rule's regex and the capture group that holds
 * the secret. A literal true-positive line is labelled with the span that rule's own regex reports, translated from
 * Go's RE2 to a JavaScript RegExp: `(?i)` (anywhere) → the i flag, `(?i:…)`/`(?-i:…)` → `(?:…)` (case-insensitive
 * as a whole, an approximation), `\z` → `$`. A regex that does not compile, or finds nothing, leaves the sample to valueSpan.ts.
 */
import type { SourceTree } from './sourceTree';

export interface RuleLocator {
  re: RegExp;
  secretGroup: number;
}

function toJs(go: string): RegExp | undefined {
  let src = go;
  let flags = 'd';
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    flags += 'i';
  }
  if (src.includes('(?i:') || src.includes('(?i)')) flags = flags.includes('i') ? flags : `${flags}i`;
  src = src
    .replace(/\(\?i\)/g, '')
    .replace(/\(\?-?i:/g, '(?:')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  for (const f of [flags, `${flags}u`]) {
    try {
      return new RegExp(src, f);
    } catch {
      // next
    }
  }
  return undefined;
}

export function readGitleaksConfig(tree: SourceTree): Map<string, RuleLocator> {
  const toml = tree.read('config/gitleaks.toml');
  const out = new Map<string, RuleLocator>();
  for (const block of toml.split(/^\[\[rules\]\]$/m).slice(1)) {
    const id = /^id = "([^"]+)"/m.exec(block)?.[1];
    const regex = /^regex = '''([\s\S]*?)'''$/m.exec(block)?.[1] ?? /^regex = "((?:[^"\\]|\\.)*)"$/m.exec(block)?.[1];
    if (!id || regex === undefined) continue;
    const re = toJs(regex);
    if (!re) continue;
    out.set(id, { re, secretGroup: Number(/^secretGroup = (\d+)$/m.exec(block)?.[1] ?? 0) });
  }
  return out;
}

/** The secret's span by the rule's own regex: its secretGroup, else its first non-empty group, else the match. */
export function locate(loc: RuleLocator, text: string): { start: number; end: number } | undefined {
  const m = loc.re.exec(text);
  if (!m?.indices) return undefined;
  const groups = loc.secretGroup ? [loc.secretGroup] : m.indices.map((_, i) => i).slice(1);
  for (const g of groups) {
    const span = m.indices[g];
    if (span && span[1] > span[0]) return { start: span[0], end: span[1] };
  }
  const [start, end] = m.indices[0]!;
  return end > start ? { start, end } : undefined;
}
