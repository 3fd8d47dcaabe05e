import { createHash } from 'node:crypto';
import type { Level } from './rule';
import { BUILTIN_RULES } from './rules';

/**
 * Names a masking configuration: the level, the custom rules as given and the built-in rule set of this build.
 * A re-mask records it (meta `remask_last`) and resumes an interrupted run only under the same hash.
 */
export function rulesHash(level: Level, customRules: readonly unknown[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ level, customRules, builtin: BUILTIN_RULES.map((r) => r.id) }));
  return h.digest('hex').slice(0, 16);
}
