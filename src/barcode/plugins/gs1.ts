/**
 * The `GS1Plugin` (slug `gs1plugin`): GS1 element strings (with FNC1 as GS, after a GS1
 * symbology identifier or recognised without one), the bracketed human-readable form, GS1
 * Digital Link URIs, ISO/IEC 15434 format-05 envelopes and plain GTINs (EAN/UPC, ITF-14).
 * Invalid GS1 data (a wrong check digit, month 13 …) is never matched to anything.
 *
 * Scan: a GTIN (AI 01, or the plain GTIN) finds the object it is linked to (gtin.ts: any
 * written form, any packaging level); the purchase-order number (AI 400) finds the purchase
 * order with that reference. The answer carries the parsed data under `gs1`.
 *
 * po-receive: the order is the one named in the request, else AI 400's; the line is the
 * order's line for the supplier part the GTIN leads to (a linked supplier part; or the
 * order supplier's supplier parts of a linked part or manufacturer part), or the line named.
 * Batch (10), expiry (17, else best-before 15), serial number (21) and quantity (30, else 37;
 * 1 for a serialised unit without a count) go to the received stock item (InvenTree #5950).
 *
 * Registry order (D19): after the internal plugin and the supplier plugins. None of those
 * reads GS1 data: the ECIA parsers need an `[)>␞06` header, LCSC braces, TME `KEY:value`
 * tokens or data identifiers, which an AI string (digits first), HRI (`(` first) or a URI
 * (a single token) never provide.
 */
import type { Executor } from '../../db/transaction.js';
import { looksLikeGs1, parseGs1, type Gs1Data, type Gs1Rejection } from '../formats/gs1.js';
import type { SymbologyInfo } from '../formats/repair.js';
import { findGtinLink, plainGtin, type GtinLink } from '../gtin.js';
import { BARCODE_MODEL_TYPES, barcodeModel } from '../model-types.js';
import { FOUND } from './internal.js';
import { loadOrder, pickLine, receiveLine } from './supplier-receive.js';
import type { BarcodePlugin, MatchedRef, PluginContext, ReceiveAnswer, ReceiveOptions, ScanInfo, ScanOutcome } from './types.js';

export type Gs1Reading = { kind: 'gs1'; data: Gs1Data } | { kind: 'gtin'; gtin: string } | { kind: 'rejected'; rejection: Gs1Rejection };

/** ISO/IEC 15434 format 05 (GS1 element strings in the envelope). */
const FORMAT_05 = /^\[\)>\x1e05\x1d([\s\S]*?)(?:\x1e\x04?)?$/;

/**
 * Reads GS1 data or a plain GTIN; a rejection when the text claims to be GS1 but is invalid;
 * undefined when it is neither.
 */
export function readGs1(text: string, symbology: SymbologyInfo | null): Gs1Reading | undefined {
  const envelope = FORMAT_05.exec(text);
  if (envelope !== null) {
    const result = parseGs1(envelope[1] as string);
    return result.ok ? { kind: 'gs1', data: result } : { kind: 'rejected', rejection: result };
  }
  if (looksLikeGs1(text, symbology?.id)) {
    const result = parseGs1(text, { symbology: symbology?.id ?? null });
    return result.ok ? { kind: 'gs1', data: result } : { kind: 'rejected', rejection: result };
  }
  const gtin = plainGtin(text);
  if (gtin !== undefined && symbology?.gs1 !== true) return { kind: 'gtin', gtin };
  // Marked as GS1 by its symbology identifier but not parseable.
  if (symbology?.gs1 === true) {
    const result = parseGs1(text, { symbology: symbology.id });
    if (!result.ok) return { kind: 'rejected', rejection: result };
  }
  return undefined;
}

export function readingGtin(reading: Gs1Reading): string | undefined {
  if (reading.kind === 'gtin') return reading.gtin;
  if (reading.kind === 'gs1') return reading.data.gtin;
  return undefined;
}

/** The `gs1` key of answers: the parsed data in the API's spelling. */
export function gs1Summary(reading: Gs1Reading, link?: GtinLink): Record<string, unknown> {
  if (reading.kind === 'rejected') {
    const r = reading.rejection;
    return { valid: false, error: r.reason, ...(r.ai !== undefined ? { ai: r.ai } : {}), ...(r.form !== undefined ? { form: r.form } : {}) };
  }
  const out: Record<string, unknown> = { valid: true };
  if (reading.kind === 'gtin') {
    Object.assign(out, { form: 'gtin', gtin: reading.gtin, elements: [{ ai: '01', title: 'GTIN', raw: reading.gtin, value: reading.gtin }] });
  } else {
    const d = reading.data;
    out.form = d.form;
    if (d.symbology !== undefined) out.symbology = d.symbology;
    const fields: [string, unknown][] = [
      ['gtin', d.gtin],
      ['batch', d.batch],
      ['serial', d.serial],
      ['expiry', d.expiry],
      ['best_before', d.bestBefore],
      ['production_date', d.productionDate],
      ['quantity', d.quantity],
      ['po_number', d.poNumber],
      ['customer_part_number', d.customerPartNumber],
      ['sscc', d.sscc],
    ];
    for (const [key, value] of fields) if (value !== undefined) out[key] = value;
    out.elements = d.elements.map((e) => ({ ai: e.ai, title: e.title, raw: e.raw, value: e.value, ...(e.unit !== undefined ? { unit: e.unit } : {}) }));
    if (d.warnings.length > 0) out.warnings = d.warnings;
  }
  if (link !== undefined) {
    out.linked_gtin = link.gtin;
    out.packaging = link.level;
  }
  return out;
}

