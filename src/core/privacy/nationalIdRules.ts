/**
 * National identity numbers with a published check digit: China's resident identity number (GB 11643, ISO 7064
 * MOD 11-2), India's Aadhaar (Verhoeff), Israel's Teudat Zehut (Luhn-style weights 1,2). The Chinese number carries
 * a birth date and a check character, so its shape alone is rare enough; a 12-digit Verhoeff number (1 in 10 random
 * numbers passes) or a 9-digit Teudat Zehut (shorter than the digit clusters the scanner watches) is claimed only
 * right after a word naming it.
 */
import type { Rule } from './rule';
import { DIGITS, lb, re } from './ruleHelpers';

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = '10X98765432';

/** GB 11643-1999: region (first digit 1-8), birth date, sequence, and the MOD 11-2 check character. */
export function chinaResidentIdValid(v: string): boolean {
  const id = v.toUpperCase();
  if (!/^[1-8][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$/.test(id))
    return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * CN_WEIGHTS[i]!;
  return CN_CHECK[sum % 11] === id[17];
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Aadhaar: 12 digits, the first 2-9, Verhoeff check digit last. */
export function aadhaarValid(v: string): boolean {
  const d = v.replace(/[ -]/g, '');
  if (!/^[2-9][0-9]{11}$/.test(d)) return false;
  let c = 0;
  for (let i = 0; i < 12; i++) c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d.charCodeAt(11 - i) - 48]!]!;
  return c === 0;
}

/** Teudat Zehut: 9 digits (shorter ones are left-padded with zeros), weights 1,2,1,2…, digit sums, total % 10 = 0. */
export function teudatZehutValid(v: string): boolean {
  const d = v.replace(/-/g, '');
  if (!/^[0-9]{5,9}$/.test(d) || /^0+$/.test(d)) return false;
  const id = d.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const x = (id.charCodeAt(i) - 48) * ((i % 2) + 1);
    sum += x > 9 ? x - 9 : x;
  }
  return sum % 10 === 0;
}

/** Up to 24 characters of the same line between a word and its number: no digit, no newline, no escape but \". */
const NEAR = '(?:[^\\n\\d\\\\]|\\\\")' + '{0,24}?';

export const nationalIdRules: Rule[] = [
  {
    id: 'cn-resident-id',
    category: 'national_id',
    kind: 'pii',
    keywords: DIGITS,
    pattern: re(`${lb('\\w.+/\\-')}[1-8][0-9]{16}[0-9Xx](?![\\w]|[.\\-][0-9])`),
    before: 2,
    after: 4,
    window: true,
    minDigits: 17,
    pureValidator: true,
    level: 'standard',
    validator: (v) => chinaResidentIdValid(v),
  },
  {
    // anchored at the word: the number must follow within a few characters on the same line
    id: 'in-aadhaar',
    category: 'national_id',
    kind: 'pii',
    keywords: ['aadhaar', 'aadhar', 'आधार', 'uidai'],
    pattern: re(
      `(?:aadhaar|aadhar|आधार|uidai)${NEAR}(?<s>[2-9][0-9]{3}([ -]?)[0-9]{4}\\2[0-9]{4})(?![\\w]|[.\\-][0-9])`,
      'i',
    ),
    before: 0,
    after: 80,
    level: 'standard',
    validator: (v) => aadhaarValid(v),
  },
  {
    id: 'il-teudat-zehut',
    category: 'national_id',
    kind: 'pii',
    keywords: ['teudat zehut', 'תעודת זהות', 'ת.ז', 'ת"ז', 'israeli id'],
    pattern: re(
      `(?:teudat zehut|תעודת זהות|ת\\.ז|ת"ז|israeli id)${NEAR}(?<s>[0-9]{8}-?[0-9])(?![\\w]|[.\\-][0-9])`,
      'i',
    ),
    before: 0,
    after: 60,
    level: 'standard',
    validator: (v) => teudatZehutValid(v),
  },
];
