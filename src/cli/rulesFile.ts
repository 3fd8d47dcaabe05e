import * as fs from 'node:fs';
import { UsageError } from './command';

/** `--rules FILE` of `cct mask` and `cct scan`: a JSON array of custom masking rules, or {"rules": [...]}. */
export function loadRules(file: string): unknown[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--rules ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object' && Array.isArray((raw as { rules?: unknown }).rules)
      ? (raw as { rules: unknown[] }).rules
      : undefined;
  if (!list) throw new UsageError(`--rules ${file}: expected a JSON array of rules or {"rules": [...]}`);
  return list;
}
