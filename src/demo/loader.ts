/**
 * Loads the demo dataset (data.ts) into a database, all of it in one transaction, through the
 * domain services so that their rules apply (tree placement, part validation and variant
 * paths, supplier-part pack sizes, order references, allocation checks, barcode links).
 *
 * It refuses (DemoRefused) when the database already holds inventory data, unless `force` is
 * given, and always when the demo's own supplier parts or supplier order numbers are already
 * there: a second copy would make the sample labels match two objects, so they would no longer
 * scan. A refusal or any error rolls everything back.
 *
 * Supplier companies are found the way the supplier plugins find them (SUPPLIER_ID, else the
 * one supplier whose name contains the plugin's default name): when a plugin already resolves to
 * a company (with `force`, on a database with its own suppliers), the demo uses that company
 * instead of adding a second "DigiKey" that would make the name look-up ambiguous.
 */
import type { Transaction } from 'kysely';
import { BarcodeInUseError, linkBarcode } from '../barcode/links.js';
import { barcodeModel, type BarcodeModelType } from '../barcode/model-types.js';
import { BARCODE_PLUGINS } from '../barcode/plugins/index.js';
import { internalBarcodePlugin } from '../barcode/plugins/internal.js';
import { PluginRegistry } from '../barcode/plugins/registry.js';
import { isSupplierPlugin, type SupplierBarcodePlugin } from '../barcode/plugins/suppliers.js';
import type { PluginContext } from '../barcode/plugins/types.js';
import { createBuild } from '../build/service.js';
import type { BuildInput } from '../build/forms.js';
import { createCompany, createManufacturerPart, createSupplierPart } from '../company/service.js';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { inTransaction, lockForCheck, type Executor } from '../db/transaction.js';
import { ApiError, ValidationError } from '../http/errors.js';
import { createPurchaseOrder, createPoLine, purchaseOrderAction } from '../order/purchase-service.js';
import { createAllocationIn, createSalesOrder, createSalesOrderLine, createShipment, issueSalesOrder } from '../order/sales-service.js';
import { createCategory } from '../part/category-service.js';

import { createPart } from '../part/service.js';
import { SettingsService } from '../settings/service.js';
import { checkStockItem, createStockItems } from '../stock/items-service.js';
import { createLocation } from '../stock/locations-service.js';
import { addDays, today } from '../util/time.js';
import {
  BARCODE_LINKS,
  BUILDS,
  CATEGORIES,
  COMPANIES,
  LOCATIONS,
  MANUFACTURER_PARTS,
  PARTS,
  PURCHASE_ORDERS,
  SALES_ORDERS,
  STOCK,
  SUPPLIER_PARTS,
  SUPPLIER_PLUGINS,
  type DemoCompany,
  type DemoLinkTarget,
} from './data.js';

/** Tables whose rows count as inventory data (anything but users, settings and plugin state). */
export const INVENTORY_TABLES = {
  part: 'parts',
  part_category: 'part categories',
  stock_location: 'stock locations',
  stock_item: 'stock items',
  company: 'companies',
  manufacturer_part: 'manufacturer parts',
  supplier_part: 'supplier parts',
  purchase_order: 'purchase orders',
  sales_order: 'sales orders',
  return_order: 'return orders',
  build: 'build orders',
} as const satisfies Partial<Record<keyof DB, string>>;

export type InventoryTable = keyof typeof INVENTORY_TABLES;

export type RefusalReason = 'not-empty' | 'already-loaded' | 'conflict';

/** The demo was not loaded; nothing was changed. */
export class DemoRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** For `not-empty`: the inventory rows found, by table. */
    readonly counts: Partial<Record<InventoryTable, number>> = {},
  ) {
    super(message);
    this.name = 'DemoRefused';
  }
}

export interface DemoOptions {
  /** Load even though the database already holds inventory data. */
  force?: boolean;
  /** The user recorded as creator of orders, parts and stock (null: none). */
  userId?: number | null;
}

export interface DemoStockItem {
  id: number;
  part: string;
  serial: string | null;
  location: string;
}

