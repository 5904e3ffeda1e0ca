/**
 * Company, ManufacturerPart and SupplierPart as the API shows them (core-api.md §7.1, §7.6,
 * §7.7). Related objects and counts are loaded for a whole page at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { barcodeHashesOfRows } from '../barcode/links.js';
import { prepared } from '../db/prepared.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { loadPartBriefs, PartBriefSchema, type PartBrief } from '../part/brief.js';
import { inStockBySupplierPart, onOrderBySupplierPart } from '../part/stock.js';
import { apiDateTime } from '../util/time.js';
import { CompanyBriefSchema, loadCompanyBriefs, type CompanyBrief } from './brief.js';

// --- Company -------------------------------------------------------------------------------

export const CompanySchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  website: Type.String(),
  phone: Type.String(),
  email: Nullable(Type.String()),
  currency: Type.String(),
  contact: Type.String(),
  link: Type.String(),
  image: Nullable(Type.String()),
  active: Type.Boolean(),
  is_customer: Type.Boolean(),
  is_manufacturer: Type.Boolean(),
  is_supplier: Type.Boolean(),
  notes: Type.Optional(Type.String()),
  parts_supplied: Type.Integer(),
  parts_manufactured: Type.Integer(),
  address: Type.String(),
  address_count: Type.Integer(),
  primary_address: Nullable(Type.Object({}, { additionalProperties: true })),
  tax_id: Type.String(),
  tags: Type.Array(Type.String()),
  parameters: Type.Optional(Type.Array(Type.Unknown())),
});
export type CompanyBody = Static<typeof CompanySchema>;

export const COMPANY_COLUMNS = [
  'id',
  'name',
  'description',
  'website',
  'phone',
  'email',
  'contact',
  'link',
  'active',
  'is_customer',
  'is_supplier',
  'is_manufacturer',
  'currency',
  'tax_id',
  'notes',
] as const;

export interface CompanyRow {
  id: number;
  name: string;
  description: string;
  website: string;
  phone: string;
  email: string | null;
  contact: string;
  link: string;
  active: unknown;
  is_customer: unknown;
  is_supplier: unknown;
  is_manufacturer: unknown;
  currency: string;
  tax_id: string;
  notes: string;
}

async function countBy(db: Executor, table: 'supplier_part' | 'manufacturer_part', column: 'supplier_id' | 'manufacturer_id', ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await (db as any)
    .selectFrom(table)
    .select([`${column} as id`, (eb: any) => eb.fn.countAll().as('n')])
    .where(column, 'in', [...ids])
    .groupBy(column)
    .execute();
  return new Map((rows as { id: number; n: unknown }[]).map((r) => [r.id, Number(r.n)]));
}

export async function serializeCompanies(db: Executor, rows: readonly CompanyRow[], options: { notes: boolean; parameters: boolean }): Promise<CompanyBody[]> {
  const ids = rows.map((r) => r.id);
  const [supplied, manufactured] = await Promise.all([countBy(db, 'supplier_part', 'supplier_id', ids), countBy(db, 'manufacturer_part', 'manufacturer_id', ids)]);
  return rows.map((r) => ({
    pk: r.id,
    name: r.name,
    description: r.description,
    website: r.website,
    phone: r.phone,
    email: r.email,
    currency: r.currency,
    contact: r.contact,
    link: r.link,
    image: null,
    active: Boolean(r.active),
    is_customer: Boolean(r.is_customer),
    is_manufacturer: Boolean(r.is_manufacturer),
    is_supplier: Boolean(r.is_supplier),
    ...(options.notes ? { notes: r.notes } : {}),
    parts_supplied: supplied.get(r.id) ?? 0,
    parts_manufactured: manufactured.get(r.id) ?? 0,
    // Stockscan keeps no addresses: the API 435 keys are present and empty.
    address: '',
    address_count: 0,
    primary_address: null,
    tax_id: r.tax_id,
    tags: [],
    ...(options.parameters ? { parameters: [] } : {}),
  }));
}

// --- ManufacturerPart ------------------------------------------------------------------------

export const ManufacturerPartSchema = Type.Object({
  pk: Type.Integer(),
  part: Type.Integer(),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  pretty_name: Type.Optional(Type.String()),
  manufacturer: Nullable(Type.Integer()),
  manufacturer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  description: Type.String(),
  MPN: Nullable(Type.String()),
  link: Type.String(),
  barcode_hash: Type.String(),
  notes: Type.Optional(Type.String()),
  tags: Type.Array(Type.String()),
  parameters: Type.Optional(Type.Array(Type.Unknown())),
});
export type ManufacturerPartBody = Static<typeof ManufacturerPartSchema>;

export const MANUFACTURER_PART_COLUMNS = ['id', 'part_id', 'manufacturer_id', 'mpn', 'description', 'link', 'notes'] as const;

export interface ManufacturerPartRow {
  id: number;
  part_id: number;
  manufacturer_id: number | null;
  mpn: string | null;
  description: string;
  link: string;
  notes: string;
}

export interface ManufacturerPartOptions {
  partDetail: boolean;
  manufacturerDetail: boolean;
  pretty: boolean;
  notes: boolean;
  parameters: boolean;
}

/** InvenTree's string form of a manufacturer part: `"<manufacturer> | <MPN>"`. */
export function manufacturerPartName(manufacturer: string | undefined, mpn: string | null): string {
  return `${manufacturer !== undefined ? `${manufacturer} | ` : ''}${mpn ?? 'None'}`;
}

