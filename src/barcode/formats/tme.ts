/**
 * TME labels (supplier-barcodes.md §3.4), tried in this order:
 * (a) the QR text `QTY:1 PN:WBP-302 PO:19361337/1 ...`;
 * (b) ISO 15434 / ECIA — reachable in Stockscan (decision D14), unlike InvenTree where (c)
 *     swallowed every such string first;
 * (c) the old space-separated 2D format `PWBP-302 1PMPNWBP-302 Q1 K19361337/1`.
 * Afterwards a supplier order number keeps only the text before its first `/`.
 * Pure: no database, no HTTP.
 */
import { isPythonSpace } from '../../text/python-strip.js';
import { iso15434Fields, mapEciaField, parseEcia } from './iso15434.js';
import type { SupplierField, SupplierFields } from './supplier-fields.js';

const QR_KEYS: Readonly<Record<string, SupplierField>> = {
  PN: 'supplier_part_number',
  CPO: 'customer_order_number',
  PO: 'supplier_order_number',
  MPN: 'manufacturer_part_number',
  QTY: 'quantity',
};

/** Splits on runs of Python whitespace (the recognition patterns use Python's `\s`). */
function pythonTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (const ch of text) {
    if (isPythonSpace(ch.codePointAt(0) as number)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

/**
 * InvenTree's QR recognition, `([^\s:]+:[^\s:]+\s+)+(\S+(\s|$)+)+` as a full match: the first
 * token is `key:value` with one colon and both sides non-empty, and more tokens follow.
 */
export function isTmeQr(text: string): boolean {
  if (text === '' || isPythonSpace(text.codePointAt(0) as number)) return false;
  const tokens = pythonTokens(text);
  if (tokens.length < 2) return false;
  return /^[^:]+:[^:]+$/.test(tokens[0] as string);
}

/** Splits on the literal space; each item with a colon splits on its first colon (D14). */
function parseQr(text: string): SupplierFields {
  const out: SupplierFields = {};
  for (const item of text.split(' ')) {
    const colon = item.indexOf(':');
    if (colon < 0) continue;
    const field = QR_KEYS[item.slice(0, colon)];
    if (field !== undefined) out[field] = item.slice(colon + 1);
  }
  return out;
}

/** The old 2D format: space-separated items, each read with the ECIA data identifiers. */
function parseOld2d(text: string): SupplierFields {
  const out: SupplierFields = {};
  for (const item of text.split(' ')) {
    const mapped = mapEciaField(item);
    if (mapped !== undefined) out[mapped[0]] = mapped[1];
  }
  return out;
}

export function parseTme(text: string): SupplierFields {
  let fields: SupplierFields;
  if (isTmeQr(text)) fields = parseQr(text);
  else if (iso15434Fields(text) !== undefined) fields = parseEcia(text);
  else if (text !== '' && !isPythonSpace(text.codePointAt(0) as number)) fields = parseOld2d(text);
  else fields = {};
  if (fields.supplier_order_number !== undefined) {
    fields.supplier_order_number = fields.supplier_order_number.split('/')[0] as string;
  }
  return fields;
}
