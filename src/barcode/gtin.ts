/**
 * GTINs as linked barcodes. A GTIN is linked like any barcode (through `link`, or as an alias
 * of kind `gtin`, which stores it as GTIN-14), and a scanned GTIN finds its object through
 * any of the ways it may have been written and through its other packaging levels.
 *
 * A GTIN-14 is `I CCCCCCCCCCCC K`: the indicator digit I (0 = the trade item itself, as the
 * GTIN-13 with a leading zero; 1–8 = packaging levels such as a carton of 12; 9 = variable
 * measure), the twelve digits C of company prefix and item reference, and the check digit K.
 * Packaging levels of one product share C; I and K — the digits around C — differ. So a
 * scanned GTIN finds, in this order:
 *  1. a link of the same GTIN, written as GTIN-14 or with its leading zeros left out
 *     (GTIN-13, GTIN-12, GTIN-8);
 *  2. else a link of the same product at indicator 0 (the trade item itself);
 *  3. else a link of the same product at another packaging level, the lowest indicator first.
 * One indexed look-up of at most 40 hashes.
 */
import type { Executor } from '../db/transaction.js';
import { barcodeHash } from './formats/hash.js';
import { gs1CheckDigit, gtinCheckDigitValid } from './formats/gs1.js';

/** The GTIN-14 of a plain GTIN text (8, 12, 13 or 14 digits with a correct check digit). */
export function plainGtin(text: string): string | undefined {
  return /^[0-9]+$/.test(text) && gtinCheckDigitValid(text) ? text.padStart(14, '0') : undefined;
}

/** The texts a GTIN-14 may be linked as: itself, and without its leading zeros as GTIN-13/12/8. */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  if (gtin14.startsWith('0')) forms.push(gtin14.slice(1));
  if (gtin14.startsWith('00')) forms.push(gtin14.slice(2));
  if (gtin14.startsWith('000000')) forms.push(gtin14.slice(6));
  return forms;
}

/** The GTIN-14 with another indicator digit (and its own check digit). */
export function withIndicator(gtin14: string, indicator: number): string {
  const body = `${indicator}${gtin14.slice(1, 13)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

export type GtinLevel = 'exact' | 'base' | 'packaging';

export interface GtinLink {
  id: number;
  model_type: string;
  object_id: number;
  data: string;
  is_primary: unknown;
  kind: string;
  /** The GTIN-14 of the link. */
  gtin: string;
  /** Same GTIN, the trade item itself (indicator 0), or another packaging level. */
  level: GtinLevel;
}

interface Candidate {
  gtin: string;
  indicator: number;
  hash: string;
}

function candidates(gtin14s: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const gtin of gtin14s) {
    for (const form of gtinForms(gtin)) out.push({ gtin, indicator: Number(gtin[0]), hash: barcodeHash(form) });
  }
  return out;
}

async function linksOf(db: Executor, wanted: readonly Candidate[]) {
  const byHash = new Map(wanted.map((c) => [c.hash, c]));
  const rows = await db
    .selectFrom('barcode_link')
    .select(['id', 'hash', 'model_type', 'object_id', 'data', 'is_primary', 'kind'])
    .where('hash', 'in', [...byHash.keys()])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, candidate: byHash.get(r.hash) as Candidate }));
}

/** The link a scanned GTIN-14 finds (module comment), or undefined. */
export async function findGtinLink(db: Executor, gtin14: string): Promise<GtinLink | undefined> {
  const family = Array.from({ length: 10 }, (_, i) => withIndicator(gtin14, i));
  const rows = await linksOf(db, candidates(family));
  if (rows.length === 0) return undefined;
  const own = Number(gtin14[0]);
  const rank = (indicator: number) => (indicator === own ? -2 : indicator === 0 ? -1 : indicator);
  rows.sort((a, b) => rank(a.candidate.indicator) - rank(b.candidate.indicator) || a.id - b.id);
  const best = rows[0]!;
  const level: GtinLevel = best.candidate.indicator === own ? 'exact' : best.candidate.indicator === 0 ? 'base' : 'packaging';
  const { candidate, hash: _hash, ...link } = best;
  return { ...link, gtin: candidate.gtin, level };
}

/** A link of exactly this GTIN, in any of its written forms (a GTIN belongs to one object, D13). */
export async function findSameGtin(db: Executor, gtin14: string): Promise<{ id: number; model_type: string; object_id: number } | undefined> {
  const rows = await linksOf(db, candidates([gtin14]));
  return rows[0];
}