export async function serializeManufacturerParts(db: Executor, rows: readonly ManufacturerPartRow[], options: ManufacturerPartOptions): Promise<ManufacturerPartBody[]> {
  const [hashes, parts, companies] = await Promise.all([
    barcodeHashesOfRows(db, 'manufacturerpart', rows),
    options.partDetail ? loadPartBriefs(db, rows.map((r) => r.part_id)) : Promise.resolve(new Map<number, PartBrief>()),
    options.manufacturerDetail || options.pretty ? loadCompanyBriefs(db, rows.map((r) => r.manufacturer_id)) : Promise.resolve(new Map<number, CompanyBrief>()),
  ]);
  return rows.map((r) => {
    const manufacturer = r.manufacturer_id === null ? undefined : companies.get(r.manufacturer_id);
    return {
      pk: r.id,
      part: r.part_id,
      ...(options.partDetail ? { part_detail: parts.get(r.part_id) ?? null } : {}),
      ...(options.pretty ? { pretty_name: manufacturerPartName(manufacturer?.name, r.mpn) } : {}),
      manufacturer: r.manufacturer_id,
      ...(options.manufacturerDetail ? { manufacturer_detail: manufacturer ?? null } : {}),
      description: r.description,
      MPN: r.mpn,
      link: r.link,
      barcode_hash: hashes.get(r.id) ?? '',
      ...(options.notes ? { notes: r.notes } : {}),
      tags: [],
      ...(options.parameters ? { parameters: [] } : {}),
    };
  });
}

const manufacturerPartsQuery = prepared((db, a: { ids: number[] }) => db.selectFrom('manufacturer_part').select(MANUFACTURER_PART_COLUMNS).where('id', 'in', a.ids));

/** ManufacturerPart objects by id, as `manufacturer_part_detail` embeds them. */
export async function loadManufacturerParts(db: Executor, ids: readonly (number | null)[], options: ManufacturerPartOptions): Promise<Map<number, ManufacturerPartBody>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await manufacturerPartsQuery.execute(db, { ids: wanted });
  const bodies = await serializeManufacturerParts(db, rows, options);
  return new Map(bodies.map((b) => [b.pk, b]));
}

// --- SupplierPart ----------------------------------------------------------------------------

