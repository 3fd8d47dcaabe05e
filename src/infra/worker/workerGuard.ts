import { createPrivacyGuard, type Level, type PrivacyGuard, type Rule } from '../../core/privacy';
import { SharedTextWatch, type WatchConfig } from './textWatch';

/**
 * Tests only (ScanJobInput.hangRuleForTests): a V8 regex that backtracks exponentially on `hangme` followed by
 * a's — 40 a's take hours — so the watchdog can be tested on a real hang inside one regex execution.
 */
const HANG_RULE: Rule = {
  id: 'test:hang',
  category: 'test_hang',
  kind: 'credential',
  keywords: ['hangme'],
  pattern: /hangme(?:a|a){0,1000}b/,
  window: true,
  before: 0,
  after: 1024,
  level: 'minimal',
};

/** The masker of a scan or parse worker: the privacy settings, plus the watchdog's hook when the host set one. */
export function createWorkerGuard(opts: {
  privacyLevel?: Level;
  hmacKey: string;
  customRules?: unknown[];
  watch?: WatchConfig;
  hangRuleForTests?: boolean;
}): PrivacyGuard {
  return createPrivacyGuard({
    level: opts.privacyLevel ?? 'standard',
    hmacKey: opts.hmacKey,
    customRules: opts.customRules,
    ...(opts.watch ? { watch: new SharedTextWatch(opts.watch) } : {}),
    ...(opts.hangRuleForTests ? { extraRules: [HANG_RULE] } : {}),
  });
}
