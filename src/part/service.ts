/**
 * Parts (core-api.md §7.3): creation defaults from the PART_* settings, InvenTree's validation
 * (structural categories, IPN rules, name/IPN/revision uniqueness, templates and revisions),
 * the variant tree kept in `tree_path`, and deletion rules. Every write runs in one
 * transaction with its checks.
 */
import { sql } from 'kysely';
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import { rowExists } from '../db/exists.js';
import { inTransaction, isUniqueViolation, lockForCheck, type Executor } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import * as f from '../http/fields.js';
import type { SettingsService } from '../settings/service.js';
import { cleanStrings } from '../text/sanitize.js';
import { today } from '../util/time.js';
import { deleteCatalogPartLinks } from '../company/service.js';
import { categoryExists, locationExists } from './category-service.js';
import { PART_COLUMNS, type PartRow } from './serializers.js';
import { isPartSelfOrVariant, placePartInTree } from './variants.js';

export const MESSAGES = {
  structuralCategory: 'Parts cannot be assigned to structural part categories!',
  duplicateIpn: 'Duplicate IPN not allowed in part settings',
  ipnRegex: (pattern: string) => `IPN must match regex pattern ${pattern}`,
  notUnique: 'Part with this Name, IPN and Revision already exists.',
  duplicateRevision: 'Duplicate part revision already exists.',
  revisionOfSelf: 'Part cannot be a revision of itself',
  revisionOfRevision: 'Cannot make a revision of a part which is already a revision',
  revisionRequired: 'Revision code must be specified',
  revisionOfTemplate: 'Cannot make a revision of a template part',
  revisionTemplateMismatch: 'Parent part must point to the same template',
  invalidChoice: 'Invalid choice',
  deleteLocked: 'Cannot delete this part as it is locked',
  deleteActive: 'Cannot delete this part as it is still active',
  deleteHasStock: 'Cannot delete this part as it has stock items',
  deleteHasBuilds: 'Cannot delete this part as it is referenced by build orders',
} as const;

export const partExists = rowExists('part');

/** `variant_of` accepts template parts only (InvenTree's choice limit). */
export const templatePartExists = rowExists('part', { is_template: true });

const FLAGS = ['active', 'assembly', 'component', 'trackable', 'testable', 'purchaseable', 'salable', 'virtual', 'is_template', 'locked'] as const;
type Flag = (typeof FLAGS)[number];

function partForm(partial: boolean) {
  const flag = (description: string) => f.boolean({ required: false, description });
  return f.object({
    name: f.string({ maxLength: 100, required: !partial, description: 'Part name' }),
    IPN: f.string({ maxLength: 100, allowBlank: true, nullable: true, required: false, description: 'Internal Part Number' }),
    revision: f.string({ maxLength: 100, allowBlank: true, nullable: true, required: false, description: 'Part revision or version number' }),
    description: f.string({ maxLength: 250, allowBlank: true, required: false, description: 'Part description (optional)' }),
    keywords: f.string({ maxLength: 250, allowBlank: true, nullable: true, required: false, description: 'Part keywords to improve visibility in search results' }),
    category: f.pk({ exists: categoryExists, nullable: true, required: false, description: 'Part category' }),
    active: flag('Is this part active?'),
    assembly: flag('Can this part be built from other parts?'),
    component: flag('Can this part be used to build other parts?'),
    trackable: flag('Does this part have tracking for unique items?'),
    testable: flag('Can this part have test results recorded against it?'),
    purchaseable: flag('Can this part be purchased from external suppliers?'),
    salable: flag('Can this part be sold to customers?'),
    virtual: flag('Is this a virtual part, such as a software product or license?'),
    is_template: flag('Is this part a template part?'),
    locked: flag('Locked parts cannot be edited'),
    variant_of: f.pk({ exists: templatePartExists, nullable: true, required: false, description: 'Is this part a variant of another part?' }),
    revision_of: f.pk({ exists: partExists, nullable: true, required: false, description: 'Is this part a revision of another part?' }),
    default_location: f.pk({ exists: locationExists, nullable: true, required: false, description: 'Where is this item normally stored?' }),
    default_expiry: f.integer({ min: 0, required: false, description: 'Expiry time (in days) for stock items of this part' }),
    minimum_stock: f.decimal({ min: 0, required: false, description: 'Minimum allowed stock level' }),
    units: f.string({ maxLength: 20, allowBlank: true, nullable: true, required: false, description: 'Units of measure for this part' }),
    link: f.string({ maxLength: 2000, allowBlank: true, nullable: true, required: false, description: 'Link to external URL' }),
    notes: f.string({ maxLength: 50000, allowBlank: true, nullable: true, required: false, trim: false, description: 'Markdown notes (optional)' }),
  });
}

