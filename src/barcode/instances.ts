/**
 * The `instance` of a matched block (barcode-api.md §4): each barcodable object serialised as
 * its own detail endpoint answers it, with that endpoint's default detail flags.
 */
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { serializeBuilds } from '../build/serializers.js';
import { MANUFACTURER_PART_COLUMNS, SUPPLIER_PART_COLUMNS, SUPPLIER_PART_DEFAULTS, serializeManufacturerParts, serializeSupplierParts } from '../company/serializers.js';
import { serializePurchaseOrders } from '../order/purchase-serializers.js';
import { serializeReturnOrders } from '../order/return-serializers.js';
import { serializeSalesOrders, serializeShipments } from '../order/sales-serializers.js';
import { PART_COLUMNS, serializeParts } from '../part/serializers.js';
import { DETAIL_FLAGS, serializeItemsById, serializeLocations } from '../stock/serializers.js';
import type { BarcodeModelType } from './model-types.js';

export type InstanceSerializer = (db: Executor, pk: number, settings: SettingsService) => Promise<Record<string, unknown> | undefined>;

const first = <T>(rows: T[]): Record<string, unknown> | undefined => rows[0] as Record<string, unknown> | undefined;

export const INSTANCE_SERIALIZERS: Readonly<Record<BarcodeModelType, InstanceSerializer>> = {
  build: async (db, pk) =>
    first(await serializeBuilds(db, await db.selectFrom('build').selectAll().where('id', '=', pk).execute(), { partDetail: true, notes: true })),
  manufacturerpart: async (db, pk) =>
    first(
      await serializeManufacturerParts(db, await db.selectFrom('manufacturer_part').select(MANUFACTURER_PART_COLUMNS).where('id', '=', pk).execute(), {
        partDetail: true,
        manufacturerDetail: true,
        pretty: false,
        notes: true,
        parameters: false,
      }),
    ),
  supplierpart: async (db, pk) =>
    first(
      await serializeSupplierParts(db, await db.selectFrom('supplier_part').select(SUPPLIER_PART_COLUMNS).where('id', '=', pk).execute(), {
        ...SUPPLIER_PART_DEFAULTS,
        notes: true,
      }),
    ),
  purchaseorder: async (db, pk, settings) =>
    first(await serializePurchaseOrders(db, settings, await db.selectFrom('purchase_order').selectAll().where('id', '=', pk).execute(), { notes: true })),
  salesorder: async (db, pk) => first(await serializeSalesOrders(db, await db.selectFrom('sales_order').selectAll().where('id', '=', pk).execute(), { notes: true })),
  salesordershipment: async (db, pk) =>
    first(
      await serializeShipments(db, await db.selectFrom('sales_order_shipment').selectAll().where('id', '=', pk).execute(), {
        orderDetail: true,
        checkedByDetail: true,
        addressDetail: true,
        notes: true,
      }),
    ),
  returnorder: async (db, pk, settings) =>
    first(await serializeReturnOrders(db, settings, await db.selectFrom('return_order').selectAll().where('id', '=', pk).execute(), { notes: true })),
  part: async (db, pk) =>
    first(
      await serializeParts(db, await db.selectFrom('part').select(PART_COLUMNS).where('id', '=', pk).execute(), {
        categoryDetail: false,
        pathDetail: false,
        locationDetail: false,
        parameters: false,
        priceBreaks: false,
        notes: true,
      }),
    ),
  stocklocation: async (db, pk) => first(await serializeLocations(db, await db.selectFrom('stock_location').selectAll().where('id', '=', pk).execute(), { pathDetail: false })),
  stockitem: async (db, pk) => first(await serializeItemsById(db, [pk], DETAIL_FLAGS)),
};
