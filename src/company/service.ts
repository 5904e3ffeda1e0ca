/**
 * Companies, manufacturer parts and supplier parts (core-api.md §7.1, §7.6, §7.7): forms with
 * InvenTree's choice limits, uniqueness as Django REST framework reports it for
 * unique-together constraints, pack sizes in the part's units, and deletion with the barcode
 * links of everything removed. Every write runs in one transaction with its checks.
 */
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import { rowExists } from '../db/exists.js';
import { inTransaction, isUniqueViolation, type Executor } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import { PackQuantityError, packQuantityNative } from '../part/units.js';
import type { SettingsService } from '../settings/service.js';
import { cleanStrings } from '../text/sanitize.js';
import { qty } from '../util/decimal.js';
import { nowIso } from '../util/time.js';
import { COMPANY_COLUMNS, MANUFACTURER_PART_COLUMNS, SUPPLIER_PART_COLUMNS, type CompanyRow, type ManufacturerPartRow, type SupplierPartRow } from './serializers.js';

/** DRF's UniqueTogetherValidator message, under `non_field_errors`. */
export function uniqueSetMessage(fields: readonly string[]): string {
  return `The fields ${fields.join(', ')} must make a unique set.`;
}

export const MESSAGES = {
  companyNotUnique: uniqueSetMessage(['name', 'email']),
  manufacturerPartNotUnique: uniqueSetMessage(['part', 'manufacturer', 'MPN']),
  supplierPartNotUnique: uniqueSetMessage(['part', 'supplier', 'SKU']),
  manufacturerPartMismatch: 'Linked manufacturer part must reference the same base part',
  invalidEmail: 'Enter a valid email address.',
  companyInUse: (what: string) => `Cannot delete this company as it is referenced by ${what}`,
} as const;

// --- existence checks (InvenTree's choice limits) ---------------------------------------------

export const companyExists = rowExists('company');
export const supplierExists = rowExists('company', { is_supplier: true });
export const manufacturerExists = rowExists('company', { is_manufacturer: true });
export const customerExists = rowExists('company', { is_customer: true });
/** SupplierPart and ManufacturerPart accept purchaseable parts only. */
export const purchaseablePartExists = rowExists('part', { purchaseable: true });
export const manufacturerPartExists = rowExists('manufacturer_part');
export const supplierPartExists = rowExists('supplier_part');

// --- pack sizes (for receiving and stock creation) ------------------------------------------

/** The pack size of each supplier part, in its base part's units (absent ids are missing). */
export async function supplierPartPackSizes(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('supplier_part').select(['id', 'pack_quantity_native']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, Number(r.pack_quantity_native)]));
}

/** The pack size of one supplier part, or undefined when it does not exist. */
export async function supplierPartPackSize(db: Executor, id: number): Promise<number | undefined> {
  return (await supplierPartPackSizes(db, [id])).get(id);
}

/** InvenTree's `base_quantity`: a quantity of packs in the part's units. */
export function baseQuantity(packs: number, packSize: number): number {
  return qty(packs * packSize);
}

// --- Company -------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emailField(): f.Field<string> {
  const base = f.string({ maxLength: 254, allowBlank: true, nullable: true, required: false, description: 'Contact email address' });
  return {
    ...base,
    parse(value, ctx) {
      const text = base.parse(value, ctx) as string;
      if (text !== '' && !EMAIL.test(text)) throw new f.FieldError([MESSAGES.invalidEmail]);
      return text;
    },
  };
}


function companyForm(partial: boolean) {
  return f.object({
    name: f.string({ maxLength: 100, required: !partial, description: 'Company name' }),
    description: f.string({ maxLength: 500, allowBlank: true, required: false, description: 'Description of the company' }),
    website: f.string({ maxLength: 2000, allowBlank: true, required: false, description: 'Company website URL' }),
    phone: f.string({ maxLength: 50, allowBlank: true, required: false, description: 'Contact phone number' }),
    email: { ...emailField(), nullable: true as const },
    contact: f.string({ maxLength: 100, allowBlank: true, required: false, description: 'Point of contact' }),
    link: f.string({ maxLength: 2000, allowBlank: true, required: false, description: 'Link to external company information' }),
    active: f.boolean({ required: false, description: 'Is this company active?' }),
    is_customer: f.boolean({ required: false, description: 'Do you sell items to this company?' }),
    is_supplier: f.boolean({ required: false, description: 'Do you purchase items from this company?' }),
    is_manufacturer: f.boolean({ required: false, description: 'Does this company manufacture parts?' }),
    currency: f.currency({ description: 'Default currency used for this company' }),
    tax_id: f.string({ maxLength: 50, allowBlank: true, required: false, description: 'Company Tax ID' }),
    notes: f.string({ maxLength: 50000, allowBlank: true, nullable: true, required: false, trim: false, description: 'Markdown notes (optional)' }),
  });
}

