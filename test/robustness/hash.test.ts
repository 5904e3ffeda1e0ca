/**
 * The barcode hash (barcode-api.md §3.5, D9, D10) against a reference written here from the
 * spec alone, sharing no code with the server: Python's `str.strip()` from the list of
 * characters for which `isspace()` is true, category C found as "not in any of the categories
 * L, M, N, P, S, Z", UTF-8 encoded by hand, and MD5 (RFC 1321) implemented by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { barcodeHash, hashInput, md5HexWithObject } from '../../src/barcode/formats/hash.js';
import { check, hostileString, randomUnicode } from './arbitraries.js';

// --- reference ---------------------------------------------------------------------------------

/** Python 3's whitespace (str.isspace): the bidi classes WS, B, S and the category Zs. */
const PY_SPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Code points of a JS string; a lone surrogate is its own code point. */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hi = text.charCodeAt(i);
    if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        out.push(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00));
        i++;
        continue;
      }
    }
    out.push(hi);
  }
  return out;
}

const NOT_C = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z}]$/u;

function isCategoryC(cp: number): boolean {
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // Cs
  return !NOT_C.test(String.fromCodePoint(cp));
}

function utf8(cps: number[]): number[] {
  const out: number[] = [];
  for (const cp of cps) {
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 (RFC 1321) of bytes, as 32 lower-case hex digits. */
function md5(bytes: number[]): string {
  const message = [...bytes, 0x80];
  while (message.length % 64 !== 56) message.push(0);
  const bits = bytes.length * 8;
  for (let i = 0; i < 8; i++) message.push(i < 4 ? (bits >>> (8 * i)) & 0xff : Math.floor(bits / 2 ** (8 * i)) & 0xff);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  for (let chunk = 0; chunk < message.length; chunk += 64) {
    const m: number[] = [];
    for (let i = 0; i < 16; i++) {
      const o = chunk + i * 4;
      m.push(((message[o] as number) | ((message[o + 1] as number) << 8) | ((message[o + 2] as number) << 16) | ((message[o + 3] as number) << 24)) >>> 0);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + (K[i] as number) + (m[g] as number)) >>> 0;
      const s = S[i] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  let hex = '';
  for (const word of [a0, b0, c0, d0]) {
    for (let i = 0; i < 4; i++) hex += ((word >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
  }
  return hex;
}

/** barcode-api.md §3.5: strip (Python), drop category C, MD5 of the UTF-8 bytes. */
export function referenceHash(text: string): string {
  let cps = codePoints(text);
  let start = 0;
  let end = cps.length;
  while (start < end && PY_SPACE.has(cps[start] as number)) start++;
  while (end > start && PY_SPACE.has(cps[end - 1] as number)) end--;
  cps = cps.slice(start, end).filter((cp) => !isCategoryC(cp));
  return md5(utf8(cps));
}

// --- tests -------------------------------------------------------------------------------------

describe('the barcode hash equals the reference algorithm', () => {
  it('the reference reproduces the vectors of barcode-api.md §3.5', () => {
    const vectors: [string, string][] = [
      ['xyz-123', 'bc39d07e9a395c7b5658c231bf910fae'],
      ['555555555555555555555555', '4aa63f5e55e85c1f842796bf74896dbb'],
      ['{"blbla": 10007}', '2f5dba5c83a360599ba7665b2a4131c6'],
      ['A-TEST-BARCODE-STRING', '3d59ca755c793639dd69da2cd077a54f'],
      ['blbla=10008', '800791c0833aceb87c65d804ee14f15d'],
      ['abc\x1Ddef', 'e80b5017098950fc58aad83c8c14978e'],
      ['  xyz-123\n', 'bc39d07e9a395c7b5658c231bf910fae'],
      ['xyz\u200B-123', 'bc39d07e9a395c7b5658c231bf910fae'],
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['INV-SL5', 'd9f32f2b8c95ec50a2c29f63fc0348c7'],
      ['  {"stockitem": 1}\n', '0935819378143b8ec32b3d9548f52ade'],
    ];
    for (const [input, hash] of vectors) {
      assert.equal(referenceHash(input), hash, JSON.stringify(input));
      assert.equal(barcodeHash(input), hash, JSON.stringify(input));
    }
    // Long input: several MD5 blocks, and the length field beyond one byte.
    assert.equal(md5(utf8(codePoints('a'.repeat(1000)))), 'cabe45dcc9ae5b66ba86600cca6b8ba8');
  });

  it('on random Unicode (lone surrogates, controls, astral planes)', () => {
    check(
      fc.property(randomUnicode, (text) => {
        assert.equal(barcodeHash(text), referenceHash(text));
      }),
      3000,
    );
  });

  it('on hostile barcode text up to 4095 characters', () => {
    check(
      fc.property(hostileString(), (text) => {
        assert.equal(barcodeHash(text), referenceHash(text));
      }),
      500,
    );
  });

  it('the Hash object used on Node releases without crypto.hash gives the same hashes', () => {
    check(
      fc.property(randomUnicode, (text) => {
        assert.equal(md5HexWithObject(hashInput(text)), referenceHash(text));
      }),
      1000,
    );
  });

  it('a text hashed again after others gets its own hash (the last hash is kept)', () => {
    const sequence = ['xyz-123', 'xyz-123', 'INV-SL5', 'xyz-123', '', '', 'INV-SL5', 'xyz\u200B-123', 'xyz-123'];
    for (const text of sequence) assert.equal(barcodeHash(text), referenceHash(text), JSON.stringify(text));
  });
});
