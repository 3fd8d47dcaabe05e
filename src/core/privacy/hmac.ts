/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) for the short values the guard tags, in plain JS: the key's inner and outer
 * pad blocks are compressed once (midstates), so a tag of a secret under 56 UTF-8 bytes costs two SHA-256
 * compressions and no native call. Values equal node:crypto's createHmac('sha256', key) (checked by the tests).
 */
import { hash } from 'node:crypto';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** One SHA-256 compression of the 64-byte block at `buf[off..]` into `st` (8 words). `w` is scratch (64 words). */
function compress(st: Int32Array, buf: Uint8Array, off: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = (buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!;
  }
  compressWords(st, w);
}

/** One SHA-256 compression of the block already in w[0..15] into `st`. */
function compressWords(st: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = st[0]!;
  let b = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  let e = st[4]!;
  let f = st[5]!;
  let g = st[6]!;
  let h = st[7]!;
  let t1 = 0;
  // eight rounds per iteration with the roles of a…h rotated instead of shifting eight variables every round
  for (let i = 0; i < 64; i += 8) {
    t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        K[i + 0]! +
        w[i + 0]!) |
      0;
    d = (d + t1) | 0;
    h =
      (t1 +
        (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    t1 =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        ((d & e) ^ (~d & f)) +
        K[i + 1]! +
        w[i + 1]!) |
      0;
    c = (c + t1) | 0;
    g =
      (t1 +
        (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) ^ (h & b) ^ (a & b))) |
      0;
    t1 =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        ((c & d) ^ (~c & e)) +
        K[i + 2]! +
        w[i + 2]!) |
      0;
    b = (b + t1) | 0;
    f =
      (t1 +
        (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) ^ (g & a) ^ (h & a))) |
      0;
    t1 =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        ((b & c) ^ (~b & d)) +
        K[i + 3]! +
        w[i + 3]!) |
      0;
    a = (a + t1) | 0;
    e =
      (t1 +
        (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) ^ (f & h) ^ (g & h))) |
      0;
    t1 =
      (d +
        (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        ((a & b) ^ (~a & c)) +
        K[i + 4]! +
        w[i + 4]!) |
      0;
    h = (h + t1) | 0;
    d =
      (t1 +
        (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
        ((e & f) ^ (e & g) ^ (f & g))) |
      0;
    t1 =
      (c +
        (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        ((h & a) ^ (~h & b)) +
        K[i + 5]! +
        w[i + 5]!) |
      0;
    g = (g + t1) | 0;
    c =
      (t1 +
        (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
        ((d & e) ^ (d & f) ^ (e & f))) |
      0;
    t1 =
      (b +
        (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        ((g & h) ^ (~g & a)) +
        K[i + 6]! +
        w[i + 6]!) |
      0;
    f = (f + t1) | 0;
    b =
      (t1 +
        (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
        ((c & d) ^ (c & e) ^ (d & e))) |
      0;
    t1 =
      (a +
        (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        ((f & g) ^ (~f & h)) +
        K[i + 7]! +
        w[i + 7]!) |
      0;
    e = (e + t1) | 0;
    a =
      (t1 +
        (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
        ((b & c) ^ (b & d) ^ (c & d))) |
      0;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
  st[4] = (st[4]! + e) | 0;
  st[5] = (st[5]! + f) | 0;
  st[6] = (st[6]! + g) | 0;
  st[7] = (st[7]! + h) | 0;
}

/** Returns tag(value) = first 4 bytes of HMAC-SHA256(key, utf8(value)) as 8 lowercase hex digits. */
export function createHmacTagger(key: Uint8Array): (value: string) => string {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? (hash('sha256', Buffer.from(key), 'buffer') as Buffer) : key);
  const pad = new Uint8Array(64);
  const w = new Int32Array(64);
  const innerMid = new Int32Array(IV);
  for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x36;
  compress(innerMid, pad, 0, w);
  const outerMid = new Int32Array(IV);
  for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x5c;
  compress(outerMid, pad, 0, w);
  block.fill(0);
  pad.fill(0);

  const st = new Int32Array(8);
  let msg = new Uint8Array(256);

  /** UTF-8 of `s` into msg (lone surrogates as U+FFFD, like Buffer); returns the byte length. */
  const encode = (s: string): number => {
    if (msg.length < s.length * 3 + 72) msg = new Uint8Array(s.length * 3 + 136);
    const m = msg;
    let p = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) m[p++] = c;
      else if (c < 0x800) {
        m[p++] = 0xc0 | (c >> 6);
        m[p++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
            m[p++] = 0xf0 | (c >> 18);
            m[p++] = 0x80 | ((c >> 12) & 63);
            m[p++] = 0x80 | ((c >> 6) & 63);
            m[p++] = 0x80 | (c & 63);
            continue;
          }
          c = 0xfffd;
        }
        m[p++] = 0xe0 | (c >> 12);
        m[p++] = 0x80 | ((c >> 6) & 63);
        m[p++] = 0x80 | (c & 63);
      }
    }
    return p;
  };

  /** Pads msg[0..len) as the tail of a message of `prefix + len` bytes; returns the padded length (multiple of 64). */
  const padTo = (buf: Uint8Array, len: number, prefix: number): number => {
    const total = len + 9 <= 64 ? 64 : (len + 9 + 63) & ~63;
    buf[len] = 0x80;
    buf.fill(0, len + 1, total - 8);
    const bits = (prefix + len) * 8; // < 2^53; the high word of the 64-bit length is floor(bits / 2^32)
    const hi = Math.floor(bits / 4294967296);
    buf[total - 8] = hi >>> 24;
    buf[total - 7] = hi >>> 16;
    buf[total - 6] = hi >>> 8;
    buf[total - 5] = hi;
    buf[total - 4] = bits >>> 24;
    buf[total - 3] = bits >>> 16;
    buf[total - 2] = bits >>> 8;
    buf[total - 1] = bits;
    return total;
  };

  /** The padded single block of an ASCII value of at most 55 chars, straight into w (most secrets): no byte buffer. */
  const asciiBlock = (s: string): boolean => {
    const n = s.length;
    if (n > 55) return false;
    w.fill(0, 0, 16);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      w[i >> 2]! |= c << (24 - 8 * (i & 3));
    }
    w[n >> 2]! |= 0x80 << (24 - 8 * (n & 3));
    w[15] = (64 + n) * 8;
    return true;
  };

  return (value: string): string => {
    st.set(innerMid);
    if (asciiBlock(value)) compressWords(st, w);
    else {
      const len = encode(value);
      const total = padTo(msg, len, 64);
      for (let off = 0; off < total; off += 64) compress(st, msg, off, w);
      msg.fill(0, 0, total); // do not keep the secret around in the buffers
    }
    // outer: the inner digest, padded to one block (32 bytes after the 64-byte key block: 768 bits)
    for (let i = 0; i < 8; i++) w[i] = st[i]!;
    w[8] = 0x80000000 | 0;
    w.fill(0, 9, 15);
    w[15] = 768;
    st.set(outerMid);
    compressWords(st, w);
    w.fill(0);
    const x = st[0]!;
    return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
  };
}