export const CompanyCreateForm = companyForm(false);
export const CompanyUpdateForm = companyForm(true);
export type CompanyInput = f.Infer<typeof CompanyUpdateForm>;

export async function loadCompanyRow(db: Executor, id: number): Promise<CompanyRow> {
  const row = await db.selectFrom('company').select(COMPANY_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('Company');
  return row;
}

function companyChanges(input: CompanyInput) {
  const body = cleanStrings(input as Record<string, unknown>) as CompanyInput;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    out[k] = k === 'notes' ? (v ?? '') : v;
  }
  return out as Partial<Omit<CompanyRow, 'id' | 'active' | 'is_customer' | 'is_supplier' | 'is_manufacturer'>> & {
    active?: boolean;
    is_customer?: boolean;
    is_supplier?: boolean;
    is_manufacturer?: boolean;
  };
}

/** (name, email) is unique; DRF skips the check when email is null (NULLs never collide). */
async function checkCompanyUnique(db: Executor, name: string, email: string | null, exceptId?: number): Promise<void> {
  if (email === null) return;
  let q = db.selectFrom('company').select('id').where('name', '=', name).where('email', '=', email);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) throw new ValidationError({ non_field_errors: [MESSAGES.companyNotUnique] });
}

function companyUniqueFallback(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ non_field_errors: [MESSAGES.companyNotUnique] });
  throw error;
}

export async function createCompany(database: Database, settings: SettingsService, input: f.Infer<typeof CompanyCreateForm>): Promise<number> {
  const changes = companyChanges(input);
  const currency = changes.currency ?? (await settings.getGlobal('INVENTREE_DEFAULT_CURRENCY'));
  return inTransaction(database, async (trx) => {
    await checkCompanyUnique(trx, changes.name ?? '', changes.email ?? null);
    const row = await trx
      .insertInto('company')
      .values({ ...changes, name: changes.name ?? '', currency })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(companyUniqueFallback);
    return row.id;
  });
}

export async function updateCompany(database: Database, id: number, input: CompanyInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await loadCompanyRow(trx, id);
    const changes = companyChanges(input);
    await checkCompanyUnique(trx, changes.name ?? current.name, changes.email !== undefined ? changes.email : current.email, id);
    if (Object.keys(changes).length > 0) {
      await trx.updateTable('company').set(changes).where('id', '=', id).execute().catch(companyUniqueFallback);
    }
  });
}

/**
 * Removes the barcode links of the supplier and manufacturer parts of a company (as supplier
 * or manufacturer) or of a part, before those rows go with it.
 */
export async function deleteCatalogPartLinks(trx: Executor, owner: { company: number } | { part: number }): Promise<void> {
  const [supplierColumn, manufacturerColumn, id] = 'company' in owner ? (['supplier_id', 'manufacturer_id', owner.company] as const) : (['part_id', 'part_id', owner.part] as const);
  const supplierParts = await trx.selectFrom('supplier_part').select('id').where(supplierColumn, '=', id).execute();
  const manufacturerParts = await trx.selectFrom('manufacturer_part').select('id').where(manufacturerColumn, '=', id).execute();
  await deleteBarcodeLinks(
    trx,
    'supplierpart',
    supplierParts.map((r) => r.id),
  );
  await deleteBarcodeLinks(
    trx,
    'manufacturerpart',
    manufacturerParts.map((r) => r.id),
  );
}

/**
 * Deletes a company with its supplier and manufacturer parts (and their barcode links).
 * A company that orders still reference cannot be deleted (Stockscan keeps those references).
 */
