/**
 * The barcode hash (barcode-api.md §3.5, decisions D9 and D10): MD5 of the UTF-8 bytes of the
 * text after Python-style trimming and removal of every character of Unicode category C
 * (controls, format characters such as U+200B and the BOM, surrogates, private use,
 * unassigned). Identical to InvenTree's, so links made there keep matching here.
 * Pure: no database, no HTTP.
 */
import * as crypto from 'node:crypto';
import { pythonStrip } from '../../text/python-strip.js';

const CATEGORY_C = /\p{C}/gu;

/** The text the hash is computed over. */
export function hashInput(data: string): string {
  return pythonStrip(data).replace(CATEGORY_C, '');
}

/** MD5 as hex through a Hash object (Node 20 releases before 20.12 have no `crypto.hash`). */
export function md5HexWithObject(text: string): string {
  return crypto.createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * MD5 as hex. Node's one-shot `crypto.hash` takes less than half the time of a Hash object and
 * leaves nothing for the garbage collector.
 */
const md5Hex: (text: string) => string = typeof crypto.hash === 'function' ? (text) => crypto.hash('md5', text, 'hex') : md5HexWithObject;

/** The last text hashed and its hash: one scan hashes the same text at several steps. */
let last: { data: string; hash: string } | undefined;

export function barcodeHash(data: string): string {
  if (last !== undefined && last.data === data) return last.hash;
  const hash = md5Hex(hashInput(data));
  last = { data, hash };
  return hash;
}