/** The purchase order whose reference is exactly `reference` (AI 400), if exactly one. */
async function orderByReference(db: Executor, reference: string): Promise<number | null> {
  const rows = await db.selectFrom('purchase_order').select('id').where('reference', '=', reference).limit(2).execute();
  return rows.length === 1 ? (rows[0] as { id: number }).id : null;
}

/** The supplier's supplier parts a GTIN link leads to. */
async function supplierPartsOf(db: Executor, link: GtinLink, supplierId: number): Promise<number[]> {
  if (link.model_type === 'supplierpart') return [link.object_id];
  if (link.model_type !== 'part' && link.model_type !== 'manufacturerpart') return [];
  const column = link.model_type === 'part' ? 'part_id' : 'manufacturer_part_id';
  const rows = await db.selectFrom('supplier_part').select('id').where(column, '=', link.object_id).where('supplier_id', '=', supplierId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

const MODEL_RANK = new Map<string, number>(BARCODE_MODEL_TYPES.map((t, i) => [t, i]));

export const gs1Plugin: BarcodePlugin = {
  slug: 'gs1plugin',
  name: 'GS1Plugin',
  title: 'GS1 Barcodes',
  description: 'Provides support for scanning GS1 barcodes: GTINs, purchase order numbers, batch, expiry, serial number and quantity',
  version: '1.0.0',
  author: 'Stockscan',
  builtin: true,
  mandatory: false,
  activeByDefault: true,
  mixins: ['barcode', 'supplier-barcode'],
  settings: [],

  async scan(ctx: PluginContext, barcode: string, info?: ScanInfo): Promise<ScanOutcome | undefined> {
    const reading = readGs1(barcode, info?.symbology ?? null);
    if (reading === undefined || reading.kind === 'rejected') return undefined;
    const objects: MatchedRef[] = [];
    const gtin = readingGtin(reading);
    const link = gtin === undefined ? undefined : await findGtinLink(ctx.db, gtin);
    const model = link === undefined ? undefined : barcodeModel(link.model_type);
    if (link !== undefined && model !== undefined) objects.push({ type: model.type, pk: link.object_id, via: 'gtin', link: link.id });
    const poNumber = reading.kind === 'gs1' ? reading.data.poNumber : undefined;
    const order = poNumber === undefined ? null : await orderByReference(ctx.db, poNumber);
    if (order !== null) objects.push({ type: 'purchaseorder', pk: order, via: 'po-number' });
    if (objects.length === 0) return undefined;
    objects.sort((a, b) => (MODEL_RANK.get(a.type) ?? 0) - (MODEL_RANK.get(b.type) ?? 0));
    return { objects, success: FOUND, extra: { gs1: gs1Summary(reading, model === undefined ? undefined : link) } };
  },

  async receive(ctx: PluginContext, barcode: string, options: ReceiveOptions, info?: ScanInfo): Promise<ReceiveAnswer | undefined> {
    const db = ctx.db;
    const reading = readGs1(barcode, info?.symbology ?? null);
    if (reading === undefined || reading.kind === 'rejected') return undefined;
    const data = reading.kind === 'gs1' ? reading.data : undefined;

    let orderId = options.purchaseOrder;
    if (orderId === null && data?.poNumber !== undefined) orderId = await orderByReference(db, data.poNumber);
    if (orderId === null) return undefined;
    const order = await loadOrder(db, orderId);
    if (order === undefined || (options.supplier !== null && order.supplier_id !== options.supplier)) return undefined;

    const gtin = readingGtin(reading);
    let supplierPartIds: number[];
    if (gtin !== undefined) {
      const link = await findGtinLink(db, gtin);
      if (link === undefined) return undefined;
      supplierPartIds = await supplierPartsOf(db, link, order.supplier_id);
    } else if (options.lineItem !== null) {
      const named = await db.selectFrom('purchase_order_line').select('part_id').where('id', '=', options.lineItem).executeTakeFirst();
      supplierPartIds = named?.part_id === null || named === undefined ? [] : [named.part_id];
    } else {
      return undefined;
    }
    if (supplierPartIds.length === 0 && options.lineItem === null) return undefined;

    const line = await pickLine(db, order.id, supplierPartIds, options.lineItem);
    if (line === undefined) return undefined;
    const expiry = data?.expiry ?? data?.bestBefore;
    const details = {
      ...(data?.batch !== undefined ? { batchCode: data.batch } : {}),
      ...(expiry !== undefined ? { expiryDate: expiry } : {}),
      ...(data?.serial !== undefined ? { serialNumbers: data.serial } : {}),
    };
    const labelQuantity = data?.quantity ?? (data?.serial !== undefined ? 1 : undefined);
    return receiveLine(db, barcode, options, { order, line, supplierPartIds, labelQuantity, details });
  },
};