export async function deleteCompany(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await loadCompanyRow(trx, id);
    const uses: string[] = [];
    if ((await trx.selectFrom('purchase_order').select('id').where('supplier_id', '=', id).executeTakeFirst()) !== undefined) uses.push('purchase orders');
    if ((await trx.selectFrom('sales_order').select('id').where('customer_id', '=', id).executeTakeFirst()) !== undefined) uses.push('sales orders');
    if ((await trx.selectFrom('return_order').select('id').where('customer_id', '=', id).executeTakeFirst()) !== undefined) uses.push('return orders');
    if (uses.length > 0) throw new ValidationError({ non_field_errors: uses.map(MESSAGES.companyInUse) });
    await deleteCatalogPartLinks(trx, { company: id });
    await trx.deleteFrom('company').where('id', '=', id).execute();
  });
}

// --- ManufacturerPart ------------------------------------------------------------------------

function manufacturerPartForm(partial: boolean) {
  return f.object({
    part: f.pk({ exists: purchaseablePartExists, required: !partial, description: 'Select part' }),
    manufacturer: f.pk({ exists: manufacturerExists, nullable: true, required: false, description: 'Select manufacturer' }),
    MPN: f.string({ maxLength: 100, nullable: true, required: false, description: 'Manufacturer Part Number' }),
    description: f.string({ maxLength: 250, allowBlank: true, nullable: true, required: false, description: 'Manufacturer part description' }),
    link: f.string({ maxLength: 2000, allowBlank: true, nullable: true, required: false, description: 'URL for external manufacturer part link' }),
    notes: f.string({ maxLength: 50000, allowBlank: true, nullable: true, required: false, trim: false, description: 'Markdown notes (optional)' }),
  });
}

export const ManufacturerPartCreateForm = manufacturerPartForm(false);
export const ManufacturerPartUpdateForm = manufacturerPartForm(true);
export type ManufacturerPartInput = f.Infer<typeof ManufacturerPartUpdateForm>;

export async function loadManufacturerPartRow(db: Executor, id: number): Promise<ManufacturerPartRow> {
  const row = await db.selectFrom('manufacturer_part').select(MANUFACTURER_PART_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('ManufacturerPart');
  return row;
}

function manufacturerPartChanges(input: ManufacturerPartInput) {
  const body = cleanStrings(input as Record<string, unknown>) as ManufacturerPartInput;
  return {
    ...(body.part !== undefined ? { part_id: body.part } : {}),
    ...(body.manufacturer !== undefined ? { manufacturer_id: body.manufacturer } : {}),
    ...(body.MPN !== undefined ? { mpn: body.MPN } : {}),
    ...(body.description !== undefined ? { description: body.description ?? '' } : {}),
    ...(body.link !== undefined ? { link: body.link ?? '' } : {}),
    ...(body.notes !== undefined ? { notes: body.notes ?? '' } : {}),
  };
}

/** (part, manufacturer, MPN) is unique; DRF skips the check when a value is null. */
async function checkManufacturerPartUnique(db: Executor, partId: number, manufacturerId: number | null, mpn: string | null, exceptId?: number): Promise<void> {
  if (manufacturerId === null || mpn === null) return;
  let q = db.selectFrom('manufacturer_part').select('id').where('part_id', '=', partId).where('manufacturer_id', '=', manufacturerId).where('mpn', '=', mpn);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) throw new ValidationError({ non_field_errors: [MESSAGES.manufacturerPartNotUnique] });
}

function manufacturerPartUniqueFallback(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ non_field_errors: [MESSAGES.manufacturerPartNotUnique] });
  throw error;
}

export async function createManufacturerPart(database: Database, input: f.Infer<typeof ManufacturerPartCreateForm>): Promise<number> {
  const changes = manufacturerPartChanges(input);
  return inTransaction(database, async (trx) => {
    const partId = changes.part_id as number;
    await checkManufacturerPartUnique(trx, partId, changes.manufacturer_id ?? null, changes.mpn ?? null);
    const row = await trx
      .insertInto('manufacturer_part')
      .values({ ...changes, part_id: partId })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(manufacturerPartUniqueFallback);
    return row.id;
  });
}

export async function updateManufacturerPart(database: Database, id: number, input: ManufacturerPartInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await loadManufacturerPartRow(trx, id);
    const changes = manufacturerPartChanges(input);
    await checkManufacturerPartUnique(
      trx,
      changes.part_id ?? current.part_id,
      changes.manufacturer_id !== undefined ? changes.manufacturer_id : current.manufacturer_id,
      changes.mpn !== undefined ? changes.mpn : current.mpn,
      id,
    );
    if (Object.keys(changes).length > 0) {
      await trx.updateTable('manufacturer_part').set(changes).where('id', '=', id).execute().catch(manufacturerPartUniqueFallback);
    }
  });
}