export const SupplierPartSchema = Type.Object({
  pk: Type.Integer(),
  part: Type.Integer(),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  supplier: Type.Integer(),
  supplier_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  SKU: Type.String(),
  MPN: Nullable(Type.String()),
  manufacturer_part: Nullable(Type.Integer()),
  manufacturer_part_detail: Type.Optional(Nullable(ManufacturerPartSchema)),
  manufacturer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  pretty_name: Type.Optional(Type.String()),
  description: Type.String(),
  link: Type.String(),
  active: Type.Boolean(),
  primary: Type.Boolean(),
  note: Type.String(),
  packaging: Type.String(),
  pack_quantity: Type.String(),
  pack_quantity_native: Type.Number(),
  available: Type.Number(),
  availability_updated: Nullable(Type.String()),
  in_stock: Type.Number(),
  on_order: Type.Number(),
  barcode_hash: Type.String(),
  updated: Nullable(Type.String()),
  notes: Type.Optional(Type.String()),
  tags: Type.Array(Type.String()),
});
export type SupplierPartBody = Static<typeof SupplierPartSchema>;

export const SUPPLIER_PART_COLUMNS = [
  'id',
  'part_id',
  'supplier_id',
  'sku',
  'manufacturer_part_id',
  'active',
  'is_primary',
  'description',
  'link',
  'note',
  'packaging',
  'pack_quantity',
  'pack_quantity_native',
  'available',
  'availability_updated',
  'updated',
  'notes',
] as const;

export interface SupplierPartRow {
  id: number;
  part_id: number;
  supplier_id: number;
  sku: string;
  manufacturer_part_id: number | null;
  active: unknown;
  is_primary: unknown;
  description: string;
  link: string;
  note: string;
  packaging: string;
  pack_quantity: string;
  pack_quantity_native: number;
  available: number;
  availability_updated: string | null;
  updated: string | null;
  notes: string;
}

export interface SupplierPartOptions {
  partDetail: boolean;
  supplierDetail: boolean;
  manufacturerDetail: boolean;
  manufacturerPartDetail: boolean;
  pretty: boolean;
  notes: boolean;
}

/**
 * Detail flags at API 435: `supplier_detail` on (InvenTree v425 behaviour; v479+ turned it
 * off), every other detail off.
 */
export const SUPPLIER_PART_DEFAULTS: Omit<SupplierPartOptions, 'notes'> = {
  partDetail: false,
  supplierDetail: true,
  manufacturerDetail: false,
  manufacturerPartDetail: false,
  pretty: false,
};

/**
 * A supplier part embedded in another object (`supplier_part_detail` of stock items and
 * purchase order lines): InvenTree's SupplierPartSerializer with `brief=True`, every detail off.
 */
export const EMBEDDED_SUPPLIER_PART: Omit<SupplierPartOptions, 'notes'> = {
  partDetail: false,
  supplierDetail: false,
  manufacturerDetail: false,
  manufacturerPartDetail: false,
  pretty: false,
};

/** InvenTree's string form: `"[IPN | ]<supplier> | <SKU>[ | <manufacturer> | <MPN>]"`. */
export function supplierPartName(ipn: string | null, supplier: string, sku: string, manufacturer: string | undefined, mpn: string | null): string {
  const head = `${ipn ? `${ipn} | ` : ''}${supplier} | ${sku}`;
  const tail = [manufacturer, mpn].filter((s): s is string => s !== undefined && s !== null && s !== '').join(' | ');
  return tail === '' ? head : `${head} | ${tail}`;
}

/** The MPN and manufacturer of supplier parts' manufacturer parts. */
const manufacturerCodesQuery = prepared((db, a: { ids: number[] }) => db.selectFrom('manufacturer_part').select(['id', 'mpn', 'manufacturer_id']).where('id', 'in', a.ids));

