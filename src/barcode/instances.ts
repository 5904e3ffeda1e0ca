/**
 * The `instance` of a matched block (barcode-api.md §4): each barcodable object serialised as
 * its own detail endpoint answers it, with that endpoint's default detail flags.
 */
import { sql } from 'kysely';
import { prepared } from '../db/prepared.js';
import { primaryHashOf } from './links.js';
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { serializeBuilds } from '../build/serializers.js';
import { MANUFACTURER_PART_COLUMNS, SUPPLIER_PART_COLUMNS, SUPPLIER_PART_DEFAULTS, serializeManufacturerParts, serializeSupplierParts } from '../company/serializers.js';
import { serializePurchaseOrders } from '../order/purchase-serializers.js';
import { serializeReturnOrders } from '../order/return-serializers.js';
import { serializeSalesOrders, serializeShipments } from '../order/sales-serializers.js';
import { PART_COLUMNS, serializeParts } from '../part/serializers.js';
import { DETAIL_FLAGS, serializeItemsById, serializeLocations } from '../stock/serializers.js';
import { barcodeModel, type BarcodeModel, type BarcodeModelType } from './model-types.js';

export type InstanceSerializer = (db: Executor, pk: number, settings: SettingsService) => Promise<Record<string, unknown> | undefined>;

const first = <T>(rows: T[]): Record<string, unknown> | undefined => rows[0] as Record<string, unknown> | undefined;

/** The object's primary barcode hash as the column `primary_hash` of its own row's query. */
function primaryHash(type: BarcodeModelType) {
  return primaryHashOf(type, sql.ref<number>(`${(barcodeModel(type) as BarcodeModel).table}.id`)).as('primary_hash');
}

/**
 * Each model's row by primary key with its primary barcode hash (the serialisers take it from
 * the row instead of asking for it), compiled once: a scan answers with one of them.
 */
const rowById = {
  build: prepared((db, a: { pk: number }) => db.selectFrom('build').selectAll().select(primaryHash('build')).where('id', '=', a.pk)),
  manufacturerpart: prepared((db, a: { pk: number }) =>
    db.selectFrom('manufacturer_part').select(MANUFACTURER_PART_COLUMNS).select(primaryHash('manufacturerpart')).where('id', '=', a.pk),
  ),
  supplierpart: prepared((db, a: { pk: number }) =>
    db.selectFrom('supplier_part').select(SUPPLIER_PART_COLUMNS).select(primaryHash('supplierpart')).where('id', '=', a.pk),
  ),
  purchaseorder: prepared((db, a: { pk: number }) => db.selectFrom('purchase_order').selectAll().select(primaryHash('purchaseorder')).where('id', '=', a.pk)),
  salesorder: prepared((db, a: { pk: number }) => db.selectFrom('sales_order').selectAll().select(primaryHash('salesorder')).where('id', '=', a.pk)),
  salesordershipment: prepared((db, a: { pk: number }) =>
    db.selectFrom('sales_order_shipment').selectAll().select(primaryHash('salesordershipment')).where('id', '=', a.pk),
  ),
  returnorder: prepared((db, a: { pk: number }) => db.selectFrom('return_order').selectAll().select(primaryHash('returnorder')).where('id', '=', a.pk)),
  part: prepared((db, a: { pk: number }) => db.selectFrom('part').select(PART_COLUMNS).select(primaryHash('part')).where('id', '=', a.pk)),
  stocklocation: prepared((db, a: { pk: number }) => db.selectFrom('stock_location').selectAll().select(primaryHash('stocklocation')).where('id', '=', a.pk)),
};

export const INSTANCE_SERIALIZERS: Readonly<Record<BarcodeModelType, InstanceSerializer>> = {
  build: async (db, pk) =>
    first(await serializeBuilds(db, await rowById.build.execute(db, { pk }), { partDetail: true, notes: true })),
  manufacturerpart: async (db, pk) =>
    first(
      await serializeManufacturerParts(db, await rowById.manufacturerpart.execute(db, { pk }), {
        partDetail: true,
        manufacturerDetail: true,
        pretty: false,
        notes: true,
        parameters: false,
      }),
    ),
  supplierpart: async (db, pk) =>
    first(
      await serializeSupplierParts(db, await rowById.supplierpart.execute(db, { pk }), {
        ...SUPPLIER_PART_DEFAULTS,
        notes: true,
      }),
    ),
  purchaseorder: async (db, pk, settings) =>
    first(await serializePurchaseOrders(db, settings, await rowById.purchaseorder.execute(db, { pk }), { notes: true })),
  salesorder: async (db, pk) => first(await serializeSalesOrders(db, await rowById.salesorder.execute(db, { pk }), { notes: true })),
  salesordershipment: async (db, pk) =>
    first(
      await serializeShipments(db, await rowById.salesordershipment.execute(db, { pk }), {
        orderDetail: true,
        checkedByDetail: true,
        addressDetail: true,
        notes: true,
      }),
    ),
  returnorder: async (db, pk, settings) =>
    first(await serializeReturnOrders(db, settings, await rowById.returnorder.execute(db, { pk }), { notes: true })),
  part: async (db, pk) =>
    first(
      await serializeParts(db, await rowById.part.execute(db, { pk }), {
        categoryDetail: false,
        pathDetail: false,
        locationDetail: false,
        parameters: false,
        priceBreaks: false,
        notes: true,
      }),
    ),
  stocklocation: async (db, pk) => first(await serializeLocations(db, await rowById.stocklocation.execute(db, { pk }), { pathDetail: false })),
  stockitem: async (db, pk) => first(await serializeItemsById(db, [pk], DETAIL_FLAGS)),
};