export interface DemoResult {
  /** Inventory rows that were there before (non-empty only with `force`). */
  existing: Partial<Record<InventoryTable, number>>;
  locations: Record<string, number>;
  categories: Record<string, number>;
  companies: Record<string, number>;
  parts: Record<string, number>;
  manufacturerParts: Record<string, number>;
  supplierParts: Record<string, number>;
  stockItems: DemoStockItem[];
  purchaseOrders: { id: number; reference: string; supplier: string; supplierReference: string; lines: number }[];
  salesOrders: { id: number; reference: string; customer: string; issued: boolean; lines: number; shipment: number; allocations: number }[];
  builds: { id: number; reference: string; part: string; quantity: number }[];
  barcodeLinks: { barcode: string; modelType: BarcodeModelType; id: number }[];
  /** The activated supplier plugins and the company each one acts for. */
  plugins: { slug: string; name: string; company: string; companyId: number; reused: boolean }[];
  /** Internal (generated) barcodes of a few objects, in the configured format. */
  generated: { location: { barcode: string; name: string }; stockItem: { barcode: string; name: string } };
}

/** The number of rows in each inventory table (zero counts included). */
export async function inventoryCounts(db: Executor): Promise<Record<InventoryTable, number>> {
  const out = {} as Record<InventoryTable, number>;
  for (const table of Object.keys(INVENTORY_TABLES) as InventoryTable[]) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** "3 parts, 1 stock location" from counts (zero counts left out). */
export function describeCounts(counts: Partial<Record<InventoryTable, number>>): string {
  return (Object.entries(counts) as [InventoryTable, number][])
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} ${n === 1 ? INVENTORY_TABLES[table].replace(/s$/, '').replace(/ie$/, 'y') : INVENTORY_TABLES[table]}`)
    .join(', ');
}

function companyName(key: string): string {
  return COMPANIES.find((c) => c.key === key)?.name ?? key;
}

/**
 * A service input given as a parsed API body would be: only the keys that are set, null where
 * the form accepts null (the forms' inferred types do not carry optionality and nullability).
 */
function formInput<T>(value: { [K in keyof T]?: T[K] | null }): T {
  return value as T;
}

function need<T>(map: Record<string, T>, key: string, what: string): T {
  const value = map[key];
  if (value === undefined) throw new Error(`demo data: unknown ${what} "${key}"`);
  return value;
}

/** A readable reason from a service error. */
function messages(error: unknown): string {
  if (error instanceof ValidationError) {
    return Object.entries(error.fields)
      .map(([field, list]) => `${field === 'non_field_errors' ? '' : `${field}: `}${Array.isArray(list) ? list.join(' ') : String(list)}`)
      .join('; ');
  }
  if (error instanceof ApiError) return JSON.stringify(error.body);
  return error instanceof Error ? error.message : String(error);
}

/** Runs one creation step; a rule that refuses it (e.g. a name already taken) becomes a DemoRefused. */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DemoRefused) throw error;
    if (error instanceof ApiError || error instanceof BarcodeInUseError) {
      throw new DemoRefused('conflict', `could not create ${what}: ${messages(error)}`);
    }
    throw error;
  }
}

/** The objects whose presence means the demo (or something it would collide with) is loaded. */
async function demoFootprint(db: Executor): Promise<string[]> {
  const skus = SUPPLIER_PARTS.map((s) => s.sku);
  const refs = PURCHASE_ORDERS.map((p) => p.supplierReference);
  const found: string[] = [];
  const parts = await db.selectFrom('supplier_part').select('sku').where('sku', 'in', skus).orderBy('sku').execute();
  for (const p of parts) found.push(`supplier part ${p.sku}`);
  const orders = await db.selectFrom('purchase_order').select('supplier_reference').where('supplier_reference', 'in', refs).orderBy('supplier_reference').execute();
  for (const o of orders) found.push(`purchase order with supplier reference ${o.supplier_reference}`);
  return [...new Set(found)];
}

/**
 * Loads the demo dataset in one transaction and returns what it created. Throws DemoRefused
 * (nothing changed) when the database is not empty and `force` is not set, when the demo is
 * already there, or when a demo object collides with an existing one.
 */
export async function loadDemo(database: Database, options: DemoOptions = {}): Promise<DemoResult> {
  return inTransaction(database, async (trx) => {
    // Two demo loads at once must not both find the database empty.
    await lockForCheck(trx, database.dialect, 'stockscan-demo');
    const counts = await inventoryCounts(trx);
    const existing = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) as Partial<Record<InventoryTable, number>>;
    const footprint = await demoFootprint(trx);
    if (footprint.length > 0) {
      throw new DemoRefused(
        'already-loaded',
        `the demo data is already loaded (found ${footprint.slice(0, 3).join(', ')}${footprint.length > 3 ? ', …' : ''}); a second copy would make the sample labels ambiguous`,
      );
    }
    if (Object.keys(existing).length > 0 && options.force !== true) {
      throw new DemoRefused('not-empty', `the database already holds inventory data (${describeCounts(existing)})`, existing);
    }
    return new DemoLoader(database, trx, options.userId ?? null).load(existing);
  });
}

class DemoLoader {
  private readonly db: Database;
  private readonly settings: SettingsService;
  private readonly plugins: PluginRegistry;
  private readonly today = today();
  private readonly result: DemoResult;

  constructor(
    database: Database,
    private readonly trx: Transaction<DB>,
    private readonly userId: number | null,
  ) {
    // Services called with this database join the loader's open transaction (inTransaction).
    this.db = database;
    this.settings = new SettingsService(trx);
    this.plugins = new PluginRegistry(BARCODE_PLUGINS, trx, this.settings);
    this.result = {
      existing: {},
      locations: {},
      categories: {},
      companies: {},
      parts: {},
      manufacturerParts: {},
      supplierParts: {},
      stockItems: [],
      purchaseOrders: [],
      salesOrders: [],
      builds: [],
      barcodeLinks: [],
      plugins: [],
      generated: { location: { barcode: '', name: '' }, stockItem: { barcode: '', name: '' } },
    };
  }

  async load(existing: Partial<Record<InventoryTable, number>>): Promise<DemoResult> {
    this.result.existing = existing;
    await this.locations();
    await this.categories();
    await this.companies();
    await this.parts();
    await this.supplierCatalogue();
    await this.stock();
    await this.purchaseOrders();
    await this.salesOrders();
    await this.builds();
    await this.barcodeLinks();
    await this.activatePlugins();
    await this.generatedBarcodes();
    return this.result;
  }

  private async locations(): Promise<void> {
    for (const l of LOCATIONS) {
      const parent = l.parent === undefined ? null : need(this.result.locations, l.parent, 'location');
      this.result.locations[l.key] = await step(`stock location "${l.name}"`, () =>
        createLocation(this.trx, { name: l.name, description: l.description, parent, structural: l.structural ?? false }),
      );
    }
  }

  private async categories(): Promise<void> {
    for (const c of CATEGORIES) {
      const parent = c.parent === undefined ? null : need(this.result.categories, c.parent, 'category');
      const location = c.defaultLocation === undefined ? null : need(this.result.locations, c.defaultLocation, 'location');
      this.result.categories[c.key] = await step(`part category "${c.name}"`, () =>
        createCategory(
          this.db,
          formInput<Parameters<typeof createCategory>[1]>({ name: c.name, description: c.description, parent, structural: c.structural ?? false, default_location: location }),
        ),
      );
    }
  }

  private async companies(): Promise<void> {
    for (const c of COMPANIES) {
      if (c.roles.includes('supplier')) await this.supplier(c);
      else this.result.companies[c.key] = await this.otherCompany(c);
    }
  }

  private supplierPlugin(companyKey: string): SupplierBarcodePlugin {
    const entry = SUPPLIER_PLUGINS.find((p) => p.company === companyKey);
    const plugin = entry === undefined ? undefined : this.plugins.bySlug(entry.slug);
    if (plugin === undefined || !isSupplierPlugin(plugin)) throw new Error(`demo data: no supplier plugin for "${companyKey}"`);
    return plugin;
  }

  /** The plugin's supplier resolution without its side effect (storing SUPPLIER_ID). */
  private probe(plugin: SupplierBarcodePlugin): PluginContext {
    return { ...this.plugins.context(plugin, this.trx), setSetting: async () => undefined };
  }

  /**
   * A supplier company: the one the plugin already resolves to, else a new company named
   * exactly as the plugin's default name. When the name alone would not find the new company
   * (another supplier's name contains it too), the plugin's SUPPLIER_ID is set to it.
   */
  private async supplier(c: DemoCompany): Promise<void> {
    const plugin = this.supplierPlugin(c.key);
    const found = await plugin.supplier(this.probe(plugin));
    let id: number;
    if (found !== null) {
      id = found;
    } else {
      id = await step(`company "${c.name}"`, () =>
        createCompany(
          this.db,
          this.settings,
          formInput<Parameters<typeof createCompany>[2]>({
            name: c.name,
            description: c.description,
            website: c.website,
            currency: c.currency,
            is_supplier: true,
            is_manufacturer: false,
            is_customer: false,
          }),
        ),
      );
      if ((await plugin.supplier(this.probe(plugin))) !== id) await this.plugins.setSetting(plugin, 'SUPPLIER_ID', String(id), this.trx);
    }
    this.result.companies[c.key] = id;
    this.result.plugins.push({ slug: plugin.slug, name: plugin.name, company: c.name, companyId: id, reused: found !== null });
  }

  /** A manufacturer or customer: an existing company of that name and role, else a new one. */
  private async otherCompany(c: DemoCompany): Promise<number> {
    const manufacturer = c.roles.includes('manufacturer');
    const customer = c.roles.includes('customer');
    let q = this.trx.selectFrom('company').select('id').where('name', '=', c.name);
    if (manufacturer) q = q.where('is_manufacturer', '=', true);
    if (customer) q = q.where('is_customer', '=', true);
    const found = await q.orderBy('id').executeTakeFirst();
    if (found !== undefined) return found.id;
    return step(`company "${c.name}"`, () =>
      createCompany(
        this.db,
        this.settings,
        formInput<Parameters<typeof createCompany>[2]>({
          name: c.name,
          description: c.description,
          website: c.website,
          currency: c.currency,
          is_supplier: false,
          is_manufacturer: manufacturer,
          is_customer: customer,
        }),
      ),
    );
  }

  private async parts(): Promise<void> {
    for (const p of PARTS) {
      const variantOf = p.variantOf === undefined ? null : need(this.result.parts, p.variantOf, 'template part');
      const location = p.defaultLocation === undefined ? null : need(this.result.locations, p.defaultLocation, 'location');
      this.result.parts[p.ipn] = await step(`part ${p.ipn}`, () =>
        createPart(
          this.db,
          this.settings,
          formInput<Parameters<typeof createPart>[2]>({
            name: p.name,
            IPN: p.ipn,
            description: p.description,
            keywords: p.keywords ?? '',
            category: need(this.result.categories, p.category, 'category'),
            is_template: p.template ?? false,
            variant_of: variantOf,
            trackable: p.trackable ?? false,
            salable: p.salable ?? false,
            assembly: p.assembly ?? false,
            purchaseable: p.purchaseable ?? true,
            component: p.component ?? true,
            minimum_stock: p.minimumStock ?? 0,
            default_location: location,
          }),
          this.userId,
        ),
      );
    }
  }

  private async supplierCatalogue(): Promise<void> {
    for (const m of MANUFACTURER_PARTS) {
      const manufacturer = m.manufacturer === null ? null : need(this.result.companies, m.manufacturer, 'company');
      this.result.manufacturerParts[m.mpn] = await step(`manufacturer part ${m.mpn}`, () =>
        createManufacturerPart(
          this.db,
          formInput<Parameters<typeof createManufacturerPart>[1]>({ part: need(this.result.parts, m.part, 'part'), manufacturer, MPN: m.mpn, description: m.description ?? '' }),
        ),
      );
    }
    for (const s of SUPPLIER_PARTS) {
      this.result.supplierParts[s.sku] = await step(`supplier part ${s.sku}`, () =>
        createSupplierPart(
          this.db,
          formInput<Parameters<typeof createSupplierPart>[1]>({
            part: need(this.result.parts, s.part, 'part'),
            supplier: need(this.result.companies, s.supplier, 'company'),
            SKU: s.sku,
            manufacturer_part: s.mpn === undefined ? null : need(this.result.manufacturerParts, s.mpn, 'manufacturer part'),
            packaging: s.packaging ?? '',
            pack_quantity: s.packQuantity ?? '',
            description: s.description ?? '',
            link: s.link ?? '',
            primary: s.primary ?? false,
          }),
        ),
      );
    }
  }

  private async stock(): Promise<void> {
    for (const s of STOCK) {
      const part = need(this.result.parts, s.part, 'part');
      const location = need(this.result.locations, s.location, 'location');
      const supplierPart = s.supplierPart === undefined ? null : need(this.result.supplierParts, s.supplierPart, 'supplier part');
      const serials = s.serials ?? [];
      const checks = serials.length > 0 ? serials.map((serial) => ({ serial, quantity: 1 })) : [{ serial: null, quantity: s.quantity ?? 1 }];
      for (const c of checks) {
        const errors = await checkStockItem(this.trx, this.settings, { part, location, supplierPart, belongsTo: null, isBuilding: false, build: null, ...c });
        if (Object.keys(errors).length > 0) throw new DemoRefused('conflict', `could not create stock of ${s.part}: ${messages(new ValidationError(errors))}`);
      }
      const ids = await createStockItems(this.trx, this.settings, {
        part,
        quantity: serials.length > 0 ? serials.length : (s.quantity ?? 1),
        ...(serials.length > 0 ? { serials } : {}),
        batch: s.batch ?? null,
        location,
        supplierPart,
        notes: s.notes ?? '',
        userId: this.userId,
      });
      ids.forEach((id, i) => this.result.stockItems.push({ id, part: s.part, serial: serials[i] ?? null, location: s.location }));
    }
  }

  private async reference(table: 'purchase_order' | 'sales_order' | 'build', id: number): Promise<string> {
    return (await this.trx.selectFrom(table).select('reference').where('id', '=', id).executeTakeFirstOrThrow()).reference;
  }

  private async purchaseOrders(): Promise<void> {
    for (const po of PURCHASE_ORDERS) {
      const supplier = need(this.result.companies, po.supplier, 'company');
      const destination = need(this.result.locations, po.destination, 'location');
      const id = await step(`purchase order ${po.supplierReference}`, () =>
        createPurchaseOrder(
          this.db,
          this.settings,
          { supplier, supplier_reference: po.supplierReference, description: po.description, destination, order_currency: po.currency, target_date: addDays(this.today, 10) },
          this.userId,
        ),
      );
      for (const line of po.lines) {
        await step(`purchase order line ${line.sku}`, () =>
          createPoLine(this.db, this.settings, {
            order: id,
            part: need(this.result.supplierParts, line.sku, 'supplier part'),
            quantity: line.quantity,
            destination: line.destination === undefined ? null : need(this.result.locations, line.destination, 'location'),
            purchase_price: line.price ?? null,
            purchase_price_currency: po.currency,
            merge_items: false,
          }),
        );
      }
      await purchaseOrderAction(this.db, id, 'issue');
      this.result.purchaseOrders.push({
        id,
        reference: await this.reference('purchase_order', id),
        supplier: companyName(po.supplier),
        supplierReference: po.supplierReference,
        lines: po.lines.length,
      });
    }
  }

  private stockItemId(part: string, serial: string): number {
    const item = this.result.stockItems.find((i) => i.part === part && i.serial === serial);
    if (item === undefined) throw new Error(`demo data: no stock item ${part} #${serial}`);
    return item.id;
  }

  private async salesOrders(): Promise<void> {
    for (const so of SALES_ORDERS) {
      const customer = need(this.result.companies, so.customer, 'company');
      const currency = COMPANIES.find((c) => c.key === so.customer)?.currency ?? 'USD';
      const id = await step(`sales order ${so.customerReference}`, () =>
        createSalesOrder(
          this.db,
          this.settings,
          { customer, customer_reference: so.customerReference, description: so.description, target_date: addDays(this.today, so.targetInDays), order_currency: currency },
          this.userId,
        ),
      );
      // The order's default shipment (SALESORDER_DEFAULT_SHIPMENT) or a new one.
      const existingShipment = await this.trx.selectFrom('sales_order_shipment').select('id').where('order_id', '=', id).where('reference', '=', so.shipment).executeTakeFirst();
      const shipment = existingShipment?.id ?? (await step(`shipment ${so.shipment}`, () => createShipment(this.trx, { order: id, reference: so.shipment })));
      let allocations = 0;
      for (const line of so.lines) {
        const lineId = await step(`sales order line ${line.part}`, () =>
          createSalesOrderLine(this.trx, this.settings, {
            order: id,
            part: need(this.result.parts, line.part, 'part'),
            quantity: line.quantity,
            sale_price: line.price,
            sale_price_currency: currency,
          }),
        );
        for (const serial of line.allocateSerials ?? []) {
          await step(`allocation of ${line.part} #${serial}`, () =>
            createAllocationIn(this.trx, this.db, { lineId, itemId: this.stockItemId(line.part, serial), shipmentId: shipment, quantity: 1 }),
          );
          allocations += 1;
        }
      }
      if (so.issued) await issueSalesOrder(this.db, id);
      this.result.salesOrders.push({
        id,
        reference: await this.reference('sales_order', id),
        customer: companyName(so.customer),
        issued: so.issued,
        lines: so.lines.length,
        shipment,
        allocations,
      });
    }
  }

  private async builds(): Promise<void> {
    for (const b of BUILDS) {
      const input = formInput<BuildInput>({
        part: need(this.result.parts, b.part, 'part'),
        quantity: b.quantity,
        title: b.title,
        destination: need(this.result.locations, b.destination, 'location'),
        take_from: need(this.result.locations, b.takeFrom, 'location'),
        target_date: addDays(this.today, b.targetInDays),
      });
      const id = await step(`build order for ${b.part}`, () => createBuild(this.db, this.settings, input, this.userId));
      this.result.builds.push({ id, reference: await this.reference('build', id), part: b.part, quantity: b.quantity });
    }
  }

  private linkTarget(target: DemoLinkTarget): { modelType: BarcodeModelType; id: number } {
    switch (target.kind) {
      case 'location':
        return { modelType: 'stocklocation', id: need(this.result.locations, target.key, 'location') };
      case 'part':
        return { modelType: 'part', id: need(this.result.parts, target.ipn, 'part') };
      case 'stockitem':
        return { modelType: 'stockitem', id: this.stockItemId(target.part, target.serial) };
    }
  }

  private async barcodeLinks(): Promise<void> {
    for (const link of BARCODE_LINKS) {
      const { modelType, id } = this.linkTarget(link.target);
      await step(`barcode link "${link.barcode}"`, () => linkBarcode(this.trx, modelType, id, link.barcode, { userId: this.userId, kind: 'custom', note: link.note }));
      this.result.barcodeLinks.push({ barcode: link.barcode, modelType, id });
    }
  }

  private async activatePlugins(): Promise<void> {
    for (const entry of SUPPLIER_PLUGINS) {
      const plugin = this.plugins.bySlug(entry.slug);
      if (plugin !== undefined) await this.plugins.setActive(plugin, true);
    }
  }

  /** A bin's and a serialized item's internal barcodes, as the generate endpoint makes them. */
  private async generatedBarcodes(): Promise<void> {
    const ctx = this.plugins.context(internalBarcodePlugin, this.trx);
    const generate = async (type: BarcodeModelType, id: number) => {
      const model = barcodeModel(type);
      if (model === undefined || internalBarcodePlugin.generate === undefined) throw new Error(`cannot generate a ${type} barcode`);
      return internalBarcodePlugin.generate(ctx, model, id);
    };
    const bin = LOCATIONS.find((l) => l.key === 'bin-a3');
    const binId = need(this.result.locations, 'bin-a3', 'location');
    const itemId = this.stockItemId('ASM-SENSOR', '1002');
    this.result.generated = {
      location: { barcode: await generate('stocklocation', binId), name: `stock location ${bin?.name ?? 'Bin A3'}` },
      stockItem: { barcode: await generate('stockitem', itemId), name: 'stock item Sensor node #1002' },
    };
  }
}
