/** Private keys: PEM blocks and key files. */
import type { Rule } from './rule';
import { re } from './ruleHelpers';

/** Base64 lines, RFC 1421 headers, escaped newlines; a '-' only when not the start of a '-----' marker (keeps attempts linear). */
const PEM_BODY = `(?:[A-Za-z0-9+/=:,. \\t\\r\\n]|\\\\{1,8}[rnt]|-(?!----))`;
export const privateKeyRules: Rule[] = [
  {
    id: 'pem-private-key',
    category: 'private_key',
    kind: 'credential',
    keywords: ['-----begin'],
    pattern: re(
      `-----BEGIN (?<kind>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |ED25519 |SSH2 )?PRIVATE KEY(?: BLOCK)?)-----${PEM_BODY}{16,16384}?-----END \\k<kind>-----`,
    ),
    before: 0,
    after: 16500,
    level: 'minimal',
    keepPrefix: /^-----BEGIN [A-Z0-9 ]{0,40}-----/,
  },
  {
    // A key cut short (tool output truncated, JSON split): mask from BEGIN to the end of the base64 run.
    id: 'pem-private-key-truncated',
    category: 'private_key',
    kind: 'credential',
    keywords: ['-----begin'],
    pattern: re(
      `-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |ED25519 |SSH2 )?PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\\r\\n]|\\\\{1,8}[rn]|[A-Za-z-]{1,20}: [^\\r\\n\\\\]{1,100}){16,16384}`,
    ),
    before: 0,
    after: 16500,
    level: 'minimal',
    keepPrefix: /^-----BEGIN [A-Z0-9 ]{0,40}-----/,
  },
  {
    id: 'putty-private-key',
    category: 'private_key',
    kind: 'credential',
    keywords: ['private-lines:'],
    pattern: re(
      `Private-Lines: \\d{1,3}(?:\\r?\\n|\\\\r?\\\\n)(?<s>(?:[A-Za-z0-9+/=]{1,64}(?:\\r?\\n|\\\\r?\\\\n)){1,64})`,
    ),
    before: 0,
    after: 4600,
    level: 'minimal',
  },
];
