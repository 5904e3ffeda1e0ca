/**
 * ISO/IEC 15434 envelopes with format 06 and the ECIA / ANSI MH10.8.2 data identifiers that
 * distributor labels use (supplier-barcodes.md §2.2–§2.3). Pure: no database, no HTTP.
 */
import type { SupplierField, SupplierFields } from './supplier-fields.js';

export const RS = '\x1e';
export const GS = '\x1d';
export const EOT = '\x04';

/** `[)>` RS `06` GS: the header of a format-06 envelope. */
export const ISO15434_HEADER = `[)>${RS}06${GS}`;
/** Older Mouser labels: a leading `>` and no RS. */
const LEGACY_MOUSER_HEADER = `>[)>06${GS}`;
const TRAILER = `${RS}${EOT}`;

/**
 * Data identifiers in InvenTree's order: for each field the first DI it starts with wins; a
 * field mapped twice takes the later value in the barcode.
 */
export const ECIA_IDENTIFIERS: ReadonlyArray<readonly [string, SupplierField]> = [
  ['K', 'customer_order_number'],
  ['1K', 'supplier_order_number'],
  ['11K', 'packing_list_number'],
  ['6D', 'ship_date'],
  ['9D', 'date_code'],
  ['10D', 'date_code'],
  ['4K', 'purchase_order_line'],
  ['14K', 'purchase_order_line'],
  ['P', 'supplier_part_number'],
  ['1P', 'manufacturer_part_number'],
  ['30P', 'supplier_part_number'],
  ['1T', 'lot_code'],
  ['4L', 'country_of_origin'],
  ['1V', 'manufacturer'],
  ['Q', 'quantity'],
];

/** Maps one field to its standard name by the first identifier it starts with, or undefined. */
export function mapEciaField(field: string): [SupplierField, string] | undefined {
  for (const [identifier, name] of ECIA_IDENTIFIERS) {
    if (field.startsWith(identifier)) return [name, field.slice(identifier.length)];
  }
  return undefined;
}

/** The GS-separated fields of a format-06 envelope, or undefined when the text is not one. */
export function iso15434Fields(text: string): string[] | undefined {
  let data = text;
  if (data.startsWith(LEGACY_MOUSER_HEADER)) data = ISO15434_HEADER + data.slice(LEGACY_MOUSER_HEADER.length);
  if (!data.startsWith(ISO15434_HEADER)) return undefined;
  data = data.slice(ISO15434_HEADER.length);
  if (data.endsWith(TRAILER)) data = data.slice(0, -TRAILER.length);
  return data.split(GS);
}

/** Parses an ISO 15434 / ECIA label into standard fields (empty for anything else). */
export function parseEcia(text: string): SupplierFields {
  const fields = iso15434Fields(text);
  const out: SupplierFields = {};
  if (fields === undefined) return out;
  for (const field of fields) {
    const mapped = mapEciaField(field);
    if (mapped !== undefined) out[mapped[0]] = mapped[1];
  }
  return out;
}
