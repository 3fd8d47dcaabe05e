import { normalizePath } from '../../core/codeContext/pathNormalizer';
import { createPrivacyGuard, LEVELS } from '../../core/privacy';
import { localPathStyle } from './realPath';

/**
 * The keys a plain file path may be stored under in session_files: as it is, and as each privacy level masks it with
 * the store's HMAC key (stored paths are masked text; custom rules are not known here and not applied).
 */
export function storedPathKeys(plain: { path: string; key: string }, hmacKey: string): string[] {
  const keys = new Set([plain.key]);
  for (const level of LEVELS) {
    const masked = createPrivacyGuard({ level, hmacKey }).maskText(plain.path).text;
    const k = normalizePath(masked, { style: localPathStyle(masked) })?.key;
    if (k) keys.add(k);
  }
  return [...keys];
}