/** Deletes a manufacturer part and its barcode links (its supplier parts lose the link). */
export async function deleteManufacturerPart(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await loadManufacturerPartRow(trx, id);
    await deleteBarcodeLinks(trx, 'manufacturerpart', [id]);
    await trx.deleteFrom('manufacturer_part').where('id', '=', id).execute();
  });
}

// --- SupplierPart ----------------------------------------------------------------------------

function supplierPartForm(partial: boolean) {
  return f.object({
    part: f.pk({ exists: purchaseablePartExists, required: !partial, description: 'Select part' }),
    supplier: f.pk({ exists: supplierExists, required: !partial, description: 'Select supplier' }),
    SKU: f.string({ maxLength: 100, required: !partial, description: 'Supplier stock keeping unit' }),
    manufacturer_part: f.pk({ exists: manufacturerPartExists, nullable: true, required: false, description: 'Select manufacturer part' }),
    active: f.boolean({ required: false, description: 'Is this supplier part active?' }),
    primary: f.boolean({ required: false, description: 'Is this the primary supplier part for the linked Part?' }),
    description: f.string({ maxLength: 250, allowBlank: true, nullable: true, required: false, description: 'Supplier part description' }),
    link: f.string({ maxLength: 2000, allowBlank: true, nullable: true, required: false, description: 'URL for external supplier part link' }),
    note: f.string({ maxLength: 100, allowBlank: true, nullable: true, required: false, description: 'Notes' }),
    packaging: f.string({ maxLength: 50, allowBlank: true, nullable: true, required: false, description: 'Part packaging' }),
    pack_quantity: f.string({ maxLength: 25, allowBlank: true, required: false, description: 'Total quantity supplied in a single pack. Leave empty for single items.' }),
    available: f.decimal({ min: 0, required: false, description: 'Quantity available from supplier' }),
    base_cost: f.decimal({ min: 0, required: false, description: 'Minimum charge (e.g. stocking fee)' }),
    multiple: f.integer({ min: 1, required: false, description: 'Order multiple' }),
    notes: f.string({ maxLength: 50000, allowBlank: true, nullable: true, required: false, trim: false, description: 'Markdown notes (optional)' }),
  });
}

export const SupplierPartCreateForm = supplierPartForm(false);
export const SupplierPartUpdateForm = supplierPartForm(true);
export type SupplierPartInput = f.Infer<typeof SupplierPartUpdateForm>;

