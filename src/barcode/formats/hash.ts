/**
 * The barcode hash (barcode-api.md §3.5, decisions D9 and D10): MD5 of the UTF-8 bytes of the
 * text after Python-style trimming and removal of every character of Unicode category C
 * (controls, format characters such as U+200B and the BOM, surrogates, private use,
 * unassigned). Identical to InvenTree's, so links made there keep matching here.
 * Pure: no database, no HTTP.
 */
import { createHash } from 'node:crypto';
import { pythonStrip } from '../../text/python-strip.js';

const CATEGORY_C = /\p{C}/gu;

/** The text the hash is computed over. */
export function hashInput(data: string): string {
  return pythonStrip(data).replace(CATEGORY_C, '');
}

export function barcodeHash(data: string): string {
  return createHash('md5').update(hashInput(data), 'utf8').digest('hex');
}
