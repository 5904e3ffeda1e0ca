/**
 * Scanned text before it is sent: the scan-repair rules shared with the server
 * (src/barcode/formats/repair.ts) undo what scanners and wedges do to barcodes (AIM
 * symbology identifiers, ␝ pictures instead of GS, a lost RS after `[)>`, an EOT terminator,
 * keyboard layouts); what was repaired is shown next to the result.
 */
import { repairScan, type ScanRepair } from '../../../src/barcode/formats/repair.js';

export const GS = '\x1d';
export const RS = '\x1e';
export const EOT = '\x04';

export type { ScanRepair };

const MODEL_KEYS = new Set([
  'build',
  'manufacturerpart',
  'supplierpart',
  'purchaseorder',
  'salesorder',
  'salesordershipment',
  'returnorder',
  'part',
  'stocklocation',
  'stockitem',
]);

/** Stockscan's JSON barcodes, e.g. {"part": 5}: keyboard-layout repairs only apply to them. */
function isInternalJson(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => MODEL_KEYS.has(k));
  } catch {
    return false;
  }
}

export interface PreparedScan {
  /** What the scanner or camera delivered. */
  raw: string;
  /** What is sent to the server. */
  data: string;
  repairs: ScanRepair[];
  /** Further codes of a burst (several codes in one scan). */
  rest: string[];
}

export function prepareScan(raw: string): PreparedScan {
  const repaired = repairScan(raw, { isInternal: isInternalJson });
  return { raw, data: repaired.normalized, repairs: repaired.repairs, rest: repaired.rest };
}

/** Control characters shown as their Unicode pictures (␝ ␞ ␄), so people can see them. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/** Long barcodes shortened for lists. */
export function shorten(text: string, max = 80): string {
  const shown = visible(text);
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}