export async function serializeSupplierParts(db: Executor, rows: readonly SupplierPartRow[], options: SupplierPartOptions): Promise<SupplierPartBody[]> {
  const ids = rows.map((r) => r.id);
  const mpIds = [...new Set(rows.map((r) => r.manufacturer_part_id).filter((m): m is number => m !== null))];
  const mps = mpIds.length === 0 ? [] : await manufacturerCodesQuery.execute(db, { ids: mpIds });
  const mpById = new Map(mps.map((m) => [m.id, m]));
  const needCompanies = options.supplierDetail || options.manufacturerDetail || options.pretty;
  const companyIds = needCompanies ? [...rows.map((r) => r.supplier_id), ...mps.map((m) => m.manufacturer_id)] : [];
  const needParts = options.partDetail || options.pretty;
  const [hashes, inStock, onOrder, companies, parts, mpBodies] = await Promise.all([
    barcodeHashesOfRows(db, 'supplierpart', rows),
    inStockBySupplierPart(db, ids),
    onOrderBySupplierPart(db, ids),
    loadCompanyBriefs(db, companyIds),
    needParts ? loadPartBriefs(db, rows.map((r) => r.part_id)) : Promise.resolve(new Map<number, PartBrief>()),
    options.manufacturerPartDetail
      ? loadManufacturerParts(db, mpIds, { partDetail: false, manufacturerDetail: true, pretty: false, notes: false, parameters: false })
      : Promise.resolve(new Map<number, ManufacturerPartBody>()),
  ]);
  return rows.map((r) => {
    const mp = r.manufacturer_part_id === null ? undefined : mpById.get(r.manufacturer_part_id);
    const manufacturer = mp?.manufacturer_id == null ? undefined : companies.get(mp.manufacturer_id);
    const part = parts.get(r.part_id);
    return {
      pk: r.id,
      part: r.part_id,
      ...(options.partDetail ? { part_detail: part ?? null } : {}),
      supplier: r.supplier_id,
      ...(options.supplierDetail ? { supplier_detail: companies.get(r.supplier_id) ?? null } : {}),
      SKU: r.sku,
      MPN: mp?.mpn ?? null,
      manufacturer_part: r.manufacturer_part_id,
      ...(options.manufacturerPartDetail ? { manufacturer_part_detail: r.manufacturer_part_id === null ? null : (mpBodies.get(r.manufacturer_part_id) ?? null) } : {}),
      ...(options.manufacturerDetail ? { manufacturer_detail: manufacturer ?? null } : {}),
      ...(options.pretty
        ? { pretty_name: supplierPartName(part?.IPN ?? null, companies.get(r.supplier_id)?.name ?? '', r.sku, manufacturer?.name, mp?.mpn ?? null) }
        : {}),
      description: r.description,
      link: r.link,
      active: Boolean(r.active),
      primary: Boolean(r.is_primary),
      note: r.note,
      packaging: r.packaging,
      pack_quantity: r.pack_quantity,
      pack_quantity_native: Number(r.pack_quantity_native),
      available: Number(r.available),
      availability_updated: apiDateTime(r.availability_updated),
      in_stock: inStock.get(r.id) ?? 0,
      on_order: onOrder.get(r.id) ?? 0,
      barcode_hash: hashes.get(r.id) ?? '',
      updated: apiDateTime(r.updated),
      ...(options.notes ? { notes: r.notes } : {}),
      tags: [],
    };
  });
}

/**
 * SupplierPart objects by id (for `supplier_part_detail` in other serialisers). Missing ids
 * are absent from the map.
 */
export async function loadSupplierParts(
  db: Executor,
  ids: readonly (number | null)[],
  options: Omit<SupplierPartOptions, 'notes'> = SUPPLIER_PART_DEFAULTS,
): Promise<Map<number, SupplierPartBody>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('supplier_part').select(SUPPLIER_PART_COLUMNS).where('id', 'in', wanted).execute();
  const bodies = await serializeSupplierParts(db, rows, { ...options, notes: false });
  return new Map(bodies.map((b) => [b.pk, b]));
}
