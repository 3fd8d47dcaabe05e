/**
 * Provider credentials whose documented shape is more than a prefix and a body: grouped keys, an id joined to a
 * secret, a suffix naming a data centre (data table).
 */
import type { Rule } from './rule';
import { DIGITS, lb, re } from './ruleHelpers';
import { charClasses, isPlaceholder, shannonEntropy } from './validators';

const A = '[A-Z0-9]';

export const structuredTokenRules: Rule[] = [
  {
    // 1Password account Secret Key: version A3, a 6-character account id, then 26 random characters shown in groups
    // of 6-5-5-5-5 (copied without the first group dash at times)
    id: 'onepassword-secret-key',
    category: 'onepassword_secret_key',
    kind: 'credential',
    keywords: ['a3-'],
    pattern: re(`${lb('A-Za-z0-9_-')}A3-${A}{6}-(?:${A}{11}|${A}{6}-${A}{5})-${A}{5}-${A}{5}-${A}{5}(?![A-Za-z0-9])`),
    before: 0,
    after: 45,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^A3-/,
    validator: (v) => /[0-9]/.test(v.slice(3)) && shannonEntropy(v.slice(10)) >= 3.0,
  },
  {
    // Meta (Facebook, Instagram, WhatsApp Cloud API) user, page and system-user access tokens start with EAA
    id: 'meta-access-token',
    category: 'facebook_token',
    kind: 'credential',
    keywords: ['eaa'],
    pattern: re(`${lb('A-Za-z0-9_-')}EAA[A-Za-z0-9]{60,500}(?![A-Za-z0-9])`),
    before: 0,
    after: 510,
    wordStart: true,
    level: 'minimal',
    keepPrefix: /^EAA/,
    validator: (v) => charClasses(v) >= 3 && shannonEntropy(v) >= 4.0,
  },
  {
    // Meta app access token: {app-id}|{app-secret or client token}, the app id being 15-16 digits
    id: 'meta-app-access-token',
    category: 'facebook_token',
    kind: 'credential',
    keywords: DIGITS,
    pattern: re(`${lb('A-Za-z0-9_|-')}[0-9]{15,16}\\|[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])`),
    before: 2,
    after: 44,
    window: true,
    minDigits: 15,
    level: 'minimal',
    validator: (v) => {
      const secret = v.slice(v.indexOf('|') + 1);
      return !isPlaceholder(secret) && charClasses(secret) >= 2 && shannonEntropy(secret) >= 3.5;
    },
  },
  {
    // Mailchimp API keys: 32 hex digits, then -us and the data-centre number
    id: 'mailchimp-api-key',
    category: 'mailchimp_key',
    kind: 'credential',
    keywords: ['-us'],
    pattern: re(`${lb('A-Za-z0-9_-')}[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9])`),
    before: 32,
    after: 6,
    back: '0-9a-f',
    backMin: 32,
    level: 'minimal',
    validator: (v) => !isPlaceholder(v.slice(0, 32)) && shannonEntropy(v.slice(0, 32)) >= 3.0,
  },
];
