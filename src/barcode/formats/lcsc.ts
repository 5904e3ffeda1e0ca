/**
 * LCSC labels (supplier-barcodes.md §3.3): `{key:value,key:value,...}`, e.g.
 * `{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,...}`.
 * Pure: no database, no HTTP.
 */
import type { SupplierField, SupplierFields } from './supplier-fields.js';

/** The whole label: braces around one or more `key:value` pairs, no trailing comma. */
export const LCSC_PATTERN = /^\{((?:[^:,]+:[^:,]*,)*(?:[^:,]+:[^:,]*))\}$/;

const LCSC_KEYS: Readonly<Record<string, SupplierField>> = {
  pm: 'manufacturer_part_number',
  pc: 'supplier_part_number',
  qty: 'quantity',
  on: 'supplier_order_number',
};

export function isLcscBarcode(text: string): boolean {
  return LCSC_PATTERN.test(text);
}

export function parseLcsc(text: string): SupplierFields {
  const m = LCSC_PATTERN.exec(text);
  const out: SupplierFields = {};
  if (m === null) return out;
  for (const pair of (m[1] as string).split(',')) {
    const colon = pair.indexOf(':');
    const field = LCSC_KEYS[pair.slice(0, colon)];
    if (field !== undefined) out[field] = pair.slice(colon + 1);
  }
  return out;
}