export async function loadSupplierPartRow(db: Executor, id: number): Promise<SupplierPartRow> {
  const row = await db.selectFrom('supplier_part').select(SUPPLIER_PART_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('SupplierPart');
  return row;
}

function supplierPartChanges(input: SupplierPartInput) {
  const body = cleanStrings(input as Record<string, unknown>) as SupplierPartInput;
  const now = nowIso();
  return {
    ...(body.part !== undefined ? { part_id: body.part } : {}),
    ...(body.supplier !== undefined ? { supplier_id: body.supplier } : {}),
    ...(body.SKU !== undefined ? { sku: body.SKU } : {}),
    ...(body.manufacturer_part !== undefined ? { manufacturer_part_id: body.manufacturer_part } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.primary !== undefined ? { is_primary: body.primary } : {}),
    ...(body.description !== undefined ? { description: body.description ?? '' } : {}),
    ...(body.link !== undefined ? { link: body.link ?? '' } : {}),
    ...(body.note !== undefined ? { note: body.note ?? '' } : {}),
    ...(body.packaging !== undefined ? { packaging: body.packaging ?? '' } : {}),
    ...(body.pack_quantity !== undefined ? { pack_quantity: body.pack_quantity } : {}),
    ...(body.available !== undefined ? { available: body.available, availability_updated: now } : {}),
    ...(body.base_cost !== undefined ? { base_cost: body.base_cost } : {}),
    ...(body.multiple !== undefined ? { multiple: body.multiple } : {}),
    ...(body.notes !== undefined ? { notes: body.notes ?? '' } : {}),
    updated: now,
  };
}

interface SupplierPartState {
  part_id: number;
  supplier_id: number;
  sku: string;
  manufacturer_part_id: number | null;
  pack_quantity: string;
}

/**
 * SupplierPart.clean and its unique-together check: the pack quantity converts to the part's
 * units (blank means one), the manufacturer part belongs to the same part, and
 * (part, supplier, SKU) is unique. Returns the cleaned pack quantity and its native value.
 */
async function validateSupplierPart(db: Executor, state: SupplierPartState, exceptId?: number): Promise<{ pack_quantity: string; pack_quantity_native: number }> {
  let q = db.selectFrom('supplier_part').select('id').where('part_id', '=', state.part_id).where('supplier_id', '=', state.supplier_id).where('sku', '=', state.sku);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) throw new ValidationError({ non_field_errors: [MESSAGES.supplierPartNotUnique] });

  const errors: Record<string, string[]> = {};
  const packQuantity = state.pack_quantity.trim() === '' ? '1' : state.pack_quantity.trim();
  let native = 1;
  const part = await db.selectFrom('part').select('units').where('id', '=', state.part_id).executeTakeFirst();
  try {
    native = qty(packQuantityNative(packQuantity, part?.units ?? ''));
    if (!(native > 0)) throw new PackQuantityError('Pack units must be greater than zero');
  } catch (e) {
    if (!(e instanceof PackQuantityError)) throw e;
    errors.pack_quantity = [e.message];
  }
  if (state.manufacturer_part_id !== null) {
    const mp = await db.selectFrom('manufacturer_part').select('part_id').where('id', '=', state.manufacturer_part_id).executeTakeFirst();
    if (mp !== undefined && mp.part_id !== state.part_id) errors.manufacturer_part = [MESSAGES.manufacturerPartMismatch];
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { pack_quantity: packQuantity, pack_quantity_native: native };
}

function supplierPartUniqueFallback(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ non_field_errors: [MESSAGES.supplierPartNotUnique] });
  throw error;
}

/** A primary supplier part is the only primary one of its part. */
async function clearOtherPrimaries(db: Executor, partId: number, keepId: number): Promise<void> {
  await db.updateTable('supplier_part').set({ is_primary: false }).where('part_id', '=', partId).where('id', '!=', keepId).where('is_primary', '=', true).execute();
}

export async function createSupplierPart(database: Database, input: f.Infer<typeof SupplierPartCreateForm>): Promise<number> {
  const changes = supplierPartChanges(input);
  return inTransaction(database, async (trx) => {
    const state: SupplierPartState = {
      part_id: changes.part_id as number,
      supplier_id: changes.supplier_id as number,
      sku: changes.sku as string,
      manufacturer_part_id: changes.manufacturer_part_id ?? null,
      pack_quantity: changes.pack_quantity ?? '',
    };
    const pack = await validateSupplierPart(trx, state);
    const row = await trx
      .insertInto('supplier_part')
      .values({ ...changes, ...state, ...pack })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(supplierPartUniqueFallback);
    if (changes.is_primary === true) await clearOtherPrimaries(trx, state.part_id, row.id);
    return row.id;
  });
}

export async function updateSupplierPart(database: Database, id: number, input: SupplierPartInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await loadSupplierPartRow(trx, id);
    const changes = supplierPartChanges(input);
    const state: SupplierPartState = {
      part_id: changes.part_id ?? current.part_id,
      supplier_id: changes.supplier_id ?? current.supplier_id,
      sku: changes.sku ?? current.sku,
      manufacturer_part_id: changes.manufacturer_part_id !== undefined ? changes.manufacturer_part_id : current.manufacturer_part_id,
      pack_quantity: changes.pack_quantity ?? current.pack_quantity,
    };
    const pack = await validateSupplierPart(trx, state, id);
    await trx
      .updateTable('supplier_part')
      .set({ ...changes, ...pack })
      .where('id', '=', id)
      .execute()
      .catch(supplierPartUniqueFallback);
    const primary = changes.is_primary ?? Boolean(current.is_primary);
    if (primary) await clearOtherPrimaries(trx, state.part_id, id);
  });
}

/** Deletes a supplier part and its barcode links (stock items and order lines lose the link). */
export async function deleteSupplierPart(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await loadSupplierPartRow(trx, id);
    await deleteBarcodeLinks(trx, 'supplierpart', [id]);
    await trx.deleteFrom('supplier_part').where('id', '=', id).execute();
  });
}
