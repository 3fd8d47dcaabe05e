/** Shared pieces of the built-in rules: JSON-escape-aware boundaries and small validator factories. */
import { isPlaceholder, looksRandom } from './validators';

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/**
 * Left boundary that is aware of JSON escapes: not preceded by a character of `cls` — except one that is itself
 * escaped (the `n` of `\\n`) — and not directly after a backslash.
 */
export const lb = (cls: string): string => `(?<!(?<!\\\\)[${cls}])(?<!\\\\)`;
/** Boundary: not preceded by a token character. */
export const NB = lb('A-Za-z0-9_-');

export const notPlaceholder = (v: string): boolean => !isPlaceholder(v);
export const randomish =
  (minLen: number, minEntropy: number) =>
  (v: string): boolean =>
    looksRandom(v, minLen, minEntropy);

export function re(src: string, flags = ''): RegExp {
  return new RegExp(src, flags);
}