export const PartCreateForm = partForm(false);
export const PartUpdateForm = partForm(true);
export type PartInput = f.Infer<typeof PartUpdateForm>;

/** The part's columns as they will be after applying `input` (only given keys change). */
type PartValues = Omit<PartRow, 'id' | 'tree_path' | Flag> & Record<Flag, boolean>;

function changesOf(input: PartInput): Partial<PartValues> {
  const body = cleanStrings(input as Record<string, unknown>) as PartInput;
  const out: Partial<PartValues> = {};
  if (body.name !== undefined) out.name = body.name;
  if (body.IPN !== undefined) out.ipn = body.IPN;
  if (body.revision !== undefined) out.revision = body.revision;
  if (body.description !== undefined) out.description = body.description;
  if (body.keywords !== undefined) out.keywords = body.keywords ?? '';
  if (body.category !== undefined) out.category_id = body.category;
  for (const flag of FLAGS) if (body[flag] !== undefined) out[flag] = body[flag];
  if (body.variant_of !== undefined) out.variant_of_id = body.variant_of;
  if (body.revision_of !== undefined) out.revision_of_id = body.revision_of;
  if (body.default_location !== undefined) out.default_location_id = body.default_location;
  if (body.default_expiry !== undefined) out.default_expiry = body.default_expiry;
  if (body.minimum_stock !== undefined) out.minimum_stock = body.minimum_stock;
  if (body.units !== undefined) out.units = body.units ?? '';
  if (body.link !== undefined) out.link = body.link ?? '';
  if (body.notes !== undefined) out.notes = body.notes ?? '';
  return out;
}

function sameText(column: 'ipn' | 'revision', value: string | null) {
  return (eb: any) => (value === null ? eb(column, 'is', null) : eb(column, '=', value));
}

/** The settings part validation depends on. */
interface PartRules {
  allowDuplicateIpn: boolean;
  ipnRegex: string;
}

async function partRules(settings: SettingsService, db: Executor): Promise<PartRules> {
  return {
    allowDuplicateIpn: await settings.getGlobalBool('PART_ALLOW_DUPLICATE_IPN', db),
    ipnRegex: (await settings.getGlobal('PART_IPN_REGEX', db)).trim(),
  };
}

/** InvenTree's Part validation (clean + validate_unique), every failing rule at once. */
async function validatePart(db: Executor, rules: PartRules, id: number | undefined, v: PartValues): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (v.category_id !== null) {
    const cat = await db.selectFrom('part_category').select('structural').where('id', '=', v.category_id).executeTakeFirst();
    if (cat !== undefined && Boolean(cat.structural)) errors.category = [MESSAGES.structuralCategory];
  }
  if (id !== undefined && v.variant_of_id !== null && (await isPartSelfOrVariant(db, id, v.variant_of_id))) {
    errors.variant_of = [MESSAGES.invalidChoice];
  }
  if (v.revision_of_id !== null) {
    const target = await db.selectFrom('part').select(['id', 'revision_of_id', 'is_template', 'variant_of_id']).where('id', '=', v.revision_of_id).executeTakeFirst();
    if (target !== undefined) {
      if (target.id === id) errors.revision_of = [MESSAGES.revisionOfSelf];
      else if (target.revision_of_id !== null) errors.revision_of = [MESSAGES.revisionOfRevision];
      else if (v.revision === null || v.revision === '') errors.revision = [MESSAGES.revisionRequired];
      else if (Boolean(target.is_template)) errors.revision_of = [MESSAGES.revisionOfTemplate];
      else if (target.variant_of_id !== v.variant_of_id) errors.revision_of = [MESSAGES.revisionTemplateMismatch];
    }
  }
  const ipn = v.ipn;
  const pattern = rules.ipnRegex;
  if (pattern !== '' && ipn !== null && ipn !== '') {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(pattern);
    } catch {
      regex = undefined; // an unusable pattern constrains nothing
    }
    if (regex !== undefined && !regex.test(ipn)) errors.IPN = [MESSAGES.ipnRegex(pattern)];
  }
  const others = () => {
    let q = db.selectFrom('part').select('id');
    if (id !== undefined) q = q.where('id', '!=', id);
    return q;
  };
  if (errors.IPN === undefined && ipn !== null && ipn !== '' && !rules.allowDuplicateIpn) {
    if ((await others().where(sql<boolean>`lower(ipn) = ${ipn.toLowerCase()}`).executeTakeFirst()) !== undefined) errors.IPN = [MESSAGES.duplicateIpn];
  }
  if (errors.IPN === undefined) {
    if (v.revision_of_id !== null && v.revision !== null && v.revision !== '') {
      const dup = await others().where('revision_of_id', '=', v.revision_of_id).where('revision', '=', v.revision).executeTakeFirst();
      if (dup !== undefined) errors.non_field_errors = [MESSAGES.duplicateRevision];
    }
    // Both InvenTree's (name, IPN, revision) constraint (all three set) and its own check
    // (an IPN or a revision given) refuse a second part with the same three values.
    const checked = (ipn !== null && v.revision !== null) || Boolean(ipn) || Boolean(v.revision);
    if (errors.non_field_errors === undefined && checked) {
      const dup = await others().where('name', '=', v.name).where(sameText('ipn', ipn)).where(sameText('revision', v.revision)).executeTakeFirst();
      if (dup !== undefined) errors.non_field_errors = [MESSAGES.notUnique];
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function loadPartRow(db: Executor, id: number): Promise<PartRow> {
  const row = await db.selectFrom('part').select(PART_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('Part');
  return row;
}

function uniqueFallback(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ non_field_errors: [MESSAGES.notUnique] });
  throw error;
}

/** Creates a part; flags missing from the body take their defaults from the PART_* settings. */
export async function createPart(database: Database, settings: SettingsService, input: f.Infer<typeof PartCreateForm>, userId: number | null): Promise<number> {
  const defaults: Record<Flag, boolean> = {
    active: true,
    assembly: await settings.getGlobalBool('PART_ASSEMBLY'),
    component: await settings.getGlobalBool('PART_COMPONENT'),
    trackable: await settings.getGlobalBool('PART_TRACKABLE'),
    testable: false,
    purchaseable: await settings.getGlobalBool('PART_PURCHASEABLE'),
    salable: await settings.getGlobalBool('PART_SALABLE'),
    virtual: await settings.getGlobalBool('PART_VIRTUAL'),
    is_template: await settings.getGlobalBool('PART_TEMPLATE'),
    locked: false,
  };
  const values: PartValues = {
    name: '',
    ipn: '',
    revision: '',
    description: '',
    keywords: '',
    category_id: null,
    variant_of_id: null,
    revision_of_id: null,
    default_location_id: null,
    default_expiry: 0,
    minimum_stock: 0,
    units: '',
    link: '',
    notes: '',
    creation_date: today(),
    creation_user_id: userId,
    ...defaults,
    ...changesOf(input),
  };
  return inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part');
    await lockForCheck(trx, database.dialect, 'part_category');
    await validatePart(trx, await partRules(settings, trx), undefined, values);
    const row = await trx
      .insertInto('part')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(uniqueFallback);
    await placePartInTree(trx, row.id);
    return row.id;
  });
}

