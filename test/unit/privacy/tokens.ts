/**
 * Synthetic secrets for tests, assembled at runtime from parts so no literal in the repository looks like a
 * live credential (and push protection stays quiet). Deterministic for a given seed.
 */
import { base62, crc32 } from '../../../src/core/privacy/validators';

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  str(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const URLSAFE = `${ALNUM}_-`;
export const B64 = `${ALNUM}+/`;
export const HEX = '0123456789abcdef';
export const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const j = (...p: string[]) => p.join('');

/** The Luhn checksum of a digit string (0 for a valid card number). Independent of src/ on purpose. */
export function luhnSum(digits: string): number {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let x = digits.charCodeAt(i) - 48;
    if (dbl) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
    dbl = !dbl;
  }
  return sum % 10;
}

export function luhnComplete(prefixAndBody: string): string {
  for (let d = 0; d <= 9; d++) {
    const cand = prefixAndBody + d;
    if (luhnSum(cand) === 0) return cand;
  }
  throw new Error('unreachable');
}

export function myNumberComplete(eleven: string): string {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = eleven.charCodeAt(11 - n) - 48;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return eleven + String(r <= 1 ? 0 : 11 - r);
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Generators: each returns a fresh synthetic secret. */
export function makeTokens(rng: Rng) {
  return {
    anthropic: () => j('sk-', 'ant-', 'api03-', rng.str(URLSAFE, 93), 'AA'),
    anthropicAdmin: () => j('sk-', 'ant-', 'admin01-', rng.str(URLSAFE, 93), 'AA'),
    anthropicOat: () => j('sk-', 'ant-', 'oat01-', rng.str(URLSAFE, 93), 'AA'),
    anthropicOrt: () => j('sk-', 'ant-', 'ort01-', rng.str(URLSAFE, 93), 'AA'),
    openaiProj: () => j('sk-', 'proj-', rng.str(URLSAFE, 74), 'T3Blbk', 'FJ', rng.str(URLSAFE, 74)),
    openaiSvc: () => j('sk-', 'svcacct-', rng.str(URLSAFE, 74), 'T3Blbk', 'FJ', rng.str(URLSAFE, 74)),
    openaiAdmin: () => j('sk-', 'admin-', rng.str(URLSAFE, 74), 'T3Blbk', 'FJ', rng.str(URLSAFE, 74)),
    openaiLegacy: () => j('sk-', rng.str(ALNUM, 20), 'T3Blbk', 'FJ', rng.str(ALNUM, 20)),
    githubClassic: (p = 'ghp') => {
      const r = rng.str(ALNUM, 30);
      return j(p, '_', r, base62(crc32(r), 6));
    },
    githubFine: () =>
      j('github', '_pat_', '11', rng.str(`${UPPER32.slice(0, 26)}0123456789`, 20), '_', rng.str(ALNUM, 59)),
    gitlab: () => j('gl', 'pat-', rng.str(URLSAFE, 20)),
    awsId: () => j('AK', 'IA', rng.str(UPPER32, 16)),
    awsSecret: () => rng.str(B64, 40),
    google: () => j('AI', 'za', 'Sy', rng.str(URLSAFE, 33)),
    stripeLive: () => j('sk', '_live_', rng.str(ALNUM, 99)),
    stripeTest: () => j('sk', '_test_', rng.str(ALNUM, 24)),
    stripeRestricted: () => j('rk', '_live_', rng.str(ALNUM, 24)),
    stripeWebhook: () => j('wh', 'sec_', rng.str(ALNUM, 32)),
    slackBot: () =>
      j('xo', 'xb-', String(1e11 + rng.int(1e9)), '-', String(1e11 + rng.int(1e9)), '-', rng.str(ALNUM, 24)),
    slackUser: () =>
      j(
        'xo',
        'xp-',
        String(1e11 + rng.int(1e9)),
        '-',
        String(1e11 + rng.int(1e9)),
        '-',
        String(1e11 + rng.int(1e9)),
        '-',
        rng.str(HEX, 32),
      ),
    slackApp: () =>
      j('xa', 'pp-1-', 'A0', rng.str(UPPER32, 9), '-', String(1e12 + rng.int(1e9)), '-', rng.str(HEX, 64)),
    slackWebhook: () =>
      j(
        'https://hooks.',
        'slack.com/services/',
        'T',
        rng.str(UPPER32, 8),
        '/B',
        rng.str(UPPER32, 8),
        '/',
        rng.str(ALNUM, 24),
      ),
    supabasePat: () => j('sb', 'p_', rng.str(HEX, 40)),
    supabaseSecret: () => j('sb_', 'secret_', rng.str(URLSAFE, 32)),
    supabaseJwt: (role = 'service_role') =>
      j(
        b64url({ alg: 'HS256', typ: 'JWT' }),
        '.',
        b64url({ iss: 'supabase', ref: rng.str('abcdefghijklmnopqrst', 20), role, iat: 1700000000, exp: 2000000000 }),
        '.',
        rng.str(URLSAFE, 43),
      ),
    jwt: () =>
      j(
        b64url({ alg: 'RS256', kid: rng.str(HEX, 8) }),
        '.',
        b64url({ sub: String(rng.int(1e9)), name: 'x', iat: 1700000000 + rng.int(1e6) }),
        '.',
        rng.str(URLSAFE, 86),
      ),
    npm: () => {
      const r = rng.str(ALNUM, 30);
      return j('np', 'm_', r, base62(crc32(r), 6));
    },
    huggingface: () => j('h', 'f_', rng.str(ALNUM, 34)),
    sendgrid: () => j('S', 'G.', rng.str(URLSAFE, 22), '.', rng.str(URLSAFE, 43)),
    telegram: () => j(String(1e9 + rng.int(9e8)), ':A', 'A', rng.str(URLSAFE, 33)),
    azureKey: () => j(rng.str(B64, 86), '=='),
    googleClientSecret: () => j('GOC', 'SPX-', rng.str(URLSAFE, 28)),
    openrouter: () => j('sk-', 'or-', 'v1-', rng.str(HEX, 64)),
    password: () => rng.str(ALNUM, 6) + rng.pick(['!', '#', '%', '^', '*']) + rng.str(ALNUM, 5),
    generic: () => rng.str(ALNUM, 32),
    pemBody: (lines = 12) => Array.from({ length: lines }, () => rng.str(B64, 64)).join('\n'),
    card: (kind: 'visa' | 'mc' | 'amex' | 'jcb' | 'discover' | 'diners') => {
      const pre = {
        visa: '4',
        mc: `5${1 + rng.int(5)}`,
        amex: rng.pick(['34', '37']),
        jcb: String(3528 + rng.int(62)),
        discover: '6011',
        diners: '36',
      }[kind];
      const len = { visa: 16, mc: 16, amex: 15, jcb: 16, discover: 16, diners: 14 }[kind];
      return luhnComplete(pre + rng.str('0123456789', len - pre.length - 1));
    },
    myNumber: () => myNumberComplete(String(1 + rng.int(9)) + rng.str('0123456789', 10)),
  };
}

export function pem(kind: string, body: string): string {
  const tag = kind ? `${kind} PRIVATE KEY` : 'PRIVATE KEY';
  return `-----BEGIN ${tag}-----\n${body}\n-----END ${tag}-----`;
}