export async function updatePart(database: Database, settings: SettingsService, id: number, input: PartInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part');
    await lockForCheck(trx, database.dialect, 'part_category');
    const current = await loadPartRow(trx, id);
    const changes = changesOf(input);
    const { id: _id, tree_path: _path, ...rest } = current;
    const merged: PartValues = { ...rest, ...flagsOf(current), ...changes } as PartValues;
    await validatePart(trx, await partRules(settings, trx), id, merged);
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable('part')
        .set(changes)
        .where('id', '=', id)
        .execute()
        .catch(uniqueFallback);
    }
    if (changes.variant_of_id !== undefined && changes.variant_of_id !== current.variant_of_id) await placePartInTree(trx, id);
  });
}

function flagsOf(row: PartRow): Record<Flag, boolean> {
  const out = {} as Record<Flag, boolean>;
  for (const flag of FLAGS) out[flag] = Boolean(row[flag]);
  return out;
}

/**
 * Deletes an inactive, unlocked part without stock items or builds. Its variants move up to
 * its own template (InvenTree's tree delete), its supplier and manufacturer parts go with it,
 * and the barcode links of all of them are removed, in one transaction.
 */
export async function deletePart(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await lockForCheck(trx, database.dialect, 'part');
    const current = await loadPartRow(trx, id);
    const refuse = (message: string) => new ValidationError({ non_field_errors: [message] });
    if (Boolean(current.locked)) throw refuse(MESSAGES.deleteLocked);
    if (Boolean(current.active)) throw refuse(MESSAGES.deleteActive);
    if ((await trx.selectFrom('stock_item').select('id').where('part_id', '=', id).executeTakeFirst()) !== undefined) throw refuse(MESSAGES.deleteHasStock);
    if ((await trx.selectFrom('build').select('id').where('part_id', '=', id).executeTakeFirst()) !== undefined) throw refuse(MESSAGES.deleteHasBuilds);
    const variants = await trx.selectFrom('part').select('id').where('variant_of_id', '=', id).execute();
    await trx.updateTable('part').set({ variant_of_id: current.variant_of_id }).where('variant_of_id', '=', id).execute();
    await deleteCatalogPartLinks(trx, { part: id });
    await deleteBarcodeLinks(trx, 'part', [id]);
    await trx.deleteFrom('part').where('id', '=', id).execute();
    for (const v of variants) await placePartInTree(trx, v.id);
  });
}
